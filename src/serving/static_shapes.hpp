#pragma once
// Statically shaped serving (JetStream on TPUs): every program is compiled for fixed shapes, so a step
// computes what its shapes hold, not what the requests use (docs/formulas.md#static_decode); a runtime that
// replays CUDA graphs pads a decode batch to a captured size (docs/formulas.md#cuda_graph_padding). Pure.
#include <algorithm>
#include <span>

namespace infersim::serving {

// Keys one generate step attends over, in all: every one of `slots` decode slots over the whole of its
// static cache of `cache_tokens`, occupied or not. jetstream-pytorch's attention (jetstream_pt/layers.py
// @ 04f1401) takes its scores against the slot's full cache tensor, (batch, heads, max_cache_length,
// head_dim), and masks the unused positions afterwards, so their keys and values are read all the same.
[[nodiscard]] constexpr double static_decode_keys(long long slots, long long cache_tokens) {
  return static_cast<double>(slots) * static_cast<double>(cache_tokens);
}

// Tokens a statically compiled prefill computes for a prompt of `tokens`: the next power of two, 16 at
// least, and at most the largest prefill `max_tokens` (itself a bucket). JetStream's token_utils.py
// (AI-Hypercomputer/JetStream @ ea4bb9d, tokenize_and_pad / take_nearest_length) pads every prompt to the
// nearest of the buckets 16, 32, ..., 32768 cut at the server's max_prefill_length.
[[nodiscard]] constexpr long long padded_prefill_tokens(long long tokens, long long max_tokens) {
  if (tokens >= max_tokens) return tokens;
  long long bucket = 16;
  while (bucket < tokens) bucket *= 2;
  return std::min(bucket, max_tokens);
}

// Rows a decode-only iteration of `rows` sequences computes under CUDA-graph padding: the smallest captured
// batch size that holds them. The runtime captures the given `sizes` (ascending) that a decode-only batch can
// reach, those up to `cap` = min(max_num_seqs, max_num_batched_tokens), and `cap` itself in place of the
// first size above it; a batch above every captured size runs without a graph, unpadded. TensorRT-LLM's
// _filter_cuda_graph_batch_sizes (tensorrt_llm/_torch/pyexecutor/model_engine.py) and CudaGraphConfig's
// enable_padding (tensorrt_llm/llmapi/llm_args.py).
[[nodiscard]] constexpr long long graph_padded_rows(long long rows, std::span<const long long> sizes,
                                                    long long cap) {
  for (const long long size : sizes) {
    const long long captured = std::min(size, cap);
    if (captured >= rows) return captured;
    if (size >= cap) break;
  }
  return rows;
}

}  // namespace infersim::serving

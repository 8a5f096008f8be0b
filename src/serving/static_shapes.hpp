#pragma once
// Statically shaped serving (JetStream on TPUs): every program is compiled for fixed shapes, so a step
// computes what its shapes hold, not what the requests use (docs/formulas.md#static_decode). Pure.
#include <algorithm>

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

}  // namespace infersim::serving

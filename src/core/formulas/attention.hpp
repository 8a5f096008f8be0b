#pragma once
// Attention work counts. Source: docs/formulas.md#causal_pairs, #attention_flops; kipply, "Transformer
// Inference Arithmetic" (2022); Dao et al. 2022 (FlashAttention) for what a fused kernel reads and writes.
#include "core/dtype.hpp"

namespace infersim {

// The dtype a fused attention kernel multiplies in: the activations' where they are 16 bits or wider; fp8
// where they are narrower and the KV cache is fp8 (an fp8 attention kernel over the fp8 cache:
// FlashAttention-3's fp8 forward, Shah et al. 2024; TensorRT-LLM's fp8 context FMHA); else bf16. No engine
// modelled here multiplies attention in 4-bit or integer arithmetic: a W8A8 or W4A4 model's GEMMs are
// quantized, its attention is not. docs/formulas.md#flash_attention_efficiency.
[[nodiscard]] constexpr Dtype attention_compute_dtype(Dtype activations, Dtype kv) {
  if (bits_per_element(activations) >= 16.0) return activations;
  if (kv == Dtype::fp8 || kv == Dtype::fp8_e5m2) return Dtype::fp8;
  return Dtype::bf16;
}

// Query-key pairs of one causal sequence of s tokens: query i (1-based) sees min(i, window) keys.
// Full attention: s(s+1)/2. With a window W < s: W(W+1)/2 + (s-W)*W. window == 0: full attention.
// Fused (FlashAttention-style) kernels skip fully masked blocks, so this is the work they do.
[[nodiscard]] constexpr double causal_pairs(double s, double window) {
  if (window <= 0.0 || window >= s) return s * (s + 1.0) / 2.0;
  return window * (window + 1.0) / 2.0 + (s - window) * window;
}

// FLOPs of QK^T or of AV for one query and one key over all heads: 2 * H * dh (one multiply-add per
// head dimension). Scores plus values: 4 * H * dh per pair.
[[nodiscard]] constexpr double matmul_flops_per_pair(int heads, int head_dim) {
  return 2.0 * heads * head_dim;
}

// Softmax per score: max, subtract, exp, sum, scale — 5 operations (our count; it is on the vector
// units and small next to the matmuls).
inline constexpr double kSoftmaxFlopsPerScore = 5.0;

// A fused prefill attention kernel's mainloop share: each block of queries pays a fixed cost (loading its
// queries, the final rescale and write of its output) equal to `overhead_keys` keys of its loop over the
// keys, so a query attending `keys` keys runs at keys / (keys + overhead_keys) of the kernel's long-sequence
// rate. Source: our model, its overhead set by FlashAttention-3's forward TFLOP/s against sequence length
// (Shah et al. 2024, "FlashAttention-3"; docs/formulas.md#flash_attention_efficiency).
[[nodiscard]] constexpr double flash_attention_efficiency(double keys, double overhead_keys) {
  return keys / (keys + overhead_keys);
}

// Seconds of one call of a fused decode attention kernel over a paged KV cache that moves `bytes` (the
// cached K and V it reads, its queries and outputs): a fixed time per call plus the bytes streamed at
// `stream_Bps` (the spec bandwidth times the kernel's stream efficiency). Source: our model, both terms set
// by the kernel's measured time against bytes moved (FlashAttention-2 paged decode under nvbench,
// microsoft/onnxruntime pull request #21414; docs/formulas.md#decode_attention_time).
[[nodiscard]] constexpr double decode_attention_time_s(double bytes, double stream_Bps,
                                                       double call_overhead_s) {
  return call_overhead_s + bytes / stream_Bps;
}

// The share of the spec bandwidth `peak_Bps` such a call achieves: bytes / (time * peak)
// = E * B / (B + E * peak * t0). Short contexts, few sequences and few KV heads move few bytes per call and
// underuse the memory system; long ones approach E. Source: as decode_attention_time_s.
[[nodiscard]] constexpr double decode_attention_bandwidth_share(double bytes, double peak_Bps,
                                                                double stream_efficiency,
                                                                double call_overhead_s) {
  return stream_efficiency * bytes / (bytes + stream_efficiency * peak_Bps * call_overhead_s);
}

}  // namespace infersim

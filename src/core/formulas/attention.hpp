#pragma once
// Attention work counts. Source: docs/formulas.md#causal_pairs, #attention_flops; kipply, "Transformer
// Inference Arithmetic" (2022); Dao et al. 2022 (FlashAttention) for what a fused kernel reads and writes.

namespace infersim {

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

}  // namespace infersim

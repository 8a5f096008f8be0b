#pragma once
// The least work each reference kernel must do: FLOPs, and bytes that must cross the memory
// interface (each input read once, each output written once; no write-allocate traffic). These are
// the counts the engine predicts from, so attention and elementwise terms reuse core/formulas.
#include "core/formulas/attention.hpp"
#include "core/formulas/elementwise.hpp"
#include "ref/base/attention_shape.hpp"

namespace infersim::ref {

inline constexpr double kF32Bytes = 4.0;

struct Work {
  double flops = 0.0;
  double bytes = 0.0;
};

// C[m x n] = A[m x k] B[k x n]: 2mnk FLOPs (one multiply-add per m, n, k); A, B read, C written.
[[nodiscard]] constexpr Work gemm_work(double m, double n, double k) {
  return {2.0 * m * n * k, (m * k + k * n + m * n) * kF32Bytes};
}

// linear(): rows x k_in times the [n_out x k_in] weight: a GEMM with m = rows, n = n_out, k = k_in.
[[nodiscard]] constexpr Work linear_work(double rows, double n_out, double k_in) {
  return gemm_work(rows, n_out, k_in);
}

// Decode at context t: every (query head, key) pair costs 2*dh for QK^T, 2*dh for AV and the softmax
// per score (docs/formulas.md#attention_flops; the engine's fused-attention count). Bytes: Q read, O written,
// the K and V caches read once: b*Hkv*t*dh each (GQA reads each KV head once per group).
[[nodiscard]] constexpr Work decode_attention_work(const AttentionShape& s, double t) {
  const double pairs = s.batch * t;
  const double flops =
      pairs * (2.0 * matmul_flops_per_pair(s.heads, s.head_dim) + kSoftmaxFlopsPerScore * s.heads);
  const double bytes =
      (2.0 * s.batch * s.heads * s.head_dim + 2.0 * s.batch * s.kv_heads * t * s.head_dim) * kF32Bytes;
  return {flops, bytes};
}

// Causal prefill of s tokens as a fused kernel that skips masked blocks does it: s(s+1)/2 pairs per
// sequence (core causal_pairs), each as in decode. Bytes: Q, K, V read once and O written once
// (FlashAttention's HBM traffic, Dao et al. 2022, without the O(s^2 d^2 / M) re-reads).
[[nodiscard]] constexpr Work prefill_attention_work(const AttentionShape& s, double seq) {
  const double pairs = s.batch * causal_pairs(seq, 0.0);
  const double flops =
      pairs * (2.0 * matmul_flops_per_pair(s.heads, s.head_dim) + kSoftmaxFlopsPerScore * s.heads);
  const double bytes = 2.0 * s.batch * seq * s.head_dim * (s.heads + s.kv_heads) * kF32Bytes;
  return {flops, bytes};
}

// RMSNorm of rows x hidden: the core's per-element count; x read, y written, the weight read once.
[[nodiscard]] constexpr Work rmsnorm_work(double rows, double hidden) {
  return {rows * hidden * norm_flops_per_element(NormKind::rmsnorm),
          (2.0 * rows * hidden + hidden) * kF32Bytes};
}

// Gated MLP on T tokens: GEMMs 2*T*h*2f (gate and up) + 2*T*f*h (down), SiLU * up per element (core
// count). Bytes when the T x 2f intermediate stays on chip: the 3hf weights, x read, y written. Both
// runners run it unfused (three dispatches), so the intermediate also crosses memory: at T = 1 a few
// hundred KiB against the weights' tens of MiB; at the suites' T of 256 to 2048 up to about as many
// bytes again, on cases whose FLOPs bound them by a wide margin.
[[nodiscard]] constexpr Work gated_mlp_work(double tokens, double hidden, double ffn) {
  const double flops = 2.0 * tokens * hidden * 2.0 * ffn + 2.0 * tokens * ffn * hidden +
                       tokens * ffn * activation_flops_per_element(Activation::silu, MlpKind::gated);
  return {flops, (3.0 * hidden * ffn + 2.0 * tokens * hidden) * kF32Bytes};
}

// STREAM triad over n elements: a multiply and an add each; b, c read, a written (STREAM's count).
[[nodiscard]] constexpr Work triad_work(double n) { return {2.0 * n, 3.0 * n * kF32Bytes}; }

}  // namespace infersim::ref

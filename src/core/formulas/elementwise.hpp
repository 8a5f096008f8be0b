#pragma once
// Per-element operation counts of the vector (non-matmul) operators. These are our counts of the
// arithmetic each definition performs; they are small next to the GEMMs and only matter for time
// when an operator is compute-bound, which elementwise operators never are on the shipped devices.
#include "core/model_spec.hpp"

namespace infersim {

// RMSNorm x * w / sqrt(mean(x^2)) (Zhang & Sennrich 2019): square, sum, scale, weight = 4.
// LayerNorm (Ba et al. 2016): sum, subtract mean, square, sum, scale, weight, bias = 7.
[[nodiscard]] constexpr double norm_flops_per_element(NormKind kind) {
  return kind == NormKind::layernorm ? 7.0 : 4.0;
}

// The per-head norm of q and k: an RMSNorm as above (4), or an L2 norm x / sqrt(mean(x^2) + eps), the
// same without the weight (3; Llama 4's Llama4TextL2Norm).
[[nodiscard]] constexpr double qk_norm_flops_per_element(QkNorm kind) {
  return kind == QkNorm::rmsnorm ? norm_flops_per_element(NormKind::rmsnorm) : 3.0;
}

// SiLU x*sigmoid(x) = negate, exp, add, divide, multiply (5); GELU tanh form (Hendrycks & Gimpel
// 2016) ≈ 8; ReLU = 1. A gated MLP multiplies by the up projection: +1.
[[nodiscard]] constexpr double activation_flops_per_element(Activation act, MlpKind mlp) {
  double flops = act == Activation::silu ? 5.0 : act == Activation::gelu ? 8.0 : 1.0;
  return mlp == MlpKind::gated ? flops + 1.0 : flops;
}

// Rotary embedding x*cos + rotate(x)*sin (Su et al. 2021, RoFormer): 2 multiplies and 1 add.
inline constexpr double kRotaryFlopsPerElement = 3.0;

}  // namespace infersim

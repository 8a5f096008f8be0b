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

// Bytes a sampler moves for one sampled row (docs/formulas.md#sampler): it reads the row's logits once
// in the activation dtype and makes `fp32_passes` fp32 reads or writes of the whole vocabulary after.
// vLLM V1's random-sampling path makes 10 (vllm/v1/sample/sampler.py, ops/topk_topp_sampler.py): the cast
// to fp32 writes 1; temperature's in-place divide reads and writes 1 each; the softmax reads 1 and writes 1;
// exponential_() writes the noise 1; probs.div_(q) reads 2 and writes 1; argmax reads 1.
[[nodiscard]] constexpr double sampler_bytes_per_row(double vocab, double logit_bytes, double fp32_passes) {
  return vocab * (logit_bytes + 4.0 * fp32_passes);
}

// Bytes the top-k softmax of an MoE router moves per token (docs/formulas.md#moe_routing): it reads the
// token's E gate logits and writes k expert weights (fp32) and k expert ids (int32), 8 bytes each
// (vLLM's topk_softmax kernel, csrc/moe/topk_softmax_kernels.cu, adapted from TensorRT-LLM's).
[[nodiscard]] constexpr double router_topk_bytes_per_token(double experts, double k, double logit_bytes) {
  return experts * logit_bytes + 8.0 * k;
}

}  // namespace infersim

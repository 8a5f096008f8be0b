#pragma once
// Parameter counts of a decoder-only transformer.
// Source: REFERENCE.md "Parameters"; Touvron et al. 2023 (Llama 2) and the published config.json
// files; Brown et al. 2020 (GPT-3) and Radford et al. 2019 (GPT-2) for biases and learned positions.
#include "core/model_spec.hpp"

namespace infersim {

// Q, K, V and output projections: h*H*dh + 2*h*Hkv*dh + H*dh*h, plus biases (Q, K, V: H*dh +
// 2*Hkv*dh; output: h).
[[nodiscard]] constexpr double attention_params_per_layer(const ModelSpec& m) {
  const double h = m.hidden_size;
  const double q = q_width(m);
  const double kv = kv_width(m);
  double params = h * q + 2.0 * h * kv + q * h;
  if (m.linear_bias != LinearBias::none) params += q + 2.0 * kv;
  if (m.linear_bias == LinearBias::all) params += h;
  return params;
}

// Gated MLP (gate, up, down): 3*h*f; plain MLP (up, down): 2*h*f; biases f per up/gate and h for down.
[[nodiscard]] constexpr double mlp_params_per_layer(const ModelSpec& m) {
  const double h = m.hidden_size;
  const double f = m.intermediate_size;
  const double up_matrices = m.mlp == MlpKind::gated ? 2.0 : 1.0;
  double params = (up_matrices + 1.0) * h * f;
  if (m.linear_bias == LinearBias::all) params += up_matrices * f + h;
  return params;
}

// One norm holds h scales (RMSNorm, Zhang & Sennrich 2019) or h scales and h shifts (LayerNorm,
// Ba et al. 2016).
[[nodiscard]] constexpr double params_per_norm(const ModelSpec& m) {
  return m.norm == NormKind::layernorm ? 2.0 * m.hidden_size : 1.0 * m.hidden_size;
}

// Pre-norm blocks have two norms; parallel attention+MLP blocks (Falcon-7B, GPT-J) share one.
[[nodiscard]] constexpr int norms_per_layer(const ModelSpec& m) { return m.parallel_blocks ? 1 : 2; }

[[nodiscard]] constexpr double params_per_layer(const ModelSpec& m) {
  return attention_params_per_layer(m) + mlp_params_per_layer(m) + norms_per_layer(m) * params_per_norm(m);
}

// Token embedding V*h, plus a learned position table max_context*h (GPT-2/GPT-3).
[[nodiscard]] constexpr double embedding_params(const ModelSpec& m) {
  double params = static_cast<double>(m.vocab_size) * m.hidden_size;
  if (m.position_embedding == PositionEmbedding::learned) params += static_cast<double>(m.max_context) * m.hidden_size;
  return params;
}

// LM head V*h, absent when it reuses the embedding matrix.
[[nodiscard]] constexpr double lm_head_params(const ModelSpec& m) {
  return m.tied_embeddings ? 0.0 : static_cast<double>(m.vocab_size) * m.hidden_size;
}

// L * per_layer + embedding + LM head + final norm.
[[nodiscard]] constexpr double params_total(const ModelSpec& m) {
  return m.layers * params_per_layer(m) + embedding_params(m) + lm_head_params(m) + params_per_norm(m);
}

}  // namespace infersim

#pragma once
// Parameter counts of a decoder-only transformer.
// Source: docs/formulas.md#params_total; Touvron et al. 2023 (Llama 2) and the published config.json
// files; Brown et al. 2020 (GPT-3) and Radford et al. 2019 (GPT-2) for biases and learned positions.
#include "core/model_spec.hpp"

namespace infersim {

// Multi-head latent attention (DeepSeek-V2 paper §2.1, and its config.json names): query down
// projection h*q_lora and its RMSNorm, query up projection q_lora*H*(nope+rope) (or h*H*(nope+rope)
// without query compression), joint KV down projection h*(kv_lora+rope) and its RMSNorm, KV up
// projection kv_lora*H*(nope+v), output H*v*h.
[[nodiscard]] constexpr double mla_attention_params_per_layer(const ModelSpec& m) {
  const double h = m.hidden_size;
  const double H = m.attention_heads;
  const MlaSpec& a = m.mla;
  const double q_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
  const double q =
      a.q_lora_rank > 0 ? h * a.q_lora_rank + a.q_lora_rank + a.q_lora_rank * H * q_head : h * H * q_head;
  const double kv = h * (a.kv_lora_rank + a.qk_rope_head_dim) + a.kv_lora_rank +
                    a.kv_lora_rank * H * (a.qk_nope_head_dim + a.v_head_dim);
  return q + kv + H * a.v_head_dim * h;
}

// The small vectors of one standard-attention layer: the per-head query and key RMSNorms' scales
// (qk_norm rmsnorm: 2*dh; Qwen3 Technical Report §2, Gemma 3; Llama 4's L2 norm has none) and one learned
// sink logit per head (attention_sinks: H; gpt-oss model card §2).
[[nodiscard]] constexpr double attention_vector_params_per_layer(const ModelSpec& m) {
  double params = m.qk_norm == QkNorm::rmsnorm ? 2.0 * m.head_dim : 0.0;
  if (m.attention_sinks) params += m.attention_heads;
  return params;
}

// Q, K, V and output projections: h*H*dh + 2*h*Hkv*dh + H*dh*h, plus biases (Q, K, V: H*dh +
// 2*Hkv*dh; output: h), plus the QK-norm scales and sink logits (attention_vector_params_per_layer).
[[nodiscard]] constexpr double attention_params_per_layer(const ModelSpec& m) {
  if (m.attention == AttentionKind::mla) return mla_attention_params_per_layer(m);
  const double h = m.hidden_size;
  const double q = q_width(m);
  const double kv = kv_width(m);
  double params = h * q + 2.0 * h * kv + q * h;
  if (m.linear_bias != LinearBias::none) params += q + 2.0 * kv;
  if (m.linear_bias == LinearBias::all) params += h;
  return params + attention_vector_params_per_layer(m);
}

// Weight matrices of one MLP: gated (gate, up, down) 3, plain (up, down) 2.
[[nodiscard]] constexpr double mlp_matrices(const ModelSpec& m) {
  return m.mlp == MlpKind::gated ? 3.0 : 2.0;
}

// A dense MLP of inner width f: gated 3*h*f, plain 2*h*f; biases f per up/gate and h for down.
[[nodiscard]] constexpr double dense_mlp_params(const ModelSpec& m, double f) {
  const double h = m.hidden_size;
  double params = mlp_matrices(m) * h * f;
  if (m.linear_bias == LinearBias::all) params += (mlp_matrices(m) - 1.0) * f + h;
  return params;
}

[[nodiscard]] constexpr double mlp_params_per_layer(const ModelSpec& m) {
  return dense_mlp_params(m, m.intermediate_size);
}

// An MoE MLP with `experts` of its routed experts counted (all of them for the total, top-k for the
// parameters one token touches): experts * mats*h*f_e + shared * mats*h*f_s + router h*E (+ the
// shared-expert gate h). Mixtral (Jiang et al. 2024) §2; DeepSeek-V3 technical report (2024) §2.1.2.
[[nodiscard]] constexpr double moe_mlp_params_per_layer(const ModelSpec& m, double experts) {
  const double h = m.hidden_size;
  const MoeSpec& e = m.moe;
  const double routed = experts * mlp_matrices(m) * h * e.expert_intermediate_size;
  const double shared = e.shared_experts * mlp_matrices(m) * h * e.shared_expert_intermediate_size;
  return routed + shared + h * e.experts + (e.shared_expert_gate ? h : 0.0);
}

// One norm holds h scales (RMSNorm, Zhang & Sennrich 2019) or h scales and h shifts (LayerNorm,
// Ba et al. 2016).
[[nodiscard]] constexpr double params_per_norm(const ModelSpec& m) {
  return m.norm == NormKind::layernorm ? 2.0 * m.hidden_size : 1.0 * m.hidden_size;
}

// Pre-norm blocks have two norms; parallel attention+MLP blocks (Falcon-7B, GPT-J) share one.
[[nodiscard]] constexpr int norms_per_layer(const ModelSpec& m) { return m.parallel_blocks ? 1 : 2; }

// Attention and norms of one layer: the part every layer has, whatever its MLP.
[[nodiscard]] constexpr double attention_and_norm_params_per_layer(const ModelSpec& m) {
  return attention_params_per_layer(m) + norms_per_layer(m) * params_per_norm(m);
}

// One dense layer (docs/formulas.md#attention_params_per_layer, #dense_mlp_params).
[[nodiscard]] constexpr double params_per_layer(const ModelSpec& m) {
  return attention_and_norm_params_per_layer(m) + mlp_params_per_layer(m);
}

// All layers, with `routed_experts` of each MoE layer's experts counted.
[[nodiscard]] constexpr double layer_stack_params(const ModelSpec& m, double routed_experts) {
  return m.layers * attention_and_norm_params_per_layer(m) + dense_layer_count(m) * mlp_params_per_layer(m) +
         moe_layer_count(m) * moe_mlp_params_per_layer(m, routed_experts);
}

// Token embedding V*h, plus a learned position table max_context*h (GPT-2/GPT-3).
[[nodiscard]] constexpr double embedding_params(const ModelSpec& m) {
  double params = static_cast<double>(m.vocab_size) * m.hidden_size;
  if (m.position_embedding == PositionEmbedding::learned)
    params += static_cast<double>(m.max_context) * m.hidden_size;
  return params;
}

// LM head V*h, absent when it reuses the embedding matrix.
[[nodiscard]] constexpr double lm_head_params(const ModelSpec& m) {
  return m.tied_embeddings ? 0.0 : static_cast<double>(m.vocab_size) * m.hidden_size;
}

// L * per_layer + embedding + LM head + final norm.
[[nodiscard]] constexpr double params_total(const ModelSpec& m) {
  return layer_stack_params(m, m.moe.experts) + embedding_params(m) + lm_head_params(m) + params_per_norm(m);
}

// Parameters one token passes through, as model cards count "active" parameters: every routed
// expert it is sent to (top-k) plus everything else, embedding and LM head included.
[[nodiscard]] constexpr double params_active(const ModelSpec& m) {
  return layer_stack_params(m, m.moe.experts_per_token) + embedding_params(m) + lm_head_params(m) +
         params_per_norm(m);
}

}  // namespace infersim

#pragma once
// Device memory: what must be resident, and whether it fits.
// Source: docs/formulas.md#prefill_activation_peak_bytes, #memory_per_device; vLLM's
// gpu_memory_utilization for the usable fraction.
#include <algorithm>

#include "core/model_spec.hpp"

namespace infersim {

// Activation elements per token alive in an MLP of inner width f: the up (or gate+up) output and
// the activation's output.
[[nodiscard]] constexpr double mlp_live_elements(const ModelSpec& m, double f) {
  return (m.mlp == MlpKind::gated ? 2.0 : 1.0) * f + f;
}

// Activation elements per token alive in the attention half: Q, K, V and the output (MLA: the
// up-projected per-head queries, keys and values and the output).
[[nodiscard]] constexpr double attention_live_elements(const ModelSpec& m) {
  if (m.attention == AttentionKind::mla) {
    const MlaSpec& a = m.mla;
    const double H = m.attention_heads;
    return H * (a.qk_nope_head_dim + a.qk_rope_head_dim) + H * (a.qk_nope_head_dim + a.v_head_dim) +
           H * a.v_head_dim;
  }
  return 2.0 * q_width(m) + 2.0 * kv_width(m);
}

// Peak transient activations of a prefill pass of `tokens` tokens, one layer live at a time (layers
// run in sequence and free their intermediates). The largest live set is the residual and normed
// input plus either the attention half or the MLP half (an MoE layer holds k routed copies per token
// and its shared experts), plus the logits of the last positions and, for unfused attention, the
// score matrix and its softmax (b*H*s*s each). Our accounting; an upper estimate for engines that
// fuse more.
[[nodiscard]] constexpr double prefill_activation_peak_bytes(const ModelSpec& m, double batch, double tokens,
                                                             double prompt_tokens, bool unfused_attention,
                                                             double act_bytes) {
  double mlp_half = dense_layer_count(m) > 0 ? mlp_live_elements(m, m.intermediate_size) : 0.0;
  if (is_moe(m)) {
    const MoeSpec& e = m.moe;
    const double moe = e.experts_per_token * mlp_live_elements(m, e.expert_intermediate_size) +
                       e.shared_experts * mlp_live_elements(m, e.shared_expert_intermediate_size);
    mlp_half = std::max(mlp_half, moe);
  }
  const double per_token = 2.0 * m.hidden_size + std::max(attention_live_elements(m), mlp_half);
  double elements = tokens * per_token + batch * m.vocab_size;
  if (unfused_attention) elements += 2.0 * batch * m.attention_heads * prompt_tokens * prompt_tokens;
  return elements * act_bytes;
}

// Memory the runtime may use: capacity * usable fraction (vLLM gpu_memory_utilization, default 0.9).
[[nodiscard]] constexpr double usable_memory_bytes(double capacity_B, double usable_fraction) {
  return capacity_B * usable_fraction;
}

}  // namespace infersim

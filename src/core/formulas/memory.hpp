#pragma once
// Device memory: what must be resident, and whether it fits.
// Source: REFERENCE.md "Derived metrics"; vLLM's gpu_memory_utilization for the usable fraction.
#include <algorithm>

#include "core/model_spec.hpp"

namespace infersim {

// Peak transient activations of a prefill pass of `tokens` tokens, one layer live at a time (layers
// run in sequence and free their intermediates). The largest live set is either the attention half
// (residual, normed input, Q, K, V, attention output) or the MLP half (residual, normed input, the up
// projection's output and the activation's output), plus the logits of the last positions and, for
// unfused attention, the score matrix and its softmax (b*H*s*s each). Our accounting; an upper
// estimate for engines that fuse more.
[[nodiscard]] constexpr double prefill_activation_peak_bytes(const ModelSpec& m, double batch, double tokens,
                                                             double prompt_tokens, bool unfused_attention,
                                                             double act_bytes) {
  const double h = m.hidden_size;
  const double up_width = m.mlp == MlpKind::gated ? 2.0 * m.intermediate_size : m.intermediate_size;
  const double attention_half = 2.0 * h + 2.0 * q_width(m) + 2.0 * kv_width(m);
  const double mlp_half = 2.0 * h + up_width + m.intermediate_size;
  double elements = tokens * std::max(attention_half, mlp_half) + batch * m.vocab_size;
  if (unfused_attention) elements += 2.0 * batch * m.attention_heads * prompt_tokens * prompt_tokens;
  return elements * act_bytes;
}

// Memory the runtime may use: capacity * usable fraction (vLLM gpu_memory_utilization, default 0.9).
[[nodiscard]] constexpr double usable_memory_bytes(double capacity_B, double usable_fraction) {
  return capacity_B * usable_fraction;
}

}  // namespace infersim

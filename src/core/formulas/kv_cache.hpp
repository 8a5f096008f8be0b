#pragma once
// KV-cache sizes. Source: REFERENCE.md "KV cache"; Shazeer 2019 (MQA) §2; Ainslie et al. 2023 (GQA).
#include <algorithm>

namespace infersim {

// Bytes of K and V cached per token over all layers, one sequence: 2 * L * Hkv * dh * p_kv.
[[nodiscard]] constexpr double kv_bytes_per_token(int layers, int kv_heads, int head_dim, double kv_bytes_per_elem) {
  return 2.0 * layers * kv_heads * head_dim * kv_bytes_per_elem;
}

// Tokens a sequence keeps cached: a sliding window (Mistral, Jiang et al. 2023) caps the context.
// window == 0 means full attention.
[[nodiscard]] constexpr double cached_tokens(double context_tokens, double window) {
  return window > 0.0 ? std::min(context_tokens, window) : context_tokens;
}

// KV cache of a batch at a given context: b * min(t, window) * kv_bytes_per_token.
[[nodiscard]] constexpr double kv_cache_bytes(double batch, double context_tokens, double window,
                                              double kv_bytes_per_token_) {
  return batch * cached_tokens(context_tokens, window) * kv_bytes_per_token_;
}

}  // namespace infersim

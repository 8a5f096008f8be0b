#pragma once
// KV-cache sizes. Source: docs/formulas.md#kv_bytes_per_token; Shazeer 2019 (MQA) §2.4, §3; Ainslie et al.
// 2023 (GQA) §2.2.
#include <algorithm>

#include "core/model_spec.hpp"

namespace infersim {

// Bytes of K and V cached per token over all layers, one sequence: 2 * L * Hkv * dh * p_kv.
[[nodiscard]] constexpr double kv_bytes_per_token(int layers, int kv_heads, int head_dim,
                                                  double kv_bytes_per_elem) {
  return 2.0 * layers * kv_heads * head_dim * kv_bytes_per_elem;
}

// MLA caches the kv latent plus the decoupled rotary key, shared by all heads:
// L * (kv_lora_rank + qk_rope_head_dim) * p_kv (DeepSeek-V2 paper §2.1; DeepSeek-V3 bf16:
// 61 * (512 + 64) * 2 = 70,272 B).
[[nodiscard]] constexpr double mla_kv_bytes_per_token(int layers, int kv_lora_rank, int rope_dim,
                                                      double kv_bytes_per_elem) {
  return static_cast<double>(layers) * (kv_lora_rank + rope_dim) * kv_bytes_per_elem;
}

[[nodiscard]] constexpr double model_kv_bytes_per_token(const ModelSpec& m, double kv_bytes_per_elem) {
  if (m.attention == AttentionKind::mla) {
    return mla_kv_bytes_per_token(m.layers, m.mla.kv_lora_rank, m.mla.qk_rope_head_dim, kv_bytes_per_elem);
  }
  return kv_bytes_per_token(m.layers, m.kv_heads, m.head_dim, kv_bytes_per_elem);
}

// Tokens a sequence keeps cached: a sliding window (Mistral, Jiang et al. 2023) caps the context.
// window == 0 means full attention.
[[nodiscard]] constexpr double cached_tokens(double context_tokens, double window) {
  return window > 0.0 ? std::min(context_tokens, window) : context_tokens;
}

// KV cache of a batch at a given context: b * min(t, window) * kv_bytes_per_token (one window for every
// layer; model_kv_cache_bytes sums a per-layer pattern).
[[nodiscard]] constexpr double kv_cache_bytes(double batch, double context_tokens, double window,
                                              double kv_bytes_per_token_) {
  return batch * cached_tokens(context_tokens, window) * kv_bytes_per_token_;
}

// KV cache of `batch` sequences at context t, summed over the model's groups of layers that share a key
// span (core/key_span.hpp): each group caches span_cached_tokens(span, t) tokens of its layers' K and V
// (a sliding-window layer at most W, a chunked one at most C; Gemma 3, gpt-oss, Llama 4), a chunked one
// all t where the runtime's cache keeps the whole sequence (`cache`, cached_span).
[[nodiscard]] inline double model_kv_cache_bytes(const ModelSpec& m, double batch, double t,
                                                 double kv_bytes_per_elem, ChunkedCache cache) {
  const SpanGroups groups = span_groups(m);
  if (groups.count == 1)
    return batch * span_cached_tokens(cached_span(groups.group[0].span, cache), t) *
           model_kv_bytes_per_token(m, kv_bytes_per_elem);
  ModelSpec layer_group = m;
  double total = 0.0;
  for (int i = 0; i < groups.count; ++i) {
    const SpanGroup& g = groups.group[static_cast<std::size_t>(i)];
    layer_group.layers = g.layers;
    total += batch * span_cached_tokens(cached_span(g.span, cache), t) *
             model_kv_bytes_per_token(layer_group, kv_bytes_per_elem);
  }
  return total;
}

}  // namespace infersim

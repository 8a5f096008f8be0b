#pragma once
// How far back a layer's queries look, and what that costs: the keys one query attends, the tokens a
// sequence keeps cached, and the query-key pairs of a causal pass (docs/formulas.md#key_span).
// Full attention (Vaswani et al. 2017); a sliding window of W tokens (Longformer, Beltagy et al. 2020;
// Mistral 7B, Jiang et al. 2023); chunked local attention of C tokens (Llama 4: a query sees the tokens
// of its own C-token chunk).
#include <algorithm>
#include <array>
#include <optional>

namespace infersim {

enum class KeySpanKind { full, sliding, chunked };
struct KeySpan {
  KeySpanKind kind = KeySpanKind::full;
  long long tokens = 0;  // W or C; 0 for full
  friend bool operator==(const KeySpan&, const KeySpan&) = default;
};

// Keys the query at position t (1-based; the context including itself) attends: t, min(t, W), or its
// place in its chunk, (t - 1) mod C + 1.
[[nodiscard]] constexpr double attended_keys(const KeySpan& span, double t) {
  switch (span.kind) {
    case KeySpanKind::sliding:
      return std::min(t, static_cast<double>(span.tokens));
    case KeySpanKind::chunked: {
      const double c = static_cast<double>(span.tokens);
      const double before = static_cast<double>(static_cast<long long>((t - 1.0) / c)) * c;
      return t - before;
    }
    case KeySpanKind::full:
      break;
  }
  return t;
}

// Tokens a sequence of context t keeps cached for the layer: t, or at most W or C (a chunked layer keeps
// the current chunk, which grows to C).
[[nodiscard]] constexpr double span_cached_tokens(const KeySpan& span, double t) {
  return span.kind == KeySpanKind::full ? t : std::min(t, static_cast<double>(span.tokens));
}

// The cap of a span: W or C, 0 for full attention (no cap).
[[nodiscard]] constexpr long long span_cap(const KeySpan& span) {
  return span.kind == KeySpanKind::full ? 0 : span.tokens;
}

// What a runtime's paged KV cache keeps of a chunked layer (docs/formulas.md#key_span): the current chunk,
// freeing each chunk's blocks when the next begins (vLLM V1's ChunkedLocalAttentionManager), or every token
// of the sequence, as a cache sized by one attention window for all layers does (TensorRT-LLM's
// KVCacheManager: max_attention_window, the whole sequence unless the user gives one). Attention reads
// only the chunk either way; only what the cache holds differs.
enum class ChunkedCache { chunk, whole };

// The span whose cap bounds what a layer keeps cached: the layer's own, or full for a chunked layer under
// a cache that keeps the whole sequence.
[[nodiscard]] constexpr KeySpan cached_span(const KeySpan& span, ChunkedCache cache) {
  return span.kind == KeySpanKind::chunked && cache == ChunkedCache::whole ? KeySpan{} : span;
}

// Query-key pairs of one causal sequence of s tokens, the sum of attended_keys over t = 1..s:
// full s(s+1)/2; sliding W < s: W(W+1)/2 + (s-W)W; chunked: q whole chunks of C(C+1)/2 and the r = s - qC
// tokens of the last, r(r+1)/2. Fused (FlashAttention-style) kernels skip masked blocks: this is their work.
[[nodiscard]] constexpr double span_pairs(const KeySpan& span, double s) {
  const double w = static_cast<double>(span.tokens);
  if (span.kind == KeySpanKind::full || w >= s) return s * (s + 1.0) / 2.0;
  if (span.kind == KeySpanKind::sliding) return w * (w + 1.0) / 2.0 + (s - w) * w;
  const double whole = static_cast<double>(static_cast<long long>(s / w));
  const double rest = s - whole * w;
  return whole * w * (w + 1.0) / 2.0 + rest * (rest + 1.0) / 2.0;
}

// StreamingLLM (Xiao et al. 2023, "Efficient Streaming Language Models with Attention Sinks", §3.2):
// a sequence keeps its first S tokens (the attention sinks) and its W most recent, S + W = `cache_tokens`,
// and a query attends those. As a span: full -> sliding S+W; sliding W' -> sliding min(W', S+W); a chunk
// of C <= S+W is unchanged (its cache never exceeds S+W). A longer chunk has no such form: none.
[[nodiscard]] constexpr std::optional<KeySpan> streaming_span(const KeySpan& span, long long cache_tokens) {
  switch (span.kind) {
    case KeySpanKind::full:
      return KeySpan{KeySpanKind::sliding, cache_tokens};
    case KeySpanKind::sliding:
      return KeySpan{KeySpanKind::sliding, std::min(span.tokens, cache_tokens)};
    case KeySpanKind::chunked:
      break;
  }
  if (span.tokens <= cache_tokens) return span;
  return std::nullopt;
}

// The key spans of a model's layers, grouped: each distinct span and how many layers use it.
struct SpanGroup {
  KeySpan span;
  int layers = 0;
};
inline constexpr int kMaxSpanGroups = 4;
struct SpanGroups {
  std::array<SpanGroup, kMaxSpanGroups> group{};
  int count = 0;
};

}  // namespace infersim

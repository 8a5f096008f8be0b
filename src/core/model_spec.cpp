#include "core/model_spec.hpp"

#include "core/errors.hpp"

namespace infersim {

SpanGroups span_groups(const ModelSpec& m) {
  SpanGroups out;
  if (m.attention_pattern.empty()) {  // one span for every layer
    out.group[0] = {layer_key_span(m, 0), m.layers};
    out.count = 1;
    return out;
  }
  for (int i = 0; i < m.layers; ++i) {
    const KeySpan span = layer_key_span(m, i);
    int g = 0;
    while (g < out.count && !(out.group[static_cast<std::size_t>(g)].span == span)) ++g;
    if (g == out.count) {
      if (out.count == kMaxSpanGroups) {
        throw InputError("model '" + m.name + "' has more than " + std::to_string(kMaxSpanGroups) +
                         " distinct attention spans");
      }
      out.group[static_cast<std::size_t>(g)].span = span;
      ++out.count;
    }
    ++out.group[static_cast<std::size_t>(g)].layers;
  }
  return out;
}

namespace {

KeySpan streamed(const ModelSpec& m, const KeySpan& span, long long cache_tokens) {
  const std::optional<KeySpan> out = streaming_span(span, cache_tokens);
  if (!out) {
    throw InputError("model '" + m.name + "' has chunked attention of " + std::to_string(span.tokens) +
                     " tokens, more than the StreamingLLM cache of " + std::to_string(cache_tokens));
  }
  return *out;
}

}  // namespace

ModelSpec streaming_model(const ModelSpec& m, long long cache_tokens) {
  ModelSpec out = m;
  if (out.attention_pattern.empty()) {
    out.sliding_window = streamed(m, layer_key_span(m, 0), cache_tokens).tokens;
    return out;
  }
  for (KeySpan& span : out.attention_pattern) span = streamed(m, span, cache_tokens);
  return out;
}

}  // namespace infersim

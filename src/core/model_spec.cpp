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

}  // namespace infersim

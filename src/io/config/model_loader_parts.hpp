#pragma once
// Readers of the model keys that describe layers unlike one another or weights as a checkpoint ships
// them (docs/formats.md): attention_pattern, qk_norm, attention_sinks and weights_as_shipped. Internal to
// the model loader (io/config/model_loader.cpp), which reads the shape first: the pattern is checked
// against `layers` and `max_context`, the experts' format against `moe`.
#include "core/model_spec.hpp"
#include "io/config/yaml_map.hpp"

namespace infersim {

// attention_pattern (refused beside sliding_window), qk_norm and attention_sinks.
void read_layer_attention(YamlMap& y, ModelSpec& m);
// weights_as_shipped: `default` and, for a Mixture-of-Experts model, `experts`.
void read_weights_as_shipped(YamlMap& y, ModelSpec& m);

}  // namespace infersim

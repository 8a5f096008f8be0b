#include "io/hf/hf_read.hpp"

#include <fmt/format.h>

namespace infersim::hf {

void record(HfModel& m, std::string_view yaml_key, std::string origin) {
  m.origin[std::string(yaml_key)] = std::move(origin);
}

int take(const HfConfig& c, HfModel& m, std::string_view yaml_key, std::string_view json_key, long long min,
         long long max) {
  const long long value = c.integer(json_key, min, max);
  record(m, yaml_key, c.qualified(json_key));
  return static_cast<int>(value);
}

bool take_flag(const HfConfig& c, HfModel& m, std::string_view yaml_key, std::string_view json_key,
               bool fallback, std::string_view fallback_origin) {
  const bool value = c.flag(json_key, fallback);
  record(m, yaml_key,
         c.has(json_key) ? fmt::format("{} {}", c.qualified(json_key), value) : std::string(fallback_origin));
  return value;
}

Activation take_activation(const HfConfig& c, HfModel& m, std::string_view json_key,
                           std::string_view fallback) {
  const std::string name = c.text(json_key, fallback);
  record(m, "activation",
         c.has(json_key) ? c.qualified(json_key)
                         : fmt::format("{} absent: transformers default {}", json_key, fallback));
  if (name == "silu" || name == "swish") return Activation::silu;
  if (name.rfind("gelu", 0) == 0) return Activation::gelu;  // gelu, gelu_new, gelu_fast, gelu_pytorch_tanh
  if (name == "relu") return Activation::relu;
  c.fail(json_key, fmt::format("'{}' is '{}': infersim models silu, gelu (and its approximations) and relu",
                               json_key, excerpt(name)));
}

void take_head_dim(const HfConfig& c, HfModel& m) {
  ModelSpec& s = m.spec;
  if (c.has("head_dim")) {
    s.head_dim = take(c, m, "head_dim", "head_dim");
  } else if (s.hidden_size % s.attention_heads != 0) {
    c.fail("num_attention_heads",
           fmt::format("'num_attention_heads' ({}) must divide 'hidden_size' ({}) when "
                       "'head_dim' is absent",
                       s.attention_heads, s.hidden_size));
  } else {
    s.head_dim = s.hidden_size / s.attention_heads;
  }
}

void set_sliding_window(HfModel& m, long long window, std::string origin) {
  if (window >= m.spec.max_context) {
    m.notes.push_back(fmt::format("{} ({}) spans the whole context ({}): full attention.", origin, window,
                                  m.spec.max_context));
    return;
  }
  m.spec.sliding_window = window;
  record(m, "sliding_window", std::move(origin));
}

}  // namespace infersim::hf

#pragma once
// Helpers shared by the Hugging Face family readers (hf_families*.cpp): each reads one config.json
// key into the spec and records where the value came from. Internal to infersim_io.
#include <string>
#include <string_view>

#include "io/hf/hf_families.hpp"

namespace infersim::hf {

// An integer key, recorded as the origin of `yaml_key`.
[[nodiscard]] int take(const HfConfig& c, HfModel& m, std::string_view yaml_key, std::string_view json_key,
                       long long min = 1, long long max = HfConfig::kMaxCount);
// A boolean key; `fallback_origin` names the default when the key is absent.
[[nodiscard]] bool take_flag(const HfConfig& c, HfModel& m, std::string_view yaml_key,
                             std::string_view json_key, bool fallback, std::string_view fallback_origin);
// silu/swish, gelu* (every GELU approximation costs the same here) or relu.
[[nodiscard]] Activation take_activation(const HfConfig& c, HfModel& m, std::string_view json_key,
                                         std::string_view fallback);
// head_dim when given, else hidden_size / num_attention_heads, which must then divide exactly.
void take_head_dim(const HfConfig& c, HfModel& m);
// A window of `window` keys from `origin`; none (and a note) when it spans the whole context.
void set_sliding_window(HfModel& m, long long window, std::string origin);
void record(HfModel& m, std::string_view yaml_key, std::string origin);

// Falcon and GPT-NeoX (hf_families_parallel.cpp).
void read_falcon(const HfConfig& c, HfModel& m);
void read_gpt_neox(const HfConfig& c, HfModel& m);

}  // namespace infersim::hf

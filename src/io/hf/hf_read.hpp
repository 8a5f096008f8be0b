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

// The keys LlamaConfig and the configs modelled on it share (hf_families.cpp); `kv_required`: the
// config class has no num_key_value_heads default of num_attention_heads.
void read_decoder(const HfConfig& c, HfModel& m, bool kv_required);
void read_llama_bias(const HfConfig& c, HfModel& m);
void refuse_qwen2_sliding_window(const HfConfig& c);
void read_qwen2_moe(const HfConfig& c, HfModel& m);
void read_mistral(const HfConfig& c, HfModel& m, bool mixtral);

// Models whose layers differ (hf_families_layered.cpp): Qwen3 and Qwen3-MoE, gpt-oss, Gemma 3 and
// Llama 4 (the last two given their text_config).
void read_qwen3(const HfConfig& c, HfModel& m, bool moe);
void read_gpt_oss(const HfConfig& c, HfModel& m);
void read_gemma3(const HfConfig& c, HfModel& m);
void read_llama4(const HfConfig& c, HfModel& m);
// quantization_config -> weights_as_shipped where the format can say it (mxfp4 experts; fp8 with block
// scales); a note otherwise.
void read_quantization(const HfConfig& c, HfModel& m);

// Falcon and GPT-NeoX (hf_families_parallel.cpp).
void read_falcon(const HfConfig& c, HfModel& m);
void read_gpt_neox(const HfConfig& c, HfModel& m);

}  // namespace infersim::hf

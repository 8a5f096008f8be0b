#pragma once
// Hugging Face config.json -> ModelSpec, one reader per architecture family (LlamaForCausalLM,
// MistralForCausalLM, MixtralForCausalLM, Qwen2ForCausalLM, Qwen2MoeForCausalLM, Qwen3ForCausalLM,
// Qwen3MoeForCausalLM, DeepseekV2/V3ForCausalLM, FalconForCausalLM, GPTNeoXForCausalLM, GptOssForCausalLM,
// Gemma3ForCausalLM; and the text model of Gemma3-, Llama4- and Mistral3ForConditionalGeneration, read
// from their text_config). Shape keys (layers, widths, heads, vocabulary) are required;
// switches a config.json may leave out take the default of the transformers config class, and the
// origin says so. What our format cannot express is an error, or a note when the difference is small.
#include <map>
#include <string>
#include <vector>

#include "core/model_spec.hpp"
#include "io/hf/hf_config.hpp"

namespace infersim {

struct HfModel {
  std::string architecture;
  ModelSpec spec;  // name, source and description are left empty
  // YAML key ("layers", "moe.experts") -> the config.json key or default it came from. Optional YAML
  // keys (head_dim, sliding_window, mla.*, moe.*) are written only when they appear here;
  // attention_pattern, qk_norm, attention_sinks and weights_as_shipped when the spec sets them.
  std::map<std::string, std::string> origin;
  std::vector<std::string> notes;  // what the format counts differently, for the file's header
};

// The architectures read_hf_model knows, in the order messages list them.
[[nodiscard]] std::vector<std::string> known_hf_architectures();

// Throws ConfigError for an unknown architecture, a missing required key or a value of the wrong type.
[[nodiscard]] HfModel read_hf_model(HfConfig& config);

}  // namespace infersim

#pragma once
// `infersim import-hf`: a Hugging Face config.json -> our model YAML (docs/formats.md), every value
// commented with the config.json key or the transformers default it came from. The families and the
// keys read are in io/hf/hf_families.hpp. The YAML returned always loads with load_model: the conversion
// checks it with the loader before returning it.
#include <string>

namespace infersim {

struct HfImportOptions {
  std::string source;  // the config.json path: written as `source:` and used in error messages
  std::string name;    // the model's name in `description:`
};

// Pure: JSON text in, YAML text out. Throws ConfigError (`source:line:col: error: ...`) for text that
// is not a JSON object, an unknown architecture, a missing required key or a value of the wrong type.
[[nodiscard]] std::string hf_config_to_yaml(const std::string& json_text, const HfImportOptions& options);

// Reads `path` (ConfigError when it cannot) and converts it. `name` empty: the file's stem, or the
// name of its directory for a file called config.json (the layout of a downloaded model).
[[nodiscard]] std::string import_hf_config_file(const std::string& path, std::string name = "");

}  // namespace infersim

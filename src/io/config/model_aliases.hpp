#pragma once
// The model alias table, model_configs/aliases.yaml: the names people type (Hugging Face repository
// names such as meta-llama/Llama-3.1-8B-Instruct) mapped to a shipped model's name. A mapping of alias
// to model name, read strictly: a key or value that is not a plain one-line string, a model name that
// is not a file stem (lower-case letters, digits, '.', '-', '_'), or an alias given twice (compared
// without regard to case, as the Hub compares repository names) is a ConfigError naming the file and
// line. The file is not a model: `list models` and `-m aliases` leave it out.
#include <string>
#include <string_view>
#include <vector>

#include "io/config/config_error.hpp"

namespace infersim {

inline constexpr const char* kModelAliasStem = "aliases";  // model_configs/aliases.yaml

struct ModelAlias {
  std::string alias;  // as written in the table
  std::string model;  // a model name (a file stem in model_configs/)
  std::string file;   // the table it came from, for messages
  SourceMark mark;    // where its value stands
};

[[nodiscard]] std::vector<ModelAlias> load_model_aliases(const std::string& path);
[[nodiscard]] std::vector<ModelAlias> load_model_aliases_text(const std::string& text,
                                                              const std::string& path);

// Whether `typed` names `alias`: equal but for the case of ASCII letters.
[[nodiscard]] bool alias_matches(std::string_view alias, std::string_view typed);

}  // namespace infersim

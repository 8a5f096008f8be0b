#pragma once
// model_configs/NAME.yaml -> a validated ModelSpec (format: docs/formats.md). Throws ConfigError.
#include <string>

#include "core/model_spec.hpp"

namespace infersim {

[[nodiscard]] ModelSpec load_model(const std::string& path);
// The same from text already in memory (fuzzing, importers): `path` names it in messages and its
// stem becomes the name.
[[nodiscard]] ModelSpec load_model_text(const std::string& text, const std::string& path);

}  // namespace infersim

#pragma once
// model_configs/NAME.yaml -> a validated ModelSpec (format: docs/formats.md). Throws ConfigError.
#include <string>

#include "core/model_spec.hpp"

namespace infersim {

[[nodiscard]] ModelSpec load_model(const std::string& path);

}  // namespace infersim

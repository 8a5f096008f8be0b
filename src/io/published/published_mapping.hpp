#pragma once
// validation/published/mapping.yaml -> PublishedMapping (validation/published.hpp): the explicit tables that
// turn published text into shipped configurations. Every entry is a mapping with known keys; unknown
// or duplicate keys, unknown dtypes or metric kinds throw ConfigError naming the file, line and key.
#include <string>

#include "validation/published.hpp"

namespace infersim {

[[nodiscard]] PublishedMapping load_published_mapping(const std::string& path);
[[nodiscard]] PublishedMapping load_published_mapping_text(const std::string& text, const std::string& path);

}  // namespace infersim

#pragma once
// Strict text-to-number conversion shared by the YAML loaders and the CLI: the whole text must be
// the number (no trailing junk, no silent truncation of 1.5 to 1, no wrap-around on overflow).
#include <optional>
#include <string_view>

namespace infersim {

[[nodiscard]] std::optional<long long> parse_integer(std::string_view text);
// Finite decimal numbers only: "nan", "inf" and hex floats are rejected.
[[nodiscard]] std::optional<double> parse_real(std::string_view text);

}  // namespace infersim

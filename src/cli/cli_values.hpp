#pragma once
// Command-line values, parsed strictly with errors that name the flag:
// "--batch must be a positive integer, got 'abc'".
#include <string>

#include "core/dtype.hpp"

namespace infersim {

[[nodiscard]] long long positive_integer_flag(const std::string& flag, const std::string& text,
                                              long long max);
[[nodiscard]] double nonnegative_real_flag(const std::string& flag, const std::string& text, double max);
[[nodiscard]] Dtype dtype_flag(const std::string& flag, const std::string& text);

}  // namespace infersim

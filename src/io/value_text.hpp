#pragma once
// Values given as text (a flag, a sweep cell), parsed strictly with errors that name where the text
// came from: "--batch must be a positive integer no larger than 1000000, got 'abc'".
#include <string>

#include "core/dtype.hpp"

namespace infersim {

[[nodiscard]] long long positive_integer_flag(const std::string& flag, const std::string& text,
                                              long long max);
[[nodiscard]] double nonnegative_real_flag(const std::string& flag, const std::string& text, double max);
[[nodiscard]] Dtype dtype_flag(const std::string& flag, const std::string& text);

}  // namespace infersim

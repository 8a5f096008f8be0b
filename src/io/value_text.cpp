#include "io/value_text.hpp"

#include <fmt/format.h>

#include "core/errors.hpp"
#include "io/strict_number.hpp"

namespace infersim {

long long positive_integer_flag(const std::string& flag, const std::string& text, long long max) {
  const auto value = parse_integer(text);
  if (!value || *value < 1 || *value > max) {
    throw InputError(
        fmt::format("{} must be a positive integer no larger than {}, got '{}'", flag, max, text));
  }
  return *value;
}

double nonnegative_real_flag(const std::string& flag, const std::string& text, double max) {
  const auto value = parse_real(text);
  if (!value || *value < 0.0 || *value > max) {
    throw InputError(fmt::format("{} must be a number in [0, {}], got '{}'", flag, max, text));
  }
  return *value;
}

Dtype dtype_flag(const std::string& flag, const std::string& text) {
  const auto d = parse_dtype(text);
  if (!d) throw InputError(fmt::format("{} must be one of {}, got '{}'", flag, dtype_choices(), text));
  return *d;
}

}  // namespace infersim

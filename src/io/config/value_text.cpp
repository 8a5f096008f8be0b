#include "io/config/value_text.hpp"

#include <fmt/format.h>

#include <string_view>

#include "core/errors.hpp"
#include "io/config/strict_number.hpp"

namespace infersim {

long long positive_integer_flag(const std::string& flag, const std::string& text, long long max) {
  const auto value = parse_integer(text);
  if (!value || *value < 1 || *value > max) {
    throw InputError(
        fmt::format("{} must be a positive integer no larger than {}, got '{}'", flag, max, text));
  }
  return *value;
}

long long nonnegative_integer_flag(const std::string& flag, const std::string& text, long long max) {
  const auto value = parse_integer(text);
  if (!value || *value < 0 || *value > max) {
    throw InputError(fmt::format("{} must be an integer in [0, {}], got '{}'", flag, max, text));
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

double positive_real_flag(const std::string& flag, const std::string& text, double max) {
  const auto value = parse_real(text);
  if (!value || !(*value > 0.0) || *value > max) {
    throw InputError(fmt::format("{} must be a number in (0, {}], got '{}'", flag, max, text));
  }
  return *value;
}

DurationValue duration_flag(const std::string& flag, const std::string& text, double warn_above_s) {
  struct Unit {
    std::string_view suffix;
    double seconds;
  };
  // Longest suffix first: "ms" and "us" before "s".
  constexpr Unit kUnits[] = {{"ms", 1e-3}, {"us", 1e-6}, {"s", 1.0}};
  std::string_view number = text;
  double scale = 1.0;
  bool bare = true;
  for (const Unit& u : kUnits) {
    if (number.size() > u.suffix.size() && number.substr(number.size() - u.suffix.size()) == u.suffix) {
      number.remove_suffix(u.suffix.size());
      scale = u.seconds;
      bare = false;
      break;
    }
  }
  const auto value = parse_real(std::string(number));
  const double seconds = value ? *value * scale : 0.0;
  if (!value || !(seconds > 0.0) || seconds > kMaxTargetSeconds) {
    throw InputError(fmt::format("{} must be a time in (0, {}] seconds, as 0.5, 500ms or 0.5s, got '{}'",
                                 flag, kMaxTargetSeconds, text));
  }
  DurationValue d{seconds, ""};
  if (bare && seconds > warn_above_s) {
    d.warning =
        fmt::format("{} {} is read as {} seconds; write {}ms for milliseconds", flag, text, text, text);
  }
  return d;
}

Dtype dtype_flag(const std::string& flag, const std::string& text) {
  const auto d = parse_dtype(text);
  if (!d) throw InputError(fmt::format("{} must be one of {}, got '{}'", flag, dtype_choices(), text));
  return *d;
}

}  // namespace infersim

#pragma once
// Values given as text (a flag, a sweep cell), parsed strictly with errors that name where the text
// came from: "--batch must be a positive integer no larger than 1000000, got 'abc'".
#include <string>

#include "core/dtype.hpp"

namespace infersim {

[[nodiscard]] long long positive_integer_flag(const std::string& flag, const std::string& text,
                                              long long max);
// An integer in [0, max]: "--simulate must be an integer in [0, 100], got '-1'".
[[nodiscard]] long long nonnegative_integer_flag(const std::string& flag, const std::string& text,
                                                 long long max);
[[nodiscard]] double nonnegative_real_flag(const std::string& flag, const std::string& text, double max);
[[nodiscard]] Dtype dtype_flag(const std::string& flag, const std::string& text);
// A number in (0, max]: "--rate must be a number in (0, 1000000], got '0'".
[[nodiscard]] double positive_real_flag(const std::string& flag, const std::string& text, double max);

// A latency target: a number with a unit (`500ms`, `0.5s`, `200us`) or a bare number of seconds, in
// (0, kMaxTargetSeconds]. A bare number above `warn_above_s` is taken as seconds but draws a warning (it
// was probably meant as milliseconds).
inline constexpr double kMaxTargetSeconds = 86'400.0;
struct DurationValue {
  double seconds = 0.0;
  std::string warning;  // "" when none
};
[[nodiscard]] DurationValue duration_flag(const std::string& flag, const std::string& text,
                                          double warn_above_s);
// Where a bare target draws that warning: a TTFT above a minute, a TPOT above a second.
inline constexpr double kWarnTtftSeconds = 60.0;
inline constexpr double kWarnTpotSeconds = 1.0;

}  // namespace infersim

#pragma once
// Numbers as the machine-readable outputs write them: the shortest text that reads back as the same
// double, fmt's "{}".
#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>

namespace infersim {

// Appends fmt's "{}" text of `value`, with a fast path for the commonest values of a sweep's rows,
// byte and FLOP counts: a double holding an integer below 2^53 in magnitude. Such a double's
// neighbours are at most 1 apart, so its shortest round-trip text is the integer's own digits, and
// fmt writes fixed notation below 1e16: integer formatting gives the same bytes without the shortest-
// digits search. -0 is left to fmt (it keeps the sign).
inline void append_shortest(fmt::memory_buffer& out, double value) {
  constexpr double kExactIntegerLimit = 9007199254740992.0;  // 2^53
  if (std::fabs(value) < kExactIntegerLimit && value == std::trunc(value) &&
      !(value == 0.0 && std::signbit(value))) {
    fmt::format_to(fmt::appender(out), FMT_COMPILE("{}"), static_cast<long long>(value));
    return;
  }
  fmt::format_to(fmt::appender(out), FMT_COMPILE("{}"), value);
}

}  // namespace infersim

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>
#include <type_traits>

#include "io/report/report.hpp"

namespace infersim {

std::string format_number(double value) {
  if (!std::isfinite(value)) throw std::logic_error("internal error: a result is not a finite number");
  return fmt::format("{}", value);
}

std::vector<Field> summary_fields(const EstimateReport& r) {
  std::vector<Field> fields;
  fields.reserve(48);
  for_each_summary_field(r, [&fields](const char* key, auto value) {
    if constexpr (std::is_same_v<decltype(value), std::string_view>) {
      fields.push_back({key, std::string(value)});
    } else {
      fields.push_back({key, value});
    }
  });
  return fields;
}

}  // namespace infersim

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
  // Scenario keys that only some estimates have (a sweep's columns come from its spec instead).
  const Scenario& sc = r.scenario;
  if (sc.expert_weights)
    fields.push_back({"expert_weights", std::string(dtype_name(sc.expert_weights->dtype))});
  if (sc.kv_window > 0) {
    fields.push_back({"kv_window", sc.kv_window});
    fields.push_back({"kv_sinks", sc.kv_sinks});
  }
  if (sc.layout.attention_dp > 1) {
    fields.push_back({"attention_dp", static_cast<long long>(sc.layout.attention_dp)});
    fields.push_back({"moe_tp", static_cast<long long>(sc.layout.moe_tp)});
  }
  return fields;
}

}  // namespace infersim

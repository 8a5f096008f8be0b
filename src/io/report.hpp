#pragma once
// Turns an Estimate into text: one list of named fields (the only place the output keys are spelled)
// rendered as JSON, CSV or a table for people. Keys are stable: later features add, never rename.
#include <string>
#include <variant>
#include <vector>

#include "core/engine.hpp"

namespace infersim {

using FieldValue = std::variant<long long, double, bool, std::string>;

struct Field {
  const char* key;
  FieldValue value;
};

struct EstimateReport {
  const ModelSpec& model;
  const HardwareSpec& hardware;
  const Scenario& scenario;
  const Estimate& estimate;
};

[[nodiscard]] std::vector<Field> summary_fields(const EstimateReport& r);

// Shortest text that reads back as the same double (fmt's default); integers print without a point.
// Throws std::logic_error for NaN or infinity: a non-finite result is a bug, never output.
[[nodiscard]] std::string format_number(double value);

[[nodiscard]] std::string to_json(const EstimateReport& r, bool breakdown);
[[nodiscard]] std::string to_csv(const EstimateReport& r, bool breakdown);
[[nodiscard]] std::string to_table(const EstimateReport& r, bool breakdown);

}  // namespace infersim

#pragma once
// The serving tables of validation/published/mapping.yaml: `loads` (a row's batch_or_concurrency text
// that names a load the runtime batches -> arrivals, requests, rate or latency targets, scheduler
// limits), `datasets` (a length text naming a dataset -> the request-length distribution taken from its
// published statistics) and the scheduler limits a `frameworks` entry may state. Every value is checked
// and a bad one is a ConfigError naming the file, line and key.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/config/yaml_map.hpp"
#include "validation/published_serving.hpp"

namespace infersim {

struct LoadEntry {
  ServingLoad load;  // its lengths come from the row (lengths or datasets), not from here
  std::string note;
};

struct DatasetEntry {
  // Given as serve's --input / --output take them (io/serving/length_text.hpp); a row's input column
  // reads `input`, its output column `output`.
  std::optional<serving::LengthDist> input, output;
  std::string note;
};

// The keys a load entry and a framework entry may give for the scheduler, and those of each table.
[[nodiscard]] std::vector<std::string_view> load_keys();
[[nodiscard]] std::vector<std::string_view> framework_keys();
[[nodiscard]] std::vector<std::string_view> dataset_keys();

[[nodiscard]] LoadEntry load_entry(YamlMap& y);
[[nodiscard]] DatasetEntry dataset_entry(YamlMap& y);
// The scheduler keys of a loads or frameworks entry (absent keys stay absent).
[[nodiscard]] SchedulerOverrides scheduler_overrides(YamlMap& y);
// A frameworks entry's scheduler keys, and those of its optional `offline` and `server` mappings (the
// settings its source gives for that scenario only).
[[nodiscard]] FrameworkLimits framework_limits(YamlMap& y);

// The mean of a length distribution in tokens, rounded (the scenario's lengths of a serving row).
[[nodiscard]] long long mean_tokens(const serving::LengthDist& d);

}  // namespace infersim

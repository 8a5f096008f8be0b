#pragma once
// Runs a sweep: every configuration of the axes' cross product, estimated and written as one CSV row
// (the estimate's summary fields), streaming in configuration order whatever the number of jobs.
// Configurations the engine rejects (TP not dividing the heads, a context past the model's maximum,
// a compute dtype the device lacks) are skipped and counted; ones that do not fit stay, fits=false.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/estimate.hpp"
#include "io/config/scenario_text.hpp"
#include "io/config/search_path.hpp"
#include "io/sweep/sweep_spec.hpp"

namespace infersim {

// One axis resolved once: its column (an index into kSweepKeys), the number of values and, for a
// scenario value, each value parsed (a patch that sets only that key) with its text.
struct SweepAxisPlan {
  int column = 0;
  std::size_t size = 0;
  std::optional<ScenarioKey> key;      // none for the file axes (model, hardware, runtime)
  std::vector<ScenarioValues> values;  // scenario axes only
  std::vector<std::string> text;       // as given, for the extra columns
  bool extra_column = false;           // written after the summary fields (no summary field shows it)
};

// The axes resolved once: files loaded, values parsed through io/scenario_text (the same parsers, bounds
// and errors as estimate's flags). Errors name the axis and the value.
struct SweepPlan {
  std::vector<ModelSpec> models;
  std::vector<HardwareSpec> hardware;
  std::vector<RuntimeTerms> runtimes;
  std::vector<SweepAxisPlan> axes;  // in the spec's order, the last varying fastest
  std::uint64_t total = 0;
};

[[nodiscard]] SweepPlan make_sweep_plan(const SweepSpec& spec, const SearchPath& search);

struct SweepOptions {
  int jobs = 1;
  // A benchmark's baseline: every row written as usual but with estimates computed once for the first
  // few configurations and cycled, so the run times the formatting and writing alone.
  bool formatting_floor = false;
  std::uint64_t first = 0;  // configurations [first, last) of the cross product (a shard)
  std::uint64_t last = 0;
};

struct SweepStats {
  std::uint64_t rows = 0;
  std::uint64_t skipped = 0;
};

// The header line (column names): the summary fields, then the extra columns of the plan's axes.
[[nodiscard]] std::string sweep_header(const SweepPlan& plan);

// Calls write(text) with the CSV rows of configurations [first, last), in order, and progress(done)
// after each block.
SweepStats run_sweep(const SweepPlan& plan, const SweepOptions& options,
                     const std::function<void(std::string_view)>& write,
                     const std::function<void(std::uint64_t)>& progress);

}  // namespace infersim

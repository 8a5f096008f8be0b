#include "io/sweep/sweep.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <iterator>
#include <stdexcept>
#include <type_traits>

#include "core/errors.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/config/scenario_text.hpp"
#include "io/report/report.hpp"
#include "io/text/escape.hpp"
#include "io/text/number_text.hpp"

namespace infersim {

namespace {

constexpr std::uint64_t kBlock = 2048;  // configurations per job per round
constexpr std::size_t kModelColumn = 0;
constexpr std::size_t kHardwareColumn = 1;
constexpr std::size_t kRuntimeColumn = 13;
static_assert(kSweepKeys[kModelColumn] == "model" && kSweepKeys[kHardwareColumn] == "hardware" &&
              kSweepKeys[kRuntimeColumn] == "runtime");

// The summary fields' keys, in output order: estimate's CSV columns (io/report/report.hpp spells them).
std::vector<std::string_view> summary_keys() {
  std::vector<std::string_view> keys;
  const ModelSpec m;
  const HardwareSpec hw;
  const Scenario sc;
  const Estimate e;
  for_each_summary_field(EstimateReport{m, hw, sc, e},
                         [&keys](const char* key, auto) { keys.push_back(key); });
  return keys;
}

// Whether a summary field already shows the axis (the file axes and the scenario values it prints).
bool summary_shows(std::string_view column) {
  const std::vector<std::string_view> keys = summary_keys();
  return std::find(keys.begin(), keys.end(), column) != keys.end();
}

SweepAxisPlan resolve_axis(SweepPlan& p, const SweepAxis& axis, int column, const SearchPath& search) {
  if (axis.values.empty()) throw InputError(fmt::format("sweep axis '{}' has no values", axis.key));
  SweepAxisPlan a;
  a.column = column;
  a.size = axis.values.size();
  a.extra_column = !summary_shows(axis.key);
  a.key = scenario_key_for_column(axis.key);
  const std::string what = fmt::format("sweep axis '{}'", axis.key);
  for (const std::string& v : axis.values) {
    if (axis.key == "model") {
      p.models.push_back(load_model(search.resolve("model_configs", v)));
    } else if (axis.key == "hardware") {
      p.hardware.push_back(load_hardware(search.resolve("hardware_profiles", v)));
    } else if (axis.key == "runtime") {
      p.runtimes.push_back(load_runtime(search.resolve("runtime_profiles", v), search).terms);
    } else {
      parse_scenario_value(a.values.emplace_back(), *a.key, v, what);
      a.text.push_back(v);
    }
  }
  return a;
}

// Axes the spec leaves out take estimate's defaults (io/config/scenario_text.hpp).
void fill_defaults(SweepPlan& p, const SearchPath& search) {
  if (p.models.empty()) p.models.push_back(load_model(search.resolve("model_configs", kDefaultModel)));
  if (p.hardware.empty())
    p.hardware.push_back(load_hardware(search.resolve("hardware_profiles", kDefaultHardware)));
  if (p.runtimes.empty())
    p.runtimes.push_back(load_runtime(search.resolve("runtime_profiles", kDefaultRuntime), search).terms);
}

struct Config {
  const ModelSpec* model;
  const HardwareSpec* hardware;
  Scenario scenario;
  std::size_t digit[kSweepKeys.size()];  // each axis' value index, by column
};

// Configuration `index` of the cross product, the last axis varying fastest.
void config_at(const SweepPlan& p, std::uint64_t index, Config& c) {
  ScenarioValues values;
  std::fill(std::begin(c.digit), std::end(c.digit), std::size_t{0});
  for (std::size_t k = p.axes.size(); k-- > 0;) {
    const SweepAxisPlan& a = p.axes[k];
    const auto d = static_cast<std::size_t>(index % a.size);
    index /= a.size;
    c.digit[a.column] = d;
    if (a.key) overlay(values, a.values[d]);
  }
  c.model = &p.models[c.digit[kModelColumn]];
  c.hardware = &p.hardware[c.digit[kHardwareColumn]];
  c.scenario = compose_scenario(values, p.runtimes[c.digit[kRuntimeColumn]], *c.model);
}

void append_row(fmt::memory_buffer& out, const EstimateReport& report, const SweepPlan& plan,
                const Config& c) {
  bool first = true;
  for_each_summary_field(report, [&out, &first](const char*, auto value) {
    if (!first) out.push_back(',');
    first = false;
    using T = decltype(value);
    if constexpr (std::is_same_v<T, std::string_view>)
      append_csv_field(out, value);
    else if constexpr (std::is_same_v<T, bool>)
      out.append(std::string_view(value ? "true" : "false"));
    else if constexpr (std::is_same_v<T, double>) {
      if (!std::isfinite(value)) throw std::logic_error("internal error: a result is not a finite number");
      append_shortest(out, value);  // shortest round trip, as estimate's
    } else
      fmt::format_to(fmt::appender(out), FMT_COMPILE("{}"), value);
  });
  for (const SweepAxisPlan& a : plan.axes) {
    if (!a.extra_column) continue;
    out.push_back(',');
    append_csv_field(out, a.text[c.digit[a.column]]);
  }
  out.push_back('\n');
}

struct Block {
  EstimateScratch scratch;  // this job's operator lists, reused configuration after configuration
  fmt::memory_buffer text;
  std::uint64_t rows = 0;
  std::uint64_t skipped = 0;
};

// The formatting floor's stand-in results: the estimates of the first kFloorSamples valid
// configurations, cycled, so the rows carry representative numbers at no cost of estimation.
constexpr std::size_t kFloorSamples = 64;

std::vector<Estimate> floor_samples(const SweepPlan& plan) {
  std::vector<Estimate> samples;
  Config c{};
  for (std::uint64_t i = 0; i < plan.total && samples.size() < kFloorSamples; ++i) {
    config_at(plan, i, c);
    if (!why_invalid(*c.model, *c.hardware, c.scenario))
      samples.push_back(estimate(*c.model, *c.hardware, c.scenario, false));
  }
  return samples;
}

void run_block(const SweepPlan& plan, std::uint64_t from, std::uint64_t to,
               const std::vector<Estimate>* floor, Block& block) {
  block.text.clear();
  block.rows = block.skipped = 0;
  Config c{};
  for (std::uint64_t i = from; i < to; ++i) {
    config_at(plan, i, c);
    if (floor) {
      append_row(block.text, {*c.model, *c.hardware, c.scenario, (*floor)[i % floor->size()]}, plan, c);
      ++block.rows;
      continue;
    }
    if (why_invalid(*c.model, *c.hardware, c.scenario)) {
      ++block.skipped;
      continue;
    }
    const Estimate e = estimate_valid(*c.model, *c.hardware, c.scenario, false, block.scratch);
    append_row(block.text, {*c.model, *c.hardware, c.scenario, e}, plan, c);
    ++block.rows;
  }
}

}  // namespace

SweepPlan make_sweep_plan(const SweepSpec& spec, const SearchPath& search) {
  SweepPlan p;
  for (const SweepAxis& axis : spec.axes) {
    const auto it = std::find(kSweepKeys.begin(), kSweepKeys.end(), axis.key);
    if (it == kSweepKeys.end())
      throw InputError(fmt::format("{}: unknown sweep axis '{}'", spec.origin, axis.key));
    const int column = static_cast<int>(it - kSweepKeys.begin());
    if (std::any_of(p.axes.begin(), p.axes.end(),
                    [column](const SweepAxisPlan& a) { return a.column == column; }))
      throw InputError(fmt::format("{}: sweep axis '{}' is given twice", spec.origin, axis.key));
    p.axes.push_back(resolve_axis(p, axis, column, search));
  }
  fill_defaults(p, search);
  Config first{};
  config_at(p, 0, first);  // values no configuration can compose (kv_sinks without kv_window) fail here
  double size = 1.0;       // exact up to 2^53, and never overflows
  for (const SweepAxisPlan& a : p.axes) size *= static_cast<double>(a.size);
  if (size > static_cast<double>(std::uint64_t{1} << 62))
    throw InputError(
        fmt::format("{}: {:.3g} configurations, more than any sweep can write", spec.origin, size));
  p.total = 1;
  for (const SweepAxisPlan& a : p.axes) p.total *= a.size;
  return p;
}

std::string sweep_header(const SweepPlan& plan) {
  std::string header;
  for (const std::string_view key : summary_keys()) {
    if (!header.empty()) header += ',';
    header += key;
  }
  for (const SweepAxisPlan& a : plan.axes) {
    if (a.extra_column) header += fmt::format(",{}", kSweepKeys[static_cast<std::size_t>(a.column)]);
  }
  return header + "\n";
}

SweepStats run_sweep(const SweepPlan& plan, const SweepOptions& options,
                     const std::function<void(std::string_view)>& write,
                     const std::function<void(std::uint64_t)>& progress) {
  std::vector<Estimate> samples;
  if (options.formatting_floor) samples = floor_samples(plan);
  const std::vector<Estimate>* floor = samples.empty() ? nullptr : &samples;
  const auto jobs = static_cast<std::size_t>(std::max(1, options.jobs));
  std::vector<Block> ready(jobs);
  std::vector<Block> next(jobs);
  SweepStats stats;
  std::uint64_t start = options.first;
  auto launch = [&](std::vector<Block>& blocks, std::uint64_t from) {
    std::vector<std::future<void>> running;
    for (std::size_t j = 0; j < jobs; ++j) {
      const std::uint64_t a = std::min(options.last, from + j * kBlock);
      const std::uint64_t b = std::min(options.last, a + kBlock);
      running.push_back(std::async(std::launch::async, [&plan, a, b, floor, &block = blocks[j]] {
        run_block(plan, a, b, floor, block);
      }));
    }
    return running;
  };
  // Double buffering: the jobs compute round r+1 while this thread writes round r.
  std::vector<std::future<void>> computing = launch(next, start);
  while (start < options.last) {
    for (auto& f : computing) f.get();
    std::swap(ready, next);
    const std::uint64_t round_end = std::min(options.last, start + jobs * kBlock);
    if (round_end < options.last)
      computing = launch(next, round_end);
    else
      computing.clear();
    for (const Block& b : ready) {
      write(std::string_view(b.text.data(), b.text.size()));
      stats.rows += b.rows;
      stats.skipped += b.skipped;
    }
    start = round_end;
    progress(start - options.first);
  }
  return stats;
}

}  // namespace infersim

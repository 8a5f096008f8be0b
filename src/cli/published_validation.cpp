#include "cli/published_validation.hpp"

#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "core/errors.hpp"
#include "io/atomic_output.hpp"
#include "io/hardware_loader.hpp"
#include "io/model_loader.hpp"
#include "io/published_csv.hpp"
#include "io/published_mapping.hpp"
#include "io/published_report.hpp"
#include "io/runtime_loader.hpp"

namespace infersim {

namespace {

constexpr int kExitAnswerNo = 3;
constexpr const char* kPublishedDir = "validation/published";

// The first data directory of the search path that holds the published CSV.
std::string published_csv_path(const SearchPath& search) {
  for (const std::string& dir : search.directories()) {
    const auto p = std::filesystem::path(dir) / kPublishedDir / "published_measurements.csv";
    std::error_code ec;
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
  }
  throw InputError(std::string("no ") + kPublishedDir + "/published_measurements.csv in the search path");
}

// Shipped files, each loaded once.
struct Library {
  const SearchPath& search;
  std::map<std::string, ModelSpec> models;
  std::map<std::string, HardwareSpec> hardware;
  std::map<std::string, RuntimeProfile> runtimes;

  const ModelSpec& model(const std::string& n) {
    if (!models.count(n)) models.emplace(n, load_model(search.resolve("model_configs", n)));
    return models.at(n);
  }
  const HardwareSpec& device(const std::string& n) {
    if (!hardware.count(n)) hardware.emplace(n, load_hardware(search.resolve("hardware_profiles", n)));
    return hardware.at(n);
  }
  const RuntimeProfile& runtime(const std::string& n) {
    if (!runtimes.count(n)) runtimes.emplace(n, load_runtime(search.resolve("runtime_profiles", n)));
    return runtimes.at(n);
  }
};

PublishedCase judge(const PublishedRow& row, const PublishedMapping& mapping, Library& lib) {
  PublishedCase c{row, map_row(row, mapping), in_fit_subset(mapping.fit_subset, row), 0.0, 0.0, true};
  if (!c.mapping.config) return c;
  MappedConfig& cfg = *c.mapping.config;
  cfg.scenario.runtime = lib.runtime(cfg.runtime).terms;
  try {
    const ModelSpec& model = lib.model(cfg.model);
    const HardwareSpec& hw = lib.device(cfg.hardware);
    const Estimate e = estimate(model, hw, cfg.scenario, false);
    if (cfg.baseline) cfg.baseline->runtime = cfg.scenario.runtime;
    c.predicted = cfg.baseline ? predicted_speedup(estimate(model, hw, *cfg.baseline, false), e)
                               : predicted_metric(cfg.metric, e, cfg.scenario);
    c.rel_error = c.predicted / cfg.published - 1.0;
    c.fits = e.fits;
  } catch (const InputError& err) {  // a configuration the engine cannot run is a mapping failure
    c.mapping = {std::nullopt, std::string("the engine rejects the configuration: ") + err.what()};
  }
  return c;
}

}  // namespace

int run_published_validation(const std::string& output_csv, double threshold, const SearchPath& search) {
  const std::string csv = published_csv_path(search);
  const std::string mapping_path = search.resolve(kPublishedDir, "mapping");
  const std::vector<PublishedRow> rows = read_published_csv(csv);
  const PublishedMapping mapping = load_published_mapping(mapping_path);
  Library lib{search, {}, {}, {}};
  std::vector<PublishedCase> cases;
  for (const PublishedRow& row : rows) cases.push_back(judge(row, mapping, lib));
  const PublishedSummary summary = summarize(cases);
  std::unique_ptr<AtomicOutput> out;  // opened once every input is read: none of them may be the output
  if (!output_csv.empty()) out = std::make_unique<AtomicOutput>(output_csv);
  std::cout << published_table(cases, summary, mapping, threshold) << std::flush;
  if (out) {
    out->write(published_csv(cases));
    out->commit();
  }
  return summary.judged > 0 && summary.mape > threshold ? kExitAnswerNo : 0;
}

}  // namespace infersim

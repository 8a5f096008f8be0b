#include "cli/published_validation.hpp"

#include <cstddef>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <vector>

#include "cli/guarded_main.hpp"
#include "cli/progress_bar.hpp"
#include "core/errors.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/output/atomic_output.hpp"
#include "io/published/published_csv.hpp"
#include "io/published/published_mapping.hpp"
#include "io/published/published_report.hpp"
#include "io/published/row_mapping.hpp"
#include "validation/published_judge.hpp"

namespace infersim {

namespace {

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

}  // namespace

int run_published_validation(const std::string& output_csv, double threshold, double serving_threshold,
                             std::optional<double> regime_threshold, bool progress,
                             const SearchPath& search) {
  const std::string csv = published_csv_path(search);
  const std::string mapping_path = search.resolve(kPublishedDir, "mapping");
  // Opened before the judging, so that an output named as the CSV or the mapping is refused at once;
  // the files the judging reads later (models, hardware, runtimes) are refused when it commits.
  std::unique_ptr<AtomicOutput> out;
  if (!output_csv.empty()) out = std::make_unique<AtomicOutput>(output_csv, std::vector{csv, mapping_path});
  const std::vector<PublishedRow> rows = read_published_csv(csv);
  const PublishedMapping mapping = load_published_mapping(mapping_path);
  const PublishedSources sources{
      [&search](const std::string& n) { return load_model(search.resolve("model_configs", n)); },
      [&search](const std::string& n) { return load_hardware(search.resolve("hardware_profiles", n)); },
      [&search](const std::string& n) {
        return load_runtime(search.resolve("runtime_profiles", n), search);
      }};
  ProgressBar bar(progress, rows.size(), "rows");
  const std::vector<PublishedCase> cases = judge_published(
      map_published(rows, mapping), sources, [&bar](std::size_t judged, std::size_t) { bar.update(judged); });
  const PublishedSummary summary = summarize(cases);
  std::map<std::string, bool> moe;  // each model loaded once
  const auto is_moe_model = [&](const std::string& name) {
    auto it = moe.find(name);
    if (it == moe.end()) it = moe.emplace(name, is_moe(sources.model(name))).first;
    return it->second;
  };
  const std::vector<RegimeError> regimes = regime_errors(cases, is_moe_model);
  std::cout << published_table(cases, summary, mapping, threshold, serving_threshold)
            << regime_section(regimes, regime_threshold, kRegimeGateRows)
            << every_judged_section(regime_errors(cases, is_moe_model, RegimeRows::every_judged),
                                    all_judged_error(cases))
            << time_class_section(time_class_errors(cases)) << std::flush;
  if (out) {
    out->write(published_csv(cases));
    out->commit();
  }
  const bool above = summary.judged > 0 && summary.mape > threshold;
  const bool serving_above = summary.serving.rows > 0 && summary.serving.mape > serving_threshold;
  const bool leans =
      regime_threshold && !leaning_regimes(regimes, kRegimeGateRows, *regime_threshold).empty();
  return above || serving_above || leans ? kExitAnswerNo : 0;
}

}  // namespace infersim

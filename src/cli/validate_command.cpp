// `infersim validate [--quick] [-g PROFILE] [-o FILE.csv] [--measured FILE.csv] [--threshold 0.25]`:
// measured kernel times against the roofline's predictions (core/kernel_predict.hpp), end-to-end model
// cases against the engine's (core/model_predict.hpp). Exit 3 when the overall MAPE is above the
// threshold; the figures are printed either way.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "cli/host_measure.hpp"
#include "cli/published_validation.hpp"
#include "core/errors.hpp"
#include "core/model_predict.hpp"
#include "io/atomic_output.hpp"
#include "io/hardware_loader.hpp"
#include "io/host_profile.hpp"
#include "io/measured_csv.hpp"
#include "io/model_loader.hpp"
#include "io/validation_report.hpp"
#include "io/value_text.hpp"

namespace infersim {

namespace {

constexpr int kExitAnswerNo = 3;

struct ValidateOptions {
  bool quick = false;
  std::string hardware;
  std::string output;
  std::string measured;
  std::string threshold = "0.25";
  bool published = false;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int runs = 1;
};

// The models the end-to-end cases name (shape "model=NAME;..."), loaded like -m NAME: the engine
// predicts those cases (core/model_predict.hpp).
std::vector<ModelSpec> models_of(const std::vector<MeasuredRow>& rows, const SearchPath& search) {
  std::vector<ModelSpec> models;
  for (const MeasuredRow& row : rows) {
    if (!is_model_family(row.family)) continue;
    const std::string name = parse_model_case_shape(row).model;
    const bool loaded =
        std::any_of(models.begin(), models.end(), [&](const ModelSpec& m) { return m.name == name; });
    if (!loaded) models.push_back(load_model(search.resolve("model_configs", name)));
  }
  return models;
}

// A calibration as the engine sees a profile: written and loaded like any other.
HardwareSpec profile_of(const HostCalibration& host) {
  return load_hardware_text(host_profile_yaml(host, measurement_provenance()), "calibrated-host.yaml");
}

// What the runs measured, each run's calibration (when calibrating now) and suite rows.
struct Runs {
  std::vector<HostCalibration> calibrations;
  std::vector<std::vector<MeasuredRow>> rows;
};

// `runs` times: run the suite, calibrating this host (unless a profile was given) before and after it,
// each figure the mean of the two: a shared host's speed drifts over the suite's half minute, and the
// bracket judges the cases against the host's speed while they ran (exactly so for a linear drift).
// With more than one run, prints each run's MAPE against its own calibration (the run-to-run scatter
// of a shared machine).
Runs measure_runs(const ValidateOptions& o, const HardwareSpec* given, const SearchPath& search,
                  double threshold) {
  Runs r;
  std::vector<ModelSpec> models;  // the runs list the same cases: loaded after the first
  for (int run = 1; run <= o.runs; ++run) {
    if (o.runs > 1) std::cerr << "infersim validate: run " << run << " of " << o.runs << "\n";
    std::vector<HostCalibration> bracket;
    if (!given) bracket.push_back(measure_host(o.quick, o.threads));
    r.rows.push_back(measure_suite(o.quick, o.threads));
    if (!given) {
      bracket.push_back(measure_host(o.quick, o.threads));
      r.calibrations.push_back(median_calibration(bracket));  // the median of two: their mean
    }
    if (o.runs == 1) continue;
    if (run == 1) models = models_of(r.rows.back(), search);
    const HardwareSpec hw = given ? *given : profile_of(r.calibrations.back());
    const ValidationResult one = validate_cases(r.rows.back(), hw, models);
    std::cout << fmt::format("run {} of {}: MAPE {:.1f}% over {} cases, {} its own threshold\n", run, o.runs,
                             100.0 * one.mape, one.cases.size(), one.mape > threshold ? "above" : "within");
  }
  return r;
}

int run_validate(const ValidateOptions& o, const SearchPath& search) {
  const double threshold = nonnegative_real_flag("--threshold", o.threshold, 1e6);
  if (o.published && (o.quick || !o.hardware.empty() || !o.measured.empty()))
    throw InputError(
        "--published compares the shipped published rows with their own profiles: drop --quick, -g and "
        "--measured");
  if (o.runs > 1 && (o.published || !o.measured.empty()))
    throw InputError(
        "--runs repeats this host's measurement: it does not apply to --published or --measured");
  if (o.published) return run_published_validation(o.output, threshold, search);
  if (!o.measured.empty() && o.hardware.empty())
    throw InputError("--measured needs -g PROFILE: the hardware the CSV was measured on");
  const std::string profile = o.hardware.empty() ? "" : search.resolve("hardware_profiles", o.hardware);
  std::unique_ptr<AtomicOutput>
      out;  // created first: an input as -o or a missing directory fails before measuring
  if (!o.output.empty())
    out = std::make_unique<AtomicOutput>(o.output, std::vector<std::string>{o.measured, profile});
  std::optional<HardwareSpec> given;
  if (!profile.empty()) given = load_hardware(profile);
  std::vector<MeasuredRow> cases;
  HardwareSpec hw;
  if (!o.measured.empty()) {
    cases = read_measured_csv(o.measured);
    hw = *given;
  } else {
    const Runs runs = measure_runs(o, given ? &*given : nullptr, search, threshold);
    cases = median_rows(runs.rows);
    if (given) {
      hw = *given;
    } else {
      const HostCalibration host = median_calibration(runs.calibrations);
      hw = profile_of(host);
      std::cerr << "infersim validate: calibrated this host before and after the suite (each figure the mean"
                << (o.runs > 1 ? " of the two, then the median of the runs)" : " of the two)") << ": "
                << host_profile_yaml(host, "now");
    }
    if (o.runs > 1)
      std::cout << fmt::format("median of the {} runs, case by case and figure by figure:\n", o.runs);
  }
  const ValidationResult result = validate_cases(cases, hw, models_of(cases, search));
  std::cout << validation_table(result, threshold) << std::flush;
  if (out) {
    out->write(validation_csv(result));
    out->commit();
  }
  return result.mape > threshold ? kExitAnswerNo : 0;
}

}  // namespace

void add_validate_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<ValidateOptions>();
  CLI::App* sub = app.add_subcommand("validate",
                                     "Time the reference CPU kernels (or read --measured, or the --published "
                                     "GPU rows) and compare with the predictions");
  sub->add_flag("--quick", o->quick,
                "quick calibrations (before and after the suite, each figure their mean) and the quick suite "
                "(under a minute)");
  sub->add_option("-g,--hardware", o->hardware, "profile to predict with (default: calibrate this host now)")
      ->type_name("PROFILE");
  sub->add_option("-o,--output", o->output,
                  "write measured, predicted_s and rel_error to FILE.csv (atomically)")
      ->type_name("FILE");
  sub->add_option("--measured", o->measured,
                  "compare this measured CSV (any runner) instead of measuring; needs -g")
      ->type_name("FILE");
  sub->add_option("--threshold", o->threshold, "exit 3 when the overall MAPE is above this fraction")
      ->type_name("FRACTION")
      ->capture_default_str();
  sub->add_flag(
      "--published", o->published,
      "compare with the published GPU measurements (validation/published/) instead of timing this host");
  sub->add_option("--threads", o->threads, "threads to measure with")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  sub->add_option(
         "--runs", o->runs,
         "calibrate and run the suite this many times, then judge each case's median time on the median "
         "calibration (a shared machine's load comes and goes; CI uses 9)")
      ->check(CLI::Range(1, 20))
      ->capture_default_str();
  sub->callback(
      [o, &action] { action = [o](const SearchPath& search) { return run_validate(*o, search); }; });
}

}  // namespace infersim

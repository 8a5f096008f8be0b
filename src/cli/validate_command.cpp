// `infersim validate [--quick] [-g PROFILE] [-o FILE.csv] [--measured FILE.csv] [--threshold 0.25]`:
// measured kernel times against the roofline's predictions (validation/kernel_predict.hpp), end-to-end model
// cases against the engine's (validation/model_predict.hpp). Exit 3 when the overall MAPE is above the
// threshold; the figures are printed either way.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "cli/commands.hpp"
#include "cli/guarded_main.hpp"
#include "cli/host_measure.hpp"
#include "cli/progress_bar.hpp"
#include "cli/published_validation.hpp"
#include "core/errors.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/value_text.hpp"
#include "io/output/atomic_output.hpp"
#include "io/published/host_profile.hpp"
#include "io/published/measured_csv.hpp"
#include "io/published/model_case.hpp"
#include "io/published/validation_report.hpp"
#include "validation/host_runs.hpp"

namespace infersim {

namespace {

struct ValidateOptions {
  bool quick = false;
  std::string hardware;
  std::string output;
  std::string measured;
  std::string threshold = "0.25";
  // The rows of --published measured under load, run through the serving simulator, are gated apart.
  std::optional<std::string> serving_threshold;
  std::optional<std::string> regime_threshold;
  bool published = false;
  bool progress = false;  // --published: the bar even when stderr is not a terminal
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  int runs = 1;
};

// Loads the models the end-to-end cases name like -m NAME.
ModelLoader model_loader(const SearchPath& search) {
  return [&search](const std::string& name) { return load_model(search.resolve("model_configs", name)); };
}

// A calibration as the engine sees a profile: written and loaded like any other.
HardwareSpec profile_of(const HostCalibration& host) {
  return load_hardware_text(host_profile_yaml(host, measurement_provenance()), "calibrated-host.yaml");
}

// This host's measuring (src/ref), progress on stderr; with more than one run, each run's MAPE against
// its own calibration on stdout.
HostMeasurer host_measurer(const ValidateOptions& o, const SearchPath& search, double threshold) {
  HostMeasurer m;
  m.calibrate = [&o] { return measure_host(o.quick, o.threads); };
  m.run_suite = [&o, &search] { return measure_suite(o.quick, o.threads, search); };
  m.profile_of = profile_of;
  m.load_model = model_loader(search);
  m.case_scenario = model_case_scenario;
  m.on_run_start = [](int run, int runs) {
    std::cerr << "infersim validate: run " << run << " of " << runs << "\n";
  };
  m.on_run_judged = [threshold](int run, int runs, const ValidationResult& one) {
    std::cout << fmt::format("run {} of {}: MAPE {:.1f}% over {} cases, {} its own threshold\n", run, runs,
                             100.0 * one.mape, one.cases.size(), one.mape > threshold ? "above" : "within");
  };
  return m;
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
  if (o.serving_threshold && !o.published)
    throw InputError(
        "--serving-threshold gates the published rows measured under load: it needs --published");
  if (o.regime_threshold && !o.published)
    throw InputError("--regime-threshold gates the published rows' regimes: it needs --published");
  if (o.progress && !o.published)
    throw InputError("--progress shows the published rows being judged: it needs --published");
  if (o.published) {
    const double serving =
        nonnegative_real_flag("--serving-threshold", o.serving_threshold.value_or("1.0"), 1e6);
    std::optional<double> regimes;
    if (o.regime_threshold) regimes = nonnegative_real_flag("--regime-threshold", *o.regime_threshold, 1e6);
    return run_published_validation(o.output, threshold, serving, regimes, show_progress(o.progress, false),
                                    search);
  }
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
    const HostMeasurement m = measure_host_validation(o.runs, given, host_measurer(o, search, threshold));
    cases = m.cases;
    hw = m.hardware;
    if (m.calibration)
      std::cerr << "infersim validate: calibrated this host before and after the suite (each figure the mean"
                << (o.runs > 1 ? " of the two, then the median of the runs)" : " of the two)") << ": "
                << host_profile_yaml(*m.calibration, "now");
    if (o.runs > 1)
      std::cout << fmt::format("median of the {} runs, case by case and figure by figure:\n", o.runs);
  }
  const ValidationResult result =
      validate_cases(cases, hw, {models_named_by(cases, model_loader(search)), model_case_scenario});
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
  sub->add_option(
         "--serving-threshold", o->serving_threshold,
         "with --published: exit 3 also when the MAPE of the rows measured under load (run through the "
         "serving simulator, a group of their own) is above this fraction [1.0]")
      ->type_name("FRACTION");
  sub->add_option("--regime-threshold", o->regime_threshold,
                  "with --published: exit 3 also when a regime (batch, precision, experts, tensor parallel, "
                  "phase) of at least 5 judged rows leans beyond this fraction either way [no gate: the "
                  "regime table is a report]")
      ->type_name("FRACTION");
  sub->add_flag(
      "--published", o->published,
      "compare with the published GPU measurements (validation/published/) instead of timing this host");
  sub->add_flag("--progress", o->progress,
                "with --published: show the progress bar on stderr even when it is not a terminal");
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

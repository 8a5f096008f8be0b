#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/guarded_main.hpp"
#include "cli/scenario_options.hpp"
#include "core/capacity.hpp"
#include "io/config/value_text.hpp"
#include "io/report/plan_report.hpp"

namespace infersim {

namespace {

struct CapacityOptions {
  ScenarioOptions scenario;
  std::optional<std::string> ttft_slo;  // none: no target
  std::optional<std::string> tpot_slo;
  std::string format = "table";
};

// A latency target in seconds, 0 when not given (LatencyTargets' "none"); a given one must be > 0.
double target_s(const char* flag, const std::optional<std::string>& text, double warn_above_s) {
  if (!text) return 0.0;
  const DurationValue d = duration_flag(flag, *text, warn_above_s);
  if (!d.warning.empty()) std::cerr << "infersim: warning: " << d.warning << "\n";
  return d.seconds;
}

int run_capacity(const CapacityOptions& o, const SearchPath& search) {
  const LoadedScenario l = load_scenario(o.scenario, search);
  const LatencyTargets targets{target_s("--ttft-slo", o.ttft_slo, kWarnTtftSeconds),
                               target_s("--tpot-slo", o.tpot_slo, kWarnTpotSeconds)};
  const CapacityResult result = capacity(l.model, l.hardware, l.scenario, targets);
  const CapacityReport report{l.model, l.hardware, l.scenario, targets, result};
  std::cout << (o.format == "json" ? capacity_json(report) : capacity_table(report)) << std::flush;
  // The answer is "no" when no layout holds the model, or no batch meets the targets given. (Not fitting
  // the layout asked about is an answer: the fewest devices that hold the model says what does.)
  const bool targets_given = o.ttft_slo || o.tpot_slo;
  return result.min_devices == 0 || (targets_given && result.slo_max_batch == 0) ? kExitAnswerNo : kExitOk;
}

}  // namespace

void add_capacity_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<CapacityOptions>();
  CLI::App* sub = app.add_subcommand("capacity",
                                     "How much fits: largest batch, longest context, fewest devices, "
                                     "largest batch meeting latency targets");
  sub->footer(
      "Exit code 3 when the answer is none: no layout holds the model, or no batch meets the targets.\n"
      "Example:\n  infersim capacity -m llama-2-70b -g h100-sxm --tp 8 --ttft-slo 1 --tpot-slo 50ms");
  add_scenario_options(*sub, o->scenario, "the batch the longest-context answer is for");
  sub->add_option("--ttft-slo", o->ttft_slo,
                  "time-to-first-token target: 0.5, 500ms or 0.5s (seconds when bare)")
      ->type_name("TIME");
  sub->add_option("--tpot-slo", o->tpot_slo, "time-per-output-token target: 0.05, 50ms or 0.05s")
      ->type_name("TIME");
  sub->add_option("--format", o->format, "table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  sub->callback(
      [o, &action] { action = [o](const SearchPath& search) { return run_capacity(*o, search); }; });
}

}  // namespace infersim

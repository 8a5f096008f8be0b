#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "cli/guarded_main.hpp"
#include "cli/scenario_options.hpp"
#include "core/capacity.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/config/value_text.hpp"
#include "io/report/plan_report.hpp"

namespace infersim {

namespace {

struct CapacityOptions {
  ScenarioOptions scenario;
  std::optional<std::string> ttft_slo;  // none: no target
  std::optional<std::string> tpot_slo;
  std::string format = "table";
  bool static_only = false;
};

// Requests per serving simulation: enough for a stable p99 (the 5 slowest of 500), few enough that the
// whole search takes well under a second.
constexpr long long kServingRequests = 500;

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
  const bool targets_given = o.ttft_slo || o.tpot_slo;
  std::optional<CapacityServing> serving;
  if (targets_given && !o.static_only) {
    const NamedScheduler scheduler = scheduler_or_vllm(l.runtime, search);
    const serving::FixedLoad load{scheduler.limits, kServingRequests, 0};
    const serving::SloTargets slo{o.ttft_slo ? std::optional(targets.ttft_s) : std::nullopt,
                                  o.tpot_slo ? std::optional(targets.tpot_s) : std::nullopt};
    serving = CapacityServing{scheduler.runtime, kServingRequests,
                              serving::serving_capacity(l.model, l.hardware, l.scenario, load, slo)};
  }
  const CapacityReport report{l.model, l.hardware, l.scenario,
                              targets, result,     serving ? &*serving : nullptr};
  std::cout << (o.format == "json" ? capacity_json(report) : capacity_table(report)) << std::flush;
  // The answer is "no" when no layout holds the model, or neither a static batch nor a serving rate meets
  // the targets given. (Not fitting the layout asked about is an answer: the fewest devices that hold the
  // model says what does.)
  const bool serving_met = serving && serving->answer.search.rate_rps;
  return result.min_devices == 0 || (targets_given && result.slo_max_batch == 0 && !serving_met)
             ? kExitAnswerNo
             : kExitOk;
}

}  // namespace

void add_capacity_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<CapacityOptions>();
  CLI::App* sub = app.add_subcommand("capacity",
                                     "How much fits: largest batch, longest context, fewest devices; with "
                                     "latency targets the largest static batch and the highest serving rate "
                                     "meeting them");
  sub->footer(
      "With --ttft-slo/--tpot-slo: the largest static batch meeting them (every request starting together)\n"
      "and the highest Poisson rate whose p99 TTFT and TPOT meet them under continuous batching (500\n"
      "requests of --input/--output through the runtime's scheduler, vllm's when it has none; as serve\n"
      "--find-max-rate). Exit code 3 when the answer is none: no layout holds the model, or neither a\n"
      "static batch nor a serving rate meets the targets.\n"
      "Example:\n  infersim capacity -m llama-2-70b -g h100-sxm --tp 8 --ttft-slo 1 --tpot-slo 50ms");
  add_scenario_options(*sub, o->scenario, "the batch the longest-context answer is for");
  sub->add_option("--ttft-slo", o->ttft_slo,
                  "time-to-first-token target: 0.5, 500ms or 0.5s (seconds when bare)")
      ->type_name("TIME");
  sub->add_option("--tpot-slo", o->tpot_slo, "time-per-output-token target: 0.05, 50ms or 0.05s")
      ->type_name("TIME");
  sub->add_flag("--static-only", o->static_only,
                "with targets, only the static batch: no serving simulation of the highest rate");
  sub->add_option("--format", o->format, "table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  sub->callback(
      [o, &action] { action = [o](const SearchPath& search) { return run_capacity(*o, search); }; });
}

}  // namespace infersim

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/scenario_options.hpp"
#include "core/capacity.hpp"
#include "io/plan_report.hpp"
#include "io/value_text.hpp"

namespace infersim {

namespace {

struct CapacityOptions {
  ScenarioOptions scenario;
  std::string ttft_slo = "0";
  std::string tpot_slo = "0";
  std::string format = "table";
};

int run_capacity(const CapacityOptions& o, const SearchPath& search) {
  const LoadedScenario l = load_scenario(o.scenario, search);
  const LatencyTargets targets{nonnegative_real_flag("--ttft-slo", o.ttft_slo, 1e6),
                               nonnegative_real_flag("--tpot-slo", o.tpot_slo, 1e6)};
  const CapacityResult result = capacity(l.model, l.hardware, l.scenario, targets);
  const CapacityReport report{l.model, l.hardware, l.scenario, targets, result};
  std::cout << (o.format == "json" ? capacity_json(report) : capacity_table(report)) << std::flush;
  return 0;
}

}  // namespace

void add_capacity_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<CapacityOptions>();
  CLI::App* sub = app.add_subcommand("capacity",
                                     "How much fits: largest batch, longest context, fewest devices, "
                                     "largest batch meeting latency targets");
  sub->footer("Example:\n  infersim capacity -m llama-2-70b -g h100-sxm --tp 8 --ttft-slo 1 --tpot-slo 0.05");
  add_scenario_options(*sub, o->scenario, "the batch the longest-context answer is for");
  sub->add_option("--ttft-slo", o->ttft_slo, "time-to-first-token target in seconds (0: none)")
      ->type_name("S");
  sub->add_option("--tpot-slo", o->tpot_slo, "time-per-output-token target in seconds (0: none)")
      ->type_name("S");
  sub->add_option("--format", o->format, "table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  sub->callback(
      [o, &action] { action = [o](const SearchPath& search) { return run_capacity(*o, search); }; });
}

}  // namespace infersim

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/scenario_options.hpp"
#include "io/report/report.hpp"

namespace infersim {

namespace {

struct EstimateOptions {
  ScenarioOptions scenario;
  std::string format = "table";
  bool breakdown = false;
};

int run_estimate(const EstimateOptions& o, const SearchPath& search) {
  const LoadedScenario l = load_scenario(o.scenario, search);
  const Estimate e = estimate(l.model, l.hardware, l.scenario);
  const EstimateReport report{l.model, l.hardware, l.scenario, e};
  // Render fully before printing: an error never leaves half an output behind.
  const std::string text = o.format == "json"  ? to_json(report, o.breakdown)
                           : o.format == "csv" ? to_csv(report, o.breakdown)
                                               : to_table(report, o.breakdown);
  std::cout << text << std::flush;
  return 0;
}

}  // namespace

void add_estimate_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<EstimateOptions>();
  CLI::App* sub = app.add_subcommand(
      "estimate", "Predict memory, time to first token (TTFT), time per output token (TPOT) and throughput");
  sub->footer(
      "Examples:\n"
      "  infersim estimate -m llama-2-7b -g a100-80gb-sxm\n"
      "  infersim estimate -m llama-3-70b -g h200-sxm -b 16 --input 2048 --output 512 --format json\n"
      "  infersim estimate -m llama-2-70b -g h100-sxm --tp 8 --weights int4 --breakdown\n"
      "  infersim estimate -m llama-3-8b -g h100-sxm --input 7000 --kv-window 4096 --kv-sinks 4  # "
      "StreamingLLM\n"
      "  infersim estimate -m ./my-model.yaml -g ./my-gpu.yaml --format csv\n"
      "MODEL and HARDWARE are shipped names (see `infersim list models|hardware`) or paths to YAML files.");
  add_scenario_options(*sub, o->scenario, "sequences decoded together");
  sub->add_option("--format", o->format, "output: table, json (one object) or csv (header + one row)")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_flag("--breakdown", o->breakdown,
                "also show every operator of prefill and of one decode step; with --format csv, the operator "
                "table replaces the summary row");
  sub->callback(
      [o, &action] { action = [o](const SearchPath& search) { return run_estimate(*o, search); }; });
}

}  // namespace infersim

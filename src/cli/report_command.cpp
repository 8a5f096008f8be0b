#include <iostream>
#include <memory>
#include <optional>

#include "cli/commands.hpp"
#include "cli/scenario_options.hpp"
#include "core/capacity.hpp"
#include "core/errors.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/config/value_text.hpp"
#include "io/report/html_report.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

struct ReportOptions {
  ScenarioOptions scenario;
  std::string dir;
  std::optional<std::string> ttft_slo;
  std::optional<std::string> tpot_slo;
};

// Requests per simulated rate of the latency-against-rate chart (as capacity's serving answer).
constexpr long long kChartRequests = 500;

std::optional<double> target(const char* flag, const std::optional<std::string>& text, double warn_s) {
  if (!text) return std::nullopt;
  const DurationValue d = duration_flag(flag, *text, warn_s);
  if (!d.warning.empty()) std::cerr << "infersim: warning: " << d.warning << "\n";
  return d.seconds;
}

// The latency-against-rate chart's runs: the configuration under Poisson load at fractions of what it
// sustains offline, through the runtime's scheduler (vllm's when it has none).
RateChart rate_chart(const ReportOptions& o, const LoadedScenario& l, const SearchPath& search) {
  RateChart chart;
  const NamedScheduler scheduler = scheduler_or_vllm(l.runtime, search);
  chart.scheduler = scheduler.runtime;
  chart.requests = kChartRequests;
  chart.slo = {target("--ttft-slo", o.ttft_slo, kWarnTtftSeconds),
               target("--tpot-slo", o.tpot_slo, kWarnTpotSeconds)};
  chart.curve = serving::rate_curve(l.model, l.hardware, l.scenario, {scheduler.limits, kChartRequests, 0},
                                    report_rate_fractions());
  return chart;
}

// Powers of two up to twice the largest batch that fits (so the memory chart shows the limit), at
// most 1024.
std::vector<BatchPoint> batch_points(const ModelSpec& m, const HardwareSpec& hw, Scenario sc) {
  sc.layout.micro_batches = 1;
  const long long max_batch = capacity(m, hw, sc, {}).max_batch;
  std::vector<BatchPoint> points;
  for (long long b = 1; b <= std::min(1024LL, std::max(2LL, 2 * max_batch)); b *= 2) {
    sc.batch = b;
    if (!why_invalid(m, hw, sc)) points.push_back({b, estimate(m, hw, sc, false)});
  }
  return points;
}

int run_report(const ReportOptions& o, const SearchPath& search) {
  const LoadedScenario l = load_scenario(o.scenario, search);
  const Estimate e = estimate(l.model, l.hardware, l.scenario);
  write_html_report({l.model, l.hardware, l.scenario, e, batch_points(l.model, l.hardware, l.scenario),
                     rate_chart(o, l, search)},
                    o.dir);
  std::cout << "infersim report: wrote " << terminal_text(o.dir) << "/index.html\n";
  return 0;
}

}  // namespace

void add_report_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* sub = app.add_subcommand("report",
                                     "Write an HTML page with the roofline, latency/throughput and "
                                     "memory charts of one configuration (needs gnuplot)");
  sub->footer(
      "The latency-against-rate chart simulates continuous batching (500 Poisson requests of "
      "--input/--output "
      "at\neach of 13 rates up to the offline throughput) through the runtime's scheduler, vllm's when it "
      "has "
      "none.\nExamples:\n  infersim report -m llama-2-7b -g a100-80gb-sxm -o reports/llama-2-7b_a100\n"
      "  infersim report -m llama-3-8b -g h100-sxm --ttft-slo 500ms --tpot-slo 30ms -o my-report");
  add_scenario_options(*sub, o->scenario, "the batch the roofline shows");
  sub->add_option("-o", o->dir, "directory to write the page and its charts into")
      ->type_name("DIR")
      ->required();
  sub->add_option("--ttft-slo", o->ttft_slo,
                  "time-to-first-token target drawn on the latency-against-rate chart")
      ->type_name("TIME");
  sub->add_option("--tpot-slo", o->tpot_slo, "time-per-output-token target drawn on that chart")
      ->type_name("TIME");
  sub->callback([o, &action] { action = [o](const SearchPath& search) { return run_report(*o, search); }; });
}

}  // namespace infersim

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/scenario_options.hpp"
#include "core/capacity.hpp"
#include "core/errors.hpp"
#include "io/report/html_report.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

struct ReportOptions {
  ScenarioOptions scenario;
  std::string dir;
};

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
  write_html_report({l.model, l.hardware, l.scenario, e, batch_points(l.model, l.hardware, l.scenario)},
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
  sub->footer("Example:\n  infersim report -m llama-2-7b -g a100-80gb-sxm -o reports/llama-2-7b_a100");
  add_scenario_options(*sub, o->scenario, "the batch the roofline shows");
  sub->add_option("-o", o->dir, "directory to write the page and its charts into")
      ->type_name("DIR")
      ->required();
  sub->callback([o, &action] { action = [o](const SearchPath& search) { return run_report(*o, search); }; });
}

}  // namespace infersim

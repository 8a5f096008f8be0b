#include <iostream>
#include <memory>

#include "cli/cli_values.hpp"
#include "cli/commands.hpp"
#include "cli/layout_options.hpp"
#include "cli/quant_options.hpp"
#include "core/capacity.hpp"
#include "core/errors.hpp"
#include "io/hardware_loader.hpp"
#include "io/html_report.hpp"
#include "io/model_loader.hpp"

namespace infersim {

namespace {

struct ReportOptions {
  std::string model = "llama-2-7b";
  std::string hardware = "a100-80gb-sxm";
  std::string batch = "1";
  std::string input = "1024";
  std::string output = "256";
  QuantOptions quant;
  LayoutOptions layout;
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
    try {
      points.push_back({b, estimate(m, hw, sc, false)});
    } catch (const InputError&) {
    }
  }
  return points;
}

int run_report(const ReportOptions& o, const SearchPath& search) {
  const ModelSpec model = load_model(search.resolve("model_configs", o.model));
  const HardwareSpec hardware = load_hardware(search.resolve("hardware_profiles", o.hardware));
  Scenario sc;
  sc.batch = positive_integer_flag("--batch", o.batch, 1'000'000);
  sc.input_tokens = positive_integer_flag("--input", o.input, 1'000'000'000);
  sc.output_tokens = positive_integer_flag("--output", o.output, 1'000'000'000);
  apply_quant_options(o.quant, sc);
  sc.layout = layout_from(o.layout);
  const Estimate e = estimate(model, hardware, sc);
  write_html_report({model, hardware, sc, e, batch_points(model, hardware, sc)}, o.dir);
  std::cout << "infersim report: wrote " << o.dir << "/index.html\n";
  return 0;
}

}  // namespace

void add_report_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<ReportOptions>();
  CLI::App* sub = app.add_subcommand("report", "Write an HTML page with the roofline, latency/throughput and "
                                               "memory charts of one configuration (needs gnuplot)");
  sub->footer("Example:\n  infersim report -m llama-2-7b -g a100-80gb-sxm -o reports/llama-2-7b_a100");
  sub->add_option("-m,--model", o->model, "model name or YAML path")->type_name("MODEL")->capture_default_str();
  sub->add_option("-g,--hardware", o->hardware, "hardware profile name or YAML path")->type_name("HARDWARE")
      ->capture_default_str();
  sub->add_option("-b,--batch", o->batch, "the batch the roofline shows")->type_name("INT")->capture_default_str();
  sub->add_option("--input", o->input, "prompt tokens per sequence")->type_name("INT")->capture_default_str();
  sub->add_option("--output", o->output, "generated tokens per sequence")->type_name("INT")->capture_default_str();
  add_quant_options(*sub, o->quant);
  add_layout_options(*sub, o->layout);
  sub->add_option("-o", o->dir, "directory to write the page and its charts into")->type_name("DIR")->required();
  sub->callback([o, &action] { action = [o](const SearchPath& search) { return run_report(*o, search); }; });
}

}  // namespace infersim

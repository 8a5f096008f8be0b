#include <iostream>
#include <memory>

#include "cli/cli_values.hpp"
#include "cli/commands.hpp"
#include "cli/layout_options.hpp"
#include "cli/quant_options.hpp"
#include "core/capacity.hpp"
#include "io/hardware_loader.hpp"
#include "io/model_loader.hpp"
#include "io/plan_report.hpp"

namespace infersim {

namespace {

struct CapacityOptions {
  std::string model = "llama-2-7b";
  std::string hardware = "a100-80gb-sxm";
  std::string batch = "1";
  std::string input = "1024";
  std::string output = "256";
  std::string ttft_slo = "0";
  std::string tpot_slo = "0";
  QuantOptions quant;
  LayoutOptions layout;
  std::string format = "table";
};

int run_capacity(const CapacityOptions& o, const SearchPath& search) {
  const ModelSpec model = load_model(search.resolve("model_configs", o.model));
  const HardwareSpec hardware = load_hardware(search.resolve("hardware_profiles", o.hardware));
  Scenario sc;
  sc.batch = positive_integer_flag("--batch", o.batch, 1'000'000);
  sc.input_tokens = positive_integer_flag("--input", o.input, 1'000'000'000);
  sc.output_tokens = positive_integer_flag("--output", o.output, 1'000'000'000);
  apply_quant_options(o.quant, sc);
  sc.layout = layout_from(o.layout);
  const LatencyTargets targets{nonnegative_real_flag("--ttft-slo", o.ttft_slo, 1e6),
                               nonnegative_real_flag("--tpot-slo", o.tpot_slo, 1e6)};
  const CapacityResult result = capacity(model, hardware, sc, targets);
  const CapacityReport report{model, hardware, sc, targets, result};
  std::cout << (o.format == "json" ? capacity_json(report) : capacity_table(report)) << std::flush;
  return 0;
}

}  // namespace

void add_capacity_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<CapacityOptions>();
  CLI::App* sub = app.add_subcommand("capacity", "How much fits: largest batch, longest context, fewest devices, "
                                                 "largest batch meeting latency targets");
  sub->footer("Example:\n  infersim capacity -m llama-2-70b -g h100-sxm --tp 8 --ttft-slo 1 --tpot-slo 0.05");
  sub->add_option("-m,--model", o->model, "model name or YAML path")->type_name("MODEL")->capture_default_str();
  sub->add_option("-g,--hardware", o->hardware, "hardware profile name or YAML path")->type_name("HARDWARE")
      ->capture_default_str();
  sub->add_option("-b,--batch", o->batch, "the batch the longest-context answer is for")->type_name("INT")
      ->capture_default_str();
  sub->add_option("--input", o->input, "prompt tokens per sequence")->type_name("INT")->capture_default_str();
  sub->add_option("--output", o->output, "generated tokens per sequence")->type_name("INT")->capture_default_str();
  sub->add_option("--ttft-slo", o->ttft_slo, "time-to-first-token target in seconds (0: none)")->type_name("S");
  sub->add_option("--tpot-slo", o->tpot_slo, "time-per-output-token target in seconds (0: none)")->type_name("S");
  add_quant_options(*sub, o->quant);
  add_layout_options(*sub, o->layout);
  sub->add_option("--format", o->format, "table or json")->capture_default_str()->check(CLI::IsMember({"table", "json"}));
  sub->callback([o, &action] { action = [o](const SearchPath& search) { return run_capacity(*o, search); }; });
}

}  // namespace infersim

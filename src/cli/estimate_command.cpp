#include <iostream>
#include <memory>

#include "cli/cli_values.hpp"
#include "cli/layout_options.hpp"
#include "cli/quant_options.hpp"
#include "core/errors.hpp"
#include "cli/commands.hpp"
#include "core/engine.hpp"
#include "io/hardware_loader.hpp"
#include "io/model_loader.hpp"
#include "io/report.hpp"

namespace infersim {

namespace {

// Bounds on the command line: far above anything a device holds, low enough that no count overflows.
constexpr long long kMaxBatch = 1'000'000;
constexpr long long kMaxTokens = 1'000'000'000;

struct EstimateOptions {
  std::string model = "llama-2-7b";
  std::string hardware = "a100-80gb-sxm";
  std::string batch = "1";
  std::string input = "1024";
  std::string output = "256";
  QuantOptions quant;
  LayoutOptions layout;
  std::string attention = "fused";
  std::string mla = "absorbed";
  std::string moe_skew = "0";
  std::string format = "table";
  bool breakdown = false;
};

int run_estimate(const EstimateOptions& o, const SearchPath& search) {
  const ModelSpec model = load_model(search.resolve("model_configs", o.model));
  const HardwareSpec hardware = load_hardware(search.resolve("hardware_profiles", o.hardware));
  Scenario sc;
  sc.batch = positive_integer_flag("--batch", o.batch, kMaxBatch);
  sc.input_tokens = positive_integer_flag("--input", o.input, kMaxTokens);
  sc.output_tokens = positive_integer_flag("--output", o.output, kMaxTokens);
  apply_quant_options(o.quant, sc);
  sc.layout = layout_from(o.layout);
  if (sc.batch % sc.layout.micro_batches != 0) {
    throw InputError("--micro-batches " + o.layout.micro_batches + " must divide --batch " + o.batch);
  }
  sc.attention = o.attention == "unfused" ? AttentionKernel::unfused : AttentionKernel::fused;
  sc.mla = o.mla == "naive" ? MlaDecode::naive : MlaDecode::absorbed;
  sc.moe_skew = nonnegative_real_flag("--moe-skew", o.moe_skew, 10.0);
  const Estimate e = estimate(model, hardware, sc);
  const EstimateReport report{model, hardware, sc, e};
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
      "  infersim estimate -m ./my-model.yaml -g h100-sxm --breakdown\n"
      "MODEL and HARDWARE are shipped names (see `infersim list models|hardware`) or paths to YAML files.");
  sub->add_option("-m,--model", o->model, "model name or YAML path")
      ->type_name("MODEL")->capture_default_str();
  sub->add_option("-g,--hardware", o->hardware, "hardware profile name or YAML path")
      ->type_name("HARDWARE")->capture_default_str();
  sub->add_option("-b,--batch", o->batch, "sequences decoded together")
      ->type_name("INT")->capture_default_str();
  sub->add_option("--input", o->input, "prompt tokens per sequence")
      ->type_name("INT")->capture_default_str();
  sub->add_option("--output", o->output, "generated tokens per sequence (the first comes from prefill)")
      ->type_name("INT")
      ->capture_default_str();
  add_quant_options(*sub, o->quant);
  add_layout_options(*sub, o->layout);
  sub->add_option("--attention", o->attention, "attention kernel: fused (FlashAttention-style) or unfused")
      ->capture_default_str()
      ->check(CLI::IsMember({"fused", "unfused"}));
  sub->add_option("--mla", o->mla, "latent-attention decode: absorbed (as engines run it) or naive")
      ->capture_default_str()
      ->check(CLI::IsMember({"absorbed", "naive"}));
  sub->add_option("--moe-skew", o->moe_skew, "Zipf exponent of expert popularity (0: uniform routing)")
      ->type_name("S")
      ->capture_default_str();
  sub->add_option("--format", o->format, "output: table, json (one object) or csv (header + one row)")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_flag("--breakdown", o->breakdown, "also show every operator of prefill and of one decode step");
  sub->callback([o, &action] { action = [o](const SearchPath& search) { return run_estimate(*o, search); }; });
}

}  // namespace infersim

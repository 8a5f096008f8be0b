#include "cli/scenario_options.hpp"

#include "cli/cli_values.hpp"
#include "core/errors.hpp"
#include "io/hardware_loader.hpp"
#include "io/model_loader.hpp"
#include "io/runtime_loader.hpp"

namespace infersim {

namespace {
// Bounds on the command line: far above anything a device holds, low enough that no count overflows.
constexpr long long kMaxBatch = 1'000'000;
constexpr long long kMaxTokens = 1'000'000'000;
}  // namespace

void add_scenario_options(CLI::App& command, ScenarioOptions& o, const std::string& batch_help) {
  command.add_option("-m,--model", o.model, "model name or YAML path")
      ->type_name("MODEL")
      ->capture_default_str();
  command.add_option("-g,--hardware", o.hardware, "hardware profile name or YAML path")
      ->type_name("HARDWARE")
      ->capture_default_str();
  command.add_option("-b,--batch", o.batch, batch_help)->type_name("INT")->capture_default_str();
  command.add_option("--input", o.input, "prompt tokens per sequence")
      ->type_name("INT")
      ->capture_default_str();
  command.add_option("--output", o.output, "generated tokens per sequence (the first comes from prefill)")
      ->type_name("INT")
      ->capture_default_str();
  add_quant_options(command, o.quant);
  add_layout_options(command, o.layout);
  command.add_option("--attention", o.attention, "attention kernel: fused (FlashAttention-style) or unfused")
      ->capture_default_str()
      ->check(CLI::IsMember({"fused", "unfused"}));
  command.add_option("--mla", o.mla, "latent-attention decode: absorbed (as engines run it) or naive")
      ->capture_default_str()
      ->check(CLI::IsMember({"absorbed", "naive"}));
  command.add_option("--moe-skew", o.moe_skew, "Zipf exponent of expert popularity (0: uniform routing)")
      ->type_name("S")
      ->capture_default_str();
  command
      .add_option(
          "--runtime", o.runtime,
          "serving runtime's host terms: a runtime_profiles/ name (optimized, eager, llama.cpp) or YAML path")
      ->type_name("RUNTIME")
      ->capture_default_str();
}

LoadedScenario load_scenario(const ScenarioOptions& o, const SearchPath& search) {
  LoadedScenario l{load_model(search.resolve("model_configs", o.model)),
                   load_hardware(search.resolve("hardware_profiles", o.hardware)),
                   {},
                   {}};
  Scenario& sc = l.scenario;
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
  l.runtime = load_runtime(search.resolve("runtime_profiles", o.runtime));
  sc.runtime = l.runtime.terms;
  return l;
}

}  // namespace infersim

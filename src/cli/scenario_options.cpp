#include "cli/scenario_options.hpp"

#include <fmt/format.h>

#include <utility>

#include "core/errors.hpp"
#include "core/layout.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/config/scenario_text.hpp"

namespace infersim {

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
      .add_option("--moe-routing", o.moe_routing,
                  "how tokens pick experts: uniform (at random, as served traffic; skewed by --moe-skew) or "
                  "balanced (spread evenly, as MoE kernel benchmarks route)")
      ->capture_default_str()
      ->check(CLI::IsMember({"uniform", "balanced"}));
  command
      .add_option("--kv-window", o.kv_window,
                  "StreamingLLM: cache and attend only the W most recent tokens (and the sinks) per "
                  "sequence; 0: off")
      ->type_name("W");
  command
      .add_option("--kv-sinks", o.kv_sinks,
                  "StreamingLLM: the first S tokens kept as attention sinks beside --kv-window [0]")
      ->type_name("S");
  command
      .add_option(
          "--runtime", o.runtime,
          "serving runtime's host terms: a runtime_profiles/ name (optimized, eager, llama.cpp) or YAML path")
      ->type_name("RUNTIME")
      ->capture_default_str();
}

LoadedScenario load_scenario(const ScenarioOptions& o, const SearchPath& search) {
  ScenarioValues values;
  const QuantOptions& q = o.quant;
  const LayoutOptions& l = o.layout;
  // Flags with a default always hold text (an empty value is an error); the quantization flags hold
  // "" when not given.
  const std::pair<ScenarioKey, const std::string*> with_default[] = {
      {ScenarioKey::batch, &o.batch},
      {ScenarioKey::input_tokens, &o.input},
      {ScenarioKey::output_tokens, &o.output},
      {ScenarioKey::tp, &l.tp},
      {ScenarioKey::pp, &l.pp},
      {ScenarioKey::ep, &l.ep},
      {ScenarioKey::dp, &l.dp},
      {ScenarioKey::attention_dp, &l.attention_dp},
      {ScenarioKey::moe_tp, &l.moe_tp},
      {ScenarioKey::micro_batches, &l.micro_batches},
      {ScenarioKey::comm_overlap, &l.comm_overlap},
      {ScenarioKey::attention, &o.attention},
      {ScenarioKey::mla, &o.mla},
      {ScenarioKey::moe_skew, &o.moe_skew},
      {ScenarioKey::moe_routing, &o.moe_routing},
  };
  const std::pair<ScenarioKey, const std::string*> optional[] = {
      {ScenarioKey::quant, &q.preset},
      {ScenarioKey::weights, &q.weights},
      {ScenarioKey::activations, &q.activations},
      {ScenarioKey::kv, &q.kv},
      {ScenarioKey::group_size, &q.group_size},
      {ScenarioKey::scale_dtype, &q.scale_dtype},
      {ScenarioKey::zero_point, &q.zero_point},
      {ScenarioKey::kv_window, &o.kv_window},
      {ScenarioKey::kv_sinks, &o.kv_sinks},
  };
  LoadedScenario loaded{load_model(search.resolve("model_configs", o.model)),
                        load_hardware(search.resolve("hardware_profiles", o.hardware)),
                        {},
                        {}};
  for (const auto& [key, text] : with_default) parse_scenario_value(values, key, *text, flag_name(key));
  for (const auto& [key, text] : optional) {
    if (!text->empty()) parse_scenario_value(values, key, *text, flag_name(key));
  }
  if (q.quantize_embeddings) values.quantize_embeddings = true;
  const long long devices = static_cast<long long>(*values.dp) * *values.tp * *values.pp;  // each <= 10^6
  if (devices > kMaxDevices) {
    throw InputError(fmt::format("--dp x --tp x --pp must be at most {} devices, got {} x {} x {} = {}",
                                 kMaxDevices, *values.dp, *values.tp, *values.pp, devices));
  }
  if (*values.batch % *values.micro_batches != 0) {
    throw InputError("--micro-batches " + l.micro_batches + " must divide --batch " + o.batch);
  }
  loaded.runtime = load_runtime(search.resolve("runtime_profiles", o.runtime), search);
  loaded.scenario = compose_scenario(values, loaded.runtime.terms, loaded.model);
  return loaded;
}

}  // namespace infersim

#pragma once
// The flags that describe one configuration, shared by estimate, capacity and report: model,
// hardware, batch and lengths, quantization, layout, and the kernel choices.
#include <CLI/CLI.hpp>
#include <string>

#include "cli/layout_options.hpp"
#include "cli/quant_options.hpp"
#include "core/estimate.hpp"
#include "io/config/scenario_text.hpp"
#include "io/config/search_path.hpp"

namespace infersim {

struct ScenarioOptions {
  std::string model = kDefaultModel;
  std::string hardware = kDefaultHardware;
  std::string batch = "1";
  std::string input = "1024";
  std::string output = "256";
  QuantOptions quant;
  LayoutOptions layout;
  std::string attention = "fused";
  std::string mla = "absorbed";
  std::string moe_skew = "0";
  std::string moe_routing = "uniform";
  std::string kv_window;  // "" when not given: StreamingLLM off
  std::string kv_sinks;
  std::string runtime = kDefaultRuntime;
};

struct LoadedScenario {
  ModelSpec model;
  HardwareSpec hardware;
  Scenario scenario;  // scenario.runtime holds runtime.terms
  RuntimeProfile runtime;
};

// batch_help says what -b means for the command.
void add_scenario_options(CLI::App& command, ScenarioOptions& o, const std::string& batch_help);
// Loads the files and parses every value; throws InputError naming the flag or the file.
[[nodiscard]] LoadedScenario load_scenario(const ScenarioOptions& o, const SearchPath& search);

}  // namespace infersim

#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/guarded_main.hpp"
#include "core/errors.hpp"
#include "core/plan.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/config/scenario_text.hpp"
#include "io/config/strict_number.hpp"
#include "io/config/value_text.hpp"
#include "io/report/plan_report.hpp"
#include "io/sweep/sweep_spec.hpp"
#include "serving/plan_serving.hpp"

namespace infersim {

namespace {

struct PlanOptions {
  std::string model;
  std::string hardware;
  std::string input = "1024";
  std::string output = "256";
  std::string rate;
  std::string ttft_slo;
  std::string tpot_slo;
  std::vector<std::string> prices;  // HW=USD
  std::string top = "10";
  std::string format = "table";
  std::string runtime = kDefaultRuntime;
  std::string simulate = "3";
};

// Ceilings far above any real deployment, low enough that every cost and count stays finite and readable.
constexpr double kMaxRateRps = 1e6;
constexpr double kMaxPricePerDeviceHour = 1e4;

// --price HW=USD, one per hardware; prices must cover all hardware or none (mixed units cannot rank).
std::vector<double> prices_for(const std::vector<HardwareSpec>& hardware,
                               const std::vector<std::string>& prices) {
  std::vector<double> out(hardware.size(), 0.0);
  for (const std::string& p : prices) {
    const std::size_t eq = p.find('=');
    const auto usd = parse_real(eq == std::string::npos ? "" : p.substr(eq + 1));
    const std::string name = p.substr(0, eq);
    if (!usd || !(*usd > 0.0) || *usd > kMaxPricePerDeviceHour) {
      throw InputError(fmt::format("--price must be HW=USD per device-hour with USD in (0, {}], got '{}'",
                                   kMaxPricePerDeviceHour, p));
    }
    bool found = false;
    for (std::size_t i = 0; i < hardware.size(); ++i) {
      if (hardware[i].name == name) out[i] = *usd, found = true;
    }
    if (!found) throw InputError(fmt::format("--price names '{}', which is not among -g", name));
  }
  if (!prices.empty() && std::find(out.begin(), out.end(), 0.0) != out.end()) {
    throw InputError("--price must be given for every -g hardware, or for none");
  }
  return out;
}

int run_plan(const PlanOptions& o, const SearchPath& search) {
  const ModelSpec model = load_model(search.resolve("model_configs", o.model));
  PlanRequest request;
  for (const std::string& name : split_list("--hardware", o.hardware)) {
    request.hardware.push_back(load_hardware(search.resolve("hardware_profiles", name)));
  }
  request.price_per_device_hour = prices_for(request.hardware, o.prices);
  ScenarioValues lengths;
  parse_scenario_value(lengths, ScenarioKey::input_tokens, o.input, "--input");
  parse_scenario_value(lengths, ScenarioKey::output_tokens, o.output, "--output");
  request.rate_rps = positive_real_flag("--rate", o.rate, kMaxRateRps);
  const DurationValue ttft = duration_flag("--ttft-slo", o.ttft_slo, kWarnTtftSeconds);
  const DurationValue tpot = duration_flag("--tpot-slo", o.tpot_slo, kWarnTpotSeconds);
  for (const DurationValue* d : {&ttft, &tpot}) {
    if (!d->warning.empty()) std::cerr << "infersim: warning: " << d->warning << "\n";
  }
  request.targets = {ttft.seconds, tpot.seconds};
  const int top = static_cast<int>(positive_integer_flag("--top", o.top, 10'000));
  const RuntimeProfile runtime = load_runtime(search.resolve("runtime_profiles", o.runtime), search);
  request.base = compose_scenario(lengths, runtime.terms);
  PlanResult result = plan(model, request);
  const NamedScheduler scheduler = scheduler_or_vllm(runtime, search);
  serving::PlanSimulation sim;
  sim.limits = scheduler.limits;
  sim.candidates = static_cast<int>(nonnegative_integer_flag("--simulate", o.simulate, 100));
  serving::simulate_plan(model, request, sim, result);
  const PlanSimulationText text{sim.candidates, sim.requests, scheduler.runtime};
  std::cout << (o.format == "json" ? plan_json(model, request, result, top, text)
                                   : plan_table(model, request, result, top, text))
            << std::flush;
  return result.feasible.empty() ? kExitAnswerNo : 0;
}

}  // namespace

void add_plan_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<PlanOptions>();
  CLI::App* sub = app.add_subcommand("plan",
                                     "Cheapest deployments (device, layout, quantization, batch, replicas) "
                                     "that serve a request rate within latency targets");
  sub->footer(
      "Screens every candidate statically (steady-state continuous batching, TTFT without queueing), then\n"
      "simulates the cheapest under Poisson load at the rate per replica (500 requests through the\n"
      "runtime's scheduler, vllm's when it has none) until --simulate of them meet the p99 targets, adding\n"
      "up to 2 replicas to one that misses and rejecting it if it still does.\n"
      "Ranks by device count, or by USD per hour when every device has a --price; then by TPOT and TTFT.\n"
      "Exit code 3 when nothing meets the targets.\nExample:\n"
      "  infersim plan -m llama-3-70b -g a100-80gb-sxm,h100-sxm,h200-sxm,mi300x --input 2048 --output 256 "
      "\\\n"
      "    --rate 10 --ttft-slo 1 --tpot-slo 0.05");
  sub->add_option("-m,--model", o->model, "model name or YAML path")->type_name("MODEL")->required();
  sub->add_option("-g,--hardware", o->hardware, "comma list of hardware names or YAML paths")
      ->type_name("LIST")
      ->required();
  sub->add_option("--input", o->input, "prompt tokens per request")->type_name("INT")->capture_default_str();
  sub->add_option("--output", o->output, "generated tokens per request")
      ->type_name("INT")
      ->capture_default_str();
  sub->add_option("--rate", o->rate, fmt::format("requests per second to serve, in (0, {}]", kMaxRateRps))
      ->type_name("RPS")
      ->required();
  sub->add_option("--ttft-slo", o->ttft_slo,
                  "time-to-first-token target: 1, 1s or 1000ms (seconds when bare)")
      ->type_name("S")
      ->required();
  sub->add_option("--tpot-slo", o->tpot_slo, "time-per-output-token target: 0.05, 50ms or 0.05s")
      ->type_name("S")
      ->required();
  sub->add_option("--price", o->prices, "device-hour price, HW=USD (repeat for each hardware)")
      ->type_name("HW=USD");
  sub->add_option(
         "--runtime", o->runtime,
         "serving runtime's host terms: a runtime_profiles/ name (optimized, eager, llama.cpp) or YAML path")
      ->type_name("NAME|PATH")
      ->capture_default_str();
  sub->add_option(
         "--simulate", o->simulate,
         "simulate the best N candidates under Poisson load (queueing included; 0: the static screen "
         "only)")
      ->type_name("N")
      ->capture_default_str();
  sub->add_option("--top", o->top, "candidates to print")->type_name("N")->capture_default_str();
  sub->add_option("--format", o->format, "table or json")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json"}));
  sub->callback([o, &action] { action = [o](const SearchPath& search) { return run_plan(*o, search); }; });
}

}  // namespace infersim

// Acceptance: every shipped model estimates on b200 and on mi355x in bf16 (--weights bf16 --activations
// bf16), fp8 (--weights fp8 --activations fp8), the 4-bit format each device computes in (b200: nvfp4;
// mi355x: mxfp4, CDNA 4's fp4) and as the model ships its weights: valid on one device, every number
// estimate prints finite, and fitting on the first of tp 1, 2, 4, 8, then tp 8 with pp 2, 4, that the
// model can take. The same path as `infersim estimate` (files, then compose_scenario, why_invalid,
// estimate), in one process to stay fast; the command itself runs once per model at the end.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include "core/estimate.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/config/scenario_text.hpp"
#include "io/report/report.hpp"
#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using namespace infersim;

namespace {

struct Combo {
  const char* hardware;
  const char* weights;  // "" as shipped
  const char* activations;
};
constexpr Combo kCombos[] = {
    {"b200", "bf16", "bf16"},   {"b200", "fp8", "fp8"},   {"b200", "nvfp4", "nvfp4"},   {"b200", "", ""},
    {"mi355x", "bf16", "bf16"}, {"mi355x", "fp8", "fp8"}, {"mi355x", "mxfp4", "mxfp4"}, {"mi355x", "", ""}};
constexpr int kLayouts[][2] = {{1, 1}, {2, 1}, {4, 1}, {8, 1}, {8, 2}, {8, 4}};  // tp, pp

std::vector<std::string> shipped_models() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("model_configs"))) {
    const std::string stem = entry.path().stem().string();
    if (entry.path().extension() == ".yaml" && stem != "aliases") names.push_back(stem);
  }
  return names;
}

bool all_finite(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc, const Estimate& e) {
  bool finite = true;
  for_each_summary_field(EstimateReport{m, hw, sc, e}, [&finite](const char*, auto value) {
    if constexpr (std::is_same_v<decltype(value), double>) finite = finite && std::isfinite(value);
  });
  return finite;
}

}  // namespace

TEST_CASE("Every shipped model estimates on b200 and mi355x in bf16, fp8, fp4 and as shipped") {
  const RuntimeTerms runtime = load_runtime(test::source_path("runtime_profiles/optimized.yaml")).terms;
  const std::vector<std::string> models = shipped_models();
  REQUIRE(models.size() >= 30);
  for (const std::string& name : models) {
    const ModelSpec m = load_model(test::source_path("model_configs/" + name + ".yaml"));
    for (const Combo& c : kCombos) {
      const HardwareSpec hw =
          load_hardware(test::source_path(std::string("hardware_profiles/") + c.hardware + ".yaml"));
      ScenarioValues v;
      if (*c.weights) parse_scenario_value(v, ScenarioKey::weights, c.weights, "--weights");
      if (*c.activations) parse_scenario_value(v, ScenarioKey::activations, c.activations, "--activations");
      INFO(name << " on " << c.hardware << " weights " << (*c.weights ? c.weights : "as shipped"));
      bool fitted = false;
      for (const auto& [tp, pp] : kLayouts) {
        Scenario sc = compose_scenario(v, runtime, m);
        sc.layout.tp = tp;
        sc.layout.pp = pp;
        const auto why = why_invalid(m, hw, sc);
        if (tp == 1 && pp == 1) REQUIRE_FALSE(why);  // every combination is valid on one device
        if (why) continue;                           // a split the model cannot take
        const Estimate e = estimate(m, hw, sc, false);
        INFO("tp " << tp << " pp " << pp);
        REQUIRE(all_finite(m, hw, sc, e));
        if (e.fits) {
          fitted = true;
          break;
        }
      }
      CHECK(fitted);
    }
  }
}

TEST_CASE("infersim estimate exits 0 for every shipped model on b200 in fp8 and on mi355x as shipped") {
  // On one device: a model that does not fit is an answer (fits false), not an error.
  const std::string data = "--config-dir " + test::source_path("");
  for (const std::string& name : shipped_models()) {
    const auto fp8 =
        test::run_infersim(data + " estimate -m " + name + " -g b200 --weights fp8 --activations fp8");
    INFO(name << ": " << fp8.err);
    CHECK(fp8.exit_code == 0);
    const auto shipped = test::run_infersim(data + " estimate -m " + name + " -g mi355x --format json");
    INFO(name << ": " << shipped.err);
    CHECK(shipped.exit_code == 0);
  }
}

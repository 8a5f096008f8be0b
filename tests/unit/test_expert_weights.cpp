// The routed experts' own storage format (a model's weights_as_shipped.experts; docs/formats.md): the
// weight bytes, the expert GEMMs' traffic, --weights overriding it, and the pass cache telling it apart.
#include <catch2/catch.hpp>
#include <string>

#include "core/estimate.hpp"
#include "core/formulas/params.hpp"
#include "core/formulas/quant.hpp"
#include "core/weights.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/scenario_text.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {

ModelSpec shipped_model(const std::string& name) {
  return load_model(test::source_path("model_configs/" + name + ".yaml"));
}

// gpt-oss-120b (model_configs/gpt-oss-120b.yaml, from its config.json): 36 layers, hidden 2880, 128
// experts of inner width 2880, gated (3 matrices). Routed-expert parameters: 36 * 128 * 3 * 2880 * 2880
// = 114,661,785,600; the rest of its 116,789,338,944 (tests/unit/test_params.cpp) is 2,127,553,344.
constexpr double kExpertParams = 36.0 * 128.0 * 3.0 * 2880.0 * 2880.0;
constexpr double kTotalParams = 116'789'338'944.0;

}  // namespace

TEST_CASE("gpt-oss-120b as shipped: mxfp4 routed experts, everything else bf16 (65.17 GB)") {
  static_assert(kExpertParams == 114'661'785'600.0);
  const ModelSpec m = shipped_model("gpt-oss-120b");
  REQUIRE(params_total(m) == kTotalParams);
  const Scenario sc = compose_scenario(ScenarioValues{}, RuntimeTerms{}, m);
  REQUIRE(sc.expert_weights);
  const WeightFormats f = weight_formats(sc.weights, sc.quantize_embeddings, sc.expert_weights);
  // MXFP4 (OCP Microscaling Formats v1.0): 4-bit elements and one 8-bit E8M0 scale per 32 along the input
  // (2880 = 90 * 32 for both the gate/up and the down matrices): 4 + 8/32 = 4.25 bits a weight.
  // Experts 114,661,785,600 * 4.25 / 8 = 60,914,073,600 B; the rest 2 B each = 4,255,106,688 B.
  CHECK(weight_storage_bytes(m, f) == 60'914'073'600.0 + 4'255'106'688.0);
  CHECK(weight_storage_bytes(m, f) == 65'169'180'288.0);

  // --weights bf16 overrides every class: 2 B a parameter.
  ScenarioValues bf16;
  parse_scenario_value(bf16, ScenarioKey::weights, "bf16", "--weights");
  const Scenario all_bf16 = compose_scenario(bf16, RuntimeTerms{}, m);
  CHECK_FALSE(all_bf16.expert_weights);
  const WeightFormats g = weight_formats(all_bf16.weights, false, all_bf16.expert_weights);
  CHECK(weight_storage_bytes(m, g) == 2.0 * kTotalParams);
  CHECK(weight_storage_bytes(m, g) == 233'578'677'888.0);
}

TEST_CASE("Only the routed experts take the experts' format: shared experts and attention keep the default") {
  // A MoE model with one shared expert: only the routed experts shrink.
  ModelSpec m = test::llama2_7b();
  m.layers = 2;
  m.moe = {8, 2, 1024, 1, 2048, false, 0, 1, 1};
  const StorageFormat bf16 = default_storage_format(Dtype::bf16);
  const StorageFormat mx = default_storage_format(Dtype::mxfp4);
  const double all_bf16 = weight_storage_bytes(m, weight_formats(bf16, false));
  const double mixed = weight_storage_bytes(m, weight_formats(bf16, false, mx));
  // Routed: 2 layers * 8 experts * 3 * 4096 * 1024 weights, from 16 bits to 4 + 8/32 bits each.
  const double routed = 2.0 * 8.0 * 3.0 * 4096.0 * 1024.0;
  CHECK(all_bf16 - mixed == Approx(routed * (16.0 - 4.25) / 8.0).epsilon(1e-12));
}

TEST_CASE("The expert GEMMs read the experts' format, estimate and its pass cache tell the formats apart") {
  const ModelSpec m = shipped_model("gpt-oss-120b");
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h200-sxm.yaml"));
  const Scenario mx = compose_scenario(ScenarioValues{}, RuntimeTerms{}, m);
  Scenario bf = mx;
  bf.expert_weights.reset();
  EstimateScratch scratch;
  const Estimate a = estimate(m, hw, mx, true, scratch);
  const Estimate b = estimate(m, hw, bf, true, scratch);  // same scratch: must not reuse a's passes
  CHECK(a.weight_bytes == 65'169'180'288.0);
  CHECK(b.weight_bytes == 2.0 * kTotalParams);
  CHECK(b.tpot_s > a.tpot_s);
  CHECK(estimate(m, hw, bf, false).tpot_s == b.tpot_s);
  CHECK(estimate(m, hw, mx, false).tpot_s == a.tpot_s);
  // A decode step at batch 1 touches k = 4 experts a layer; each gate/up matrix [2880 x 5760] in mxfp4
  // is 2880 * 5760 * 4.25 / 8 = 8,812,800 B: 36 layers * 4 * 8,812,800 = 1,269,043,200 B.
  bool found = false;
  for (const OpResult& op : a.decode_step.ops) {
    if (op.name != std::string("experts_up")) continue;
    found = true;
    CHECK(op.cost.bytes.weights_read_B == Approx(36.0 * 4.0 * 8'812'800.0).epsilon(1e-12));
  }
  CHECK(found);
}

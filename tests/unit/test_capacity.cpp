// capacity and plan: every answer checked against the estimate it is searched from.
#include <catch2/catch.hpp>

#include "core/capacity.hpp"
#include "core/plan.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {
ModelSpec model(const std::string& name) {
  return load_model(test::source_path("model_configs/" + name + ".yaml"));
}
HardwareSpec device(const std::string& name) {
  return load_hardware(test::source_path("hardware_profiles/" + name + ".yaml"));
}
}  // namespace

TEST_CASE(
    "capacity: Llama-2-70B in bf16 needs at least 2 H100s, the TP8 max batch fits and one more does not") {
  const ModelSpec m = model("llama-2-70b");
  const HardwareSpec hw = device("h100-sxm");
  Scenario sc = test::scenario(1, 1024, 256);
  CHECK(capacity(m, hw, sc, {}).min_devices >= 2);
  sc.layout.tp = 8;
  const CapacityResult r = capacity(m, hw, sc, {});
  REQUIRE(r.max_batch > 1);
  sc.batch = r.max_batch;
  CHECK(estimate(m, hw, sc).fits);
  sc.batch = r.max_batch + 1;
  CHECK_FALSE(estimate(m, hw, sc).fits);
}

TEST_CASE("capacity: the longest context fits and one more token does not (or it is the model's maximum)") {
  const ModelSpec m = model("llama-3-8b");
  const HardwareSpec hw = device("l40s");
  Scenario sc = test::scenario(64, 1024, 256);
  const CapacityResult r = capacity(m, hw, sc, {});
  REQUIRE(r.max_context_at_batch > 256);
  sc.input_tokens = r.max_context_at_batch - 256;
  CHECK(estimate(m, hw, sc).fits);
  if (r.max_context_at_batch < m.max_context) {
    sc.input_tokens += 1;
    CHECK_FALSE(estimate(m, hw, sc).fits);
  }
}

TEST_CASE("capacity: the SLO batch meets both targets, one more breaks one of them or memory") {
  const ModelSpec m = model("llama-3-8b");
  const HardwareSpec hw = device("h100-sxm");
  Scenario sc = test::scenario(1, 2048, 256);
  const LatencyTargets targets{2.0, 0.03};
  const CapacityResult r = capacity(m, hw, sc, targets);
  REQUIRE(r.slo_max_batch > 0);
  sc.batch = r.slo_max_batch;
  const Estimate at = estimate(m, hw, sc);
  CHECK((at.fits && at.ttft_s <= 2.0 && at.tpot_s <= 0.03));
  sc.batch += 1;
  const Estimate past = estimate(m, hw, sc);
  CHECK_FALSE((past.fits && past.ttft_s <= 2.0 && past.tpot_s <= 0.03));
}

TEST_CASE("plan: the top candidate meets both targets and serves the rate (capacity-planning acceptance)") {
  PlanRequest q;
  for (const char* name : {"a100-80gb-sxm", "h100-sxm", "h200-sxm", "mi300x"})
    q.hardware.push_back(device(name));
  q.rate_rps = 10.0;
  q.base.input_tokens = 2048;
  q.base.output_tokens = 256;
  q.targets = {1.0, 0.05};
  const ModelSpec m = model("llama-3-70b");
  const PlanResult r = plan(m, q);
  REQUIRE_FALSE(r.feasible.empty());
  const PlanCandidate& top = r.feasible.front();
  // Re-derive from the estimate: TTFT of one request, and the step with the interleaved prefills.
  Scenario sc = test::scenario(1, 2048, 256);
  sc.layout = top.layout;
  sc.weights = default_storage_format(top.weights);
  sc.activations = top.activations;
  const double ttft = estimate(m,
                               *std::find_if(q.hardware.begin(), q.hardware.end(),
                                             [&](const HardwareSpec& h) { return h.name == top.hardware; }),
                               sc)
                          .ttft_s;
  CHECK(ttft <= 1.0);
  CHECK(top.step_s <= 0.05);
  CHECK(top.replicas * top.replica_rps >= 10.0);
  for (const PlanCandidate& c : r.feasible) CHECK(c.cost >= top.cost);
  // Unreachable targets: nothing is feasible.
  q.targets = {0.001, 0.05};
  CHECK(plan(m, q).feasible.empty());
}

// The serving answers of the static commands (src/serving/scenario_serving.hpp): capacity's highest rate
// rerun apart from the search, its throughput per device counted by hand, the configurations it cannot
// simulate named, and report's curve at the fractions of the offline rate asked for.
#include <catch2/catch.hpp>

#include "core/step.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "serving/scenario_serving.hpp"
#include "support/fixtures.hpp"

using namespace infersim;
using namespace infersim::serving;

namespace {

struct Rig {
  ModelSpec model = load_model(test::source_path("model_configs/llama-3-8b.yaml"));
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc;
  FixedLoad load;
  Rig() {
    sc.input_tokens = 1024;
    sc.output_tokens = 128;
    sc.batch = 8;  // the static batch: no part of a serving run
    load.requests = 300;
  }
};

class Source : public RequestSource {
 public:
  explicit Source(const WorkloadSpec& w) : w_(w) {}
  std::optional<Request> next() override { return w_.next(); }
  SyntheticWorkload w_;
};

}  // namespace

TEST_CASE("serving_capacity: the rate meets the targets when rerun; per device is over dp x tp devices") {
  Rig r;
  r.sc.layout.tp = 2;
  r.sc.layout.dp = 2;
  const SloTargets slo{0.25, 0.01};
  const ServingCapacity c = serving_capacity(r.model, r.hw, r.sc, r.load, slo);
  REQUIRE(!c.not_simulated);
  REQUIRE(c.search.rate_rps);
  // The rerun: 300 requests of exactly 1024 in / 128 out, Poisson at the rate, two replicas of tp 2.
  WorkloadSpec w = fixed_workload(r.model, r.sc, r.load);
  CHECK(w.input.kind == LengthDist::Kind::fixed);
  CHECK(w.input.a == 1024.0);
  CHECK(w.output.a == 128.0);
  w.rate_rps = *c.search.rate_rps;
  ServeConfig cfg;
  cfg.limits = r.load.limits;
  cfg.replicas = 2;
  StepTimer timer(r.model, r.hw, serving_scenario(r.sc));
  Source source(w);
  const ServeSummary s = simulate(timer, cfg, source, w.requests, {}, w.rate_rps).summary;
  CHECK(s.requests == 300);
  CHECK(s.ttft_p99_s <= 0.25);
  CHECK(s.tpot_p99_s <= 0.01);
  // 4 devices: 2 replicas x tp 2.
  CHECK(c.throughput_per_device_tok_s == Approx(s.output_throughput_tok_s / 4.0));
}

TEST_CASE("serving_capacity names what it cannot simulate instead of running it") {
  Rig r;
  r.sc.attention = AttentionKernel::unfused;
  const ServingCapacity unfused = serving_capacity(r.model, r.hw, r.sc, r.load, {1.0, std::nullopt});
  REQUIRE(unfused.not_simulated);
  CHECK(unfused.not_simulated->find("--attention unfused") != std::string::npos);
  CHECK(!unfused.search.rate_rps);
  // A token budget whose step activations leave no memory for one KV block: 8B on one 80 GB H100 holds
  // 16 GB of weights; 10^7 tokens of activations (4096 wide, bf16) are far above the remaining ~60 GB.
  Rig big;
  big.load.limits.max_num_batched_tokens = 10'000'000;
  const auto why = why_not_servable(big.model, big.hw, big.sc, big.load.limits);
  REQUIRE(why);
  CHECK(why->find("no memory is left for the KV cache") != std::string::npos);
  CHECK(!why_not_servable(r.model, r.hw, Rig().sc, r.load.limits));
}

TEST_CASE("rate_curve: one run at each fraction of the offline rate, in order") {
  Rig r;
  const RateCurve curve = rate_curve(r.model, r.hw, r.sc, r.load, {0.25, 0.5, 1.0});
  REQUIRE(!curve.not_simulated);
  StepTimer timer(r.model, r.hw, serving_scenario(r.sc));
  ServeConfig cfg;
  cfg.limits = r.load.limits;
  CHECK(curve.offline_rps == offline_rate_rps(timer, cfg, fixed_workload(r.model, r.sc, r.load)));
  REQUIRE(curve.points.size() == 3);
  CHECK(curve.points[0].rate_rps == Approx(0.25 * curve.offline_rps));
  CHECK(curve.points[2].rate_rps == Approx(curve.offline_rps));
  for (const RatePoint& p : curve.points) CHECK(p.summary.requests == 300);
  CHECK_THROWS_AS(rate_curve(r.model, r.hw, r.sc, r.load, {1.5}), std::invalid_argument);
}

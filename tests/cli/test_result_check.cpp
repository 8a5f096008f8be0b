// capacity and plan check their numbers once, before any format: a result that is not finite, is
// negative where it cannot be, is a count past 2^53 or disagrees with the counts it derives from is a
// bug (std::logic_error, exit 1) in the table and in JSON alike, never printed as inf, nan or a wrong
// figure. The results here are typed by hand; the good ones are consistent by construction.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "io/report/plan_report.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// 2 devices (tp 2 x pp 1) hold the model; batch 40 fits, 24 meets the targets.
CapacityResult good_capacity() {
  CapacityResult c;
  c.max_batch = 40;
  c.max_context_batch1 = 4096;
  c.max_context_at_batch = 2048;
  c.min_devices = 2;
  c.min_tp = 2;
  c.min_pp = 1;
  c.slo_max_batch = 24;
  c.slo_throughput_per_device_tok_s = 300.0;
  c.slo_ttft_s = 0.25;
  c.slo_tpot_s = 0.04;
  return c;
}

// One replica of tp 2 x pp 1 serves 1.5 requests/s; 3 replicas serve the 4 requests/s asked: 6
// devices, cost 6 unpriced.
PlanCandidate good_candidate() {
  PlanCandidate c;
  c.hardware = "ideal-a100";
  c.layout.tp = 2;
  c.layout.pp = 1;
  c.batch = 8;
  c.ttft_s = 0.1;
  c.step_s = 0.02;
  c.replica_rps = 1.5;
  c.replicas = 3;
  c.devices = 6;
  c.cost = 6.0;
  return c;
}

struct CapacityCase {
  const char* field;
  std::function<void(CapacityResult&)> spoil;
};

struct PlanCase {
  const char* field;
  std::function<void(PlanCandidate&)> spoil;
};

}  // namespace

TEST_CASE("capacity: the table and JSON refuse the same bad numbers, naming the field") {
  const ModelSpec m = test::llama2_7b();
  const HardwareSpec hw = test::ideal_a100();
  const Scenario sc = test::scenario(8, 1024, 128);
  const LatencyTargets targets{1.0, 0.05};
  CapacityResult c = good_capacity();
  const CapacityReport report{m, hw, sc, targets, c};
  CHECK(capacity_json(report).find("\"slo_throughput_per_device_tok_s\": 300\n") != std::string::npos);
  CHECK(capacity_table(report).find(
            "static batch meeting the SLOs      24 (all started together: TTFT 250.0 ms, "
            "TPOT 40.00 ms, 300.0 tok/s per device)") != std::string::npos);
  const CapacityCase cases[] = {
      {"slo_throughput_per_device_tok_s",
       [](CapacityResult& r) { r.slo_throughput_per_device_tok_s = kInf; }},
      {"slo_throughput_per_device_tok_s", [](CapacityResult& r) { r.slo_throughput_per_device_tok_s = 0.0; }},
      {"slo_ttft_s", [](CapacityResult& r) { r.slo_ttft_s = kNan; }},
      {"slo_tpot_s", [](CapacityResult& r) { r.slo_tpot_s = -0.01; }},
      {"max_batch", [](CapacityResult& r) { r.max_batch = -1; }},
      {"max_context_batch1", [](CapacityResult& r) { r.max_context_batch1 = (1LL << 53) + 1; }},
      {"min_devices", [](CapacityResult& r) { r.min_devices = 3; }},       // not tp 2 x pp 1
      {"slo_max_batch", [](CapacityResult& r) { r.slo_max_batch = 41; }},  // more than fits
  };
  for (const CapacityCase& k : cases) {
    INFO(k.field);
    c = good_capacity();
    k.spoil(c);
    CHECK_THROWS_AS(capacity_table(report), std::logic_error);
    CHECK_THROWS_WITH(capacity_table(report), Catch::Contains(std::string("'") + k.field + "'"));
    CHECK_THROWS_WITH(capacity_json(report), Catch::Contains(std::string("'") + k.field + "'"));
  }
  // "None" is an answer, not an error: no layout holds the model, no batch meets the targets.
  c = CapacityResult{};
  CHECK(capacity_table(report).find("none: no layout searched holds the model") != std::string::npos);
  CHECK_NOTHROW(capacity_json(report));
}

TEST_CASE("plan: the table and JSON refuse the same bad numbers; both give the KV dtype") {
  const ModelSpec m = test::llama2_7b();
  PlanRequest q;
  q.rate_rps = 4.0;
  q.targets = {1.0, 0.05};
  q.base = test::scenario(1, 1024, 128);
  q.base.kv = Dtype::fp8;
  PlanResult r;
  r.feasible.push_back(good_candidate());
  // The KV cache's dtype in the JSON row, as the table's weights/act/kv column gives it.
  CHECK(plan_json(m, q, r, 10)
            .find("\"weights\": \"bf16\", \"activations\": \"bf16\", \"kv\": \"fp8\", "
                  "\"batch\": 8,") != std::string::npos);
  CHECK(plan_table(m, q, r, 10).find(" bf16/bf16/fp8 ") != std::string::npos);
  const PlanCase cases[] = {
      {"ttft_s", [](PlanCandidate& c) { c.ttft_s = kNan; }},
      {"tpot_s", [](PlanCandidate& c) { c.step_s = kInf; }},
      {"replica_rps", [](PlanCandidate& c) { c.replica_rps = 0.0; }},
      {"cost", [](PlanCandidate& c) { c.cost = kInf; }},
      {"cost", [](PlanCandidate& c) { c.cost = 5.0; }},  // unpriced: must equal the 6 devices
      {"replicas", [](PlanCandidate& c) { c.replicas = 0; }},
      {"devices", [](PlanCandidate& c) { c.devices = 7; }},  // not 3 replicas x tp 2 x pp 1
      {"batch", [](PlanCandidate& c) { c.batch = 1LL << 60; }},
  };
  for (const PlanCase& k : cases) {
    INFO(k.field);
    r.feasible.front() = good_candidate();
    k.spoil(r.feasible.front());
    CHECK_THROWS_AS(plan_json(m, q, r, 10), std::logic_error);
    CHECK_THROWS_WITH(plan_table(m, q, r, 10), Catch::Contains(std::string("'") + k.field + "'"));
    CHECK_THROWS_WITH(plan_json(m, q, r, 10), Catch::Contains(std::string("'") + k.field + "'"));
  }
  // Priced, the cost is USD per hour: any finite positive figure (here 6 devices at 2.5 USD).
  r.priced = true;
  r.feasible.front() = good_candidate();
  r.feasible.front().cost = 15.0;
  CHECK(plan_json(m, q, r, 10).find("\"cost\": 15}") != std::string::npos);
  // Nothing feasible: nothing to check, "no candidate" is the answer.
  r.feasible.clear();
  CHECK(plan_table(m, q, r, 10).find("no candidate meets the targets") != std::string::npos);
}

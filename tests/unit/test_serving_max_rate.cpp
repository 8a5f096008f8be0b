// The highest-rate search and the latency curve (src/serving/max_rate.hpp): each answer checked by runs of
// the simulator made here, apart from the search (the returned rate meets the targets, the rate one step
// above it does not), and the curve's low end against estimate's batch of one.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "core/estimate.hpp"
#include "core/step.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "serving/max_rate.hpp"
#include "support/fixtures.hpp"

using namespace infersim;
using namespace infersim::serving;

namespace {

struct Rig {
  ModelSpec model = load_model(test::source_path("model_configs/llama-3-8b.yaml"));
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc;
  ServeConfig cfg;
  WorkloadSpec w;
  Rig() {
    sc.input_tokens = 1024;
    sc.output_tokens = 128;
    w.input = {LengthDist::Kind::fixed, 1024, 0};
    w.output = {LengthDist::Kind::fixed, 128, 0};
    w.requests = 300;
    w.seed = 3;
  }
};

class Source : public RequestSource {
 public:
  explicit Source(const WorkloadSpec& w) : w_(w) {}
  std::optional<Request> next() override { return w_.next(); }
  SyntheticWorkload w_;
};

// A Poisson run at `rate`, made without the search's code; its summary reports TTFT and TPOT at
// `percentile` too.
ServeSummary poisson_run(Rig& r, StepTimer& timer, double rate, double percentile = 99.0) {
  WorkloadSpec w = r.w;
  w.rate_rps = rate;
  Source source(w);
  return simulate(timer, r.cfg, source, w.requests, {std::nullopt, std::nullopt, percentile}, rate).summary;
}

}  // namespace

TEST_CASE("find_max_rate: its rate meets the p99 targets and the next rate, within 1 %, misses them") {
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  const SloTargets slo{0.3, 0.012};
  const MaxRateResult m = find_max_rate(timer, r.cfg, r.w, slo, 99.0);
  REQUIRE(m.rate_rps);
  REQUIRE(m.next_rate_rps);
  CHECK(*m.rate_rps < *m.next_rate_rps);
  CHECK(*m.next_rate_rps - *m.rate_rps <= 0.01 * *m.next_rate_rps);
  CHECK(*m.rate_rps < 2.0 * m.offline_rps);
  const ServeSummary at = poisson_run(r, timer, *m.rate_rps);
  CHECK(at.requests == 300);
  CHECK(at.ttft_p99_s <= 0.3);
  CHECK(at.tpot_p99_s <= 0.012);
  CHECK(at.output_throughput_tok_s == m.at_rate.summary.output_throughput_tok_s);  // the same run
  const ServeSummary above = poisson_run(r, timer, *m.next_rate_rps);
  CHECK((above.ttft_p99_s > 0.3 || above.tpot_p99_s > 0.012));
  // The curve holds every probe in rate order, the answer and its neighbour among them.
  bool has_rate = false, has_next = false;
  for (std::size_t i = 0; i < m.curve.size(); ++i) {
    if (i > 0) CHECK(m.curve[i - 1].rate_rps < m.curve[i].rate_rps);
    has_rate = has_rate || (m.curve[i].rate_rps == *m.rate_rps && m.curve[i].meets);
    has_next = has_next || (m.curve[i].rate_rps == *m.next_rate_rps && !m.curve[i].meets);
  }
  CHECK(has_rate);
  CHECK(has_next);
}

TEST_CASE("find_max_rate: a target no request can meet gives no rate, one every rate meets, the bound") {
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  // A TTFT of 1 ms is below one request's prefill alone (estimate at batch 1), at any rate.
  Scenario one = r.sc;
  REQUIRE(estimate(r.model, r.hw, one, false).ttft_s > 0.001);
  const MaxRateResult none = find_max_rate(timer, r.cfg, r.w, {0.001, std::nullopt}, 99.0);
  CHECK(!none.rate_rps);
  REQUIRE(none.next_rate_rps);
  CHECK(*none.next_rate_rps == Approx(0.01 * none.offline_rps));
  CHECK(none.curve.size() == 3);  // the offline rate, 90 % of it and 1 % of it
  // A TPOT of 10 s holds at every rate: the search stops at its bound, twice the offline rate.
  const MaxRateResult all = find_max_rate(timer, r.cfg, r.w, {std::nullopt, 10.0}, 50.0);
  REQUIRE(all.rate_rps);
  CHECK(*all.rate_rps == Approx(2.0 * all.offline_rps));
  CHECK(!all.next_rate_rps);
  CHECK(all.curve.size() == 3);  // the offline rate, 110 % of it and twice it
  CHECK_THROWS_AS(find_max_rate(timer, r.cfg, r.w, {}, 99.0), std::invalid_argument);
  CHECK_THROWS_AS(find_max_rate(timer, r.cfg, r.w, {1.0, std::nullopt}, 0.0), std::invalid_argument);
}

TEST_CASE("meets_slo reads the percentile asked for and refuses runs with rejections") {
  ServeSummary s;
  s.requests = 10;
  s.ttft_p50_s = 0.1, s.ttft_p90_s = 0.2, s.ttft_p99_s = 0.4;
  s.tpot_p50_s = 0.01, s.tpot_p90_s = 0.02, s.tpot_p99_s = 0.04;
  const SloTargets slo{0.3, 0.03};
  CHECK(meets_slo(s, slo, 50.0));
  CHECK(meets_slo(s, slo, 90.0));
  CHECK(!meets_slo(s, slo, 99.0));
  CHECK(meets_slo(s, {std::nullopt, 0.05}, 99.0));
  s.rejected = 1;
  CHECK(!meets_slo(s, slo, 50.0));
  CHECK(!meets_slo(ServeSummary{}, slo, 50.0));  // nothing finished
}

TEST_CASE("latency_curve: alone at a low rate, estimate's batch of one, busier with the rate") {
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  const double offline = offline_rate_rps(timer, r.cfg, r.w);
  REQUIRE(offline > 0.0);
  std::vector<double> rates;
  for (double f : {0.001, 0.2, 0.4, 0.6, 0.8}) rates.push_back(f * offline);
  const std::vector<RatePoint> curve = latency_curve(timer, r.cfg, r.w, rates);
  REQUIRE(curve.size() == rates.size());
  // At 0.1 % of the offline rate the requests arrive far apart (mean gap ~ 1000 x the time a request
  // needs when the engine is full) and the median one runs alone: its TTFT and TPOT are estimate's at
  // batch 1 (the simulator's one-request test holds that within 0.5 %).
  const Estimate e = estimate(r.model, r.hw, r.sc, false);
  CHECK(curve[0].summary.ttft_p50_s == Approx(e.ttft_s).epsilon(0.01));
  CHECK(curve[0].summary.tpot_p50_s == Approx(e.tpot_s).epsilon(0.01));
  for (std::size_t i = 1; i < curve.size(); ++i) {
    const ServeSummary& a = curve[i - 1].summary;
    const ServeSummary& b = curve[i].summary;
    CHECK(b.output_throughput_tok_s > a.output_throughput_tok_s);
    CHECK(b.batch_mean > a.batch_mean);
    CHECK(b.tpot_p50_s >= a.tpot_p50_s);
    CHECK(b.ttft_p50_s >= a.ttft_p50_s);
  }
}

TEST_CASE("find_max_rate at any percentile: p95 holds at its rate and not one step above, p0 is refused") {
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  const SloTargets slo{0.3, 0.012};
  const MaxRateResult m = find_max_rate(timer, r.cfg, r.w, slo, 95.0);
  REQUIRE(m.rate_rps);
  REQUIRE(m.next_rate_rps);
  const ServeSummary at = poisson_run(r, timer, *m.rate_rps, 95.0);
  CHECK(at.slo_percentile == 95.0);
  CHECK(at.ttft_at_slo_percentile_s <= 0.3);
  CHECK(at.tpot_at_slo_percentile_s <= 0.012);
  // p95 is at most p99, so the p95 search finds at least the p99 one's rate (the same probes' order).
  CHECK(at.ttft_at_slo_percentile_s <= at.ttft_p99_s);
  const ServeSummary above = poisson_run(r, timer, *m.next_rate_rps, 95.0);
  CHECK((above.ttft_at_slo_percentile_s > 0.3 || above.tpot_at_slo_percentile_s > 0.012));
  const MaxRateResult p99 = find_max_rate(timer, r.cfg, r.w, slo, 99.0);
  REQUIRE(p99.rate_rps);
  CHECK(*m.rate_rps >= 0.99 * *p99.rate_rps);
  CHECK_THROWS_AS(find_max_rate(timer, r.cfg, r.w, slo, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(find_max_rate(timer, r.cfg, r.w, slo, 101.0), std::invalid_argument);
}

TEST_CASE("find_max_rate with a minimum duration: every probe lasts it, the answer's run too") {
  // 300 requests, at least 60 s of arrivals: a probe at rate R issues max(300, ceil(60 R)) requests
  // (MLPerf's performance runs last their min_duration whatever the query count).
  Rig r;
  r.w.min_duration_s = 60.0;
  StepTimer timer(r.model, r.hw, r.sc);
  const MaxRateResult m = find_max_rate(timer, r.cfg, r.w, {0.3, 0.012}, 99.0);
  REQUIRE(m.rate_rps);
  const long long issued = std::max(300LL, static_cast<long long>(std::ceil(60.0 * *m.rate_rps)));
  CHECK(m.at_rate.summary.requests + m.at_rate.summary.rejected == issued);
  CHECK(issued > 300);  // the rate is above 5 requests a second: the duration, not the count, decides
  // The offline run that scales the search has no rate: its 300 requests.
  WorkloadSpec offline = r.w;
  offline.arrivals = Arrivals::offline;
  CHECK(requests_to_issue(offline) == 300);
}

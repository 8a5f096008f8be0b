// Serving metrics (serving/histogram.hpp, serving/metrics.hpp): the histogram's percentiles against
// exact ones, and a run's summary on a hand-built set of requests.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "serving/metrics.hpp"
#include "serving/random.hpp"

using namespace infersim::serving;

namespace {

// The nearest-rank percentile of a sorted set, as Histogram::percentile defines it.
double exact_percentile(const std::vector<double>& sorted, double p) {
  if (p == 0.0) return sorted.front();
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::max<std::size_t>(rank, 1) - 1];
}

void check_against_exact(std::vector<double> values) {
  Histogram h;
  for (const double v : values) h.add(v);
  std::sort(values.begin(), values.end());
  double sum = 0.0;
  for (const double v : values) sum += v;
  CHECK(h.count() == static_cast<double>(values.size()));
  CHECK(h.mean() == Approx(sum / static_cast<double>(values.size())).epsilon(1e-12));
  CHECK(h.min() == values.front());
  CHECK(h.max() == values.back());
  double last = -1.0;
  for (int tenth = 0; tenth <= 1000; ++tenth) {
    const double p = tenth / 10.0;
    const double got = h.percentile(p);
    INFO("p = " << p);
    CHECK(got == Approx(exact_percentile(values, p)).epsilon(0.001));  // the buckets are 0.1 % wide
    CHECK(got >= last);                                                // monotone in p
    last = got;
  }
}

}  // namespace

TEST_CASE("Histogram percentiles are within 0.1 % of the exact ones, and monotone") {
  std::vector<double> ms;
  for (int i = 1000; i >= 1; --i) ms.push_back(i * 1e-3);  // 1 ms .. 1 s, in reverse
  check_against_exact(ms);
  // Lognormal latencies over six decades, with some exact zeros (a queue time).
  Rng rng(9);
  std::vector<double> wide;
  for (int i = 0; i < 100'000; ++i) wide.push_back(i % 50 == 0 ? 0.0 : 0.01 * std::exp(3.0 * rng.normal()));
  check_against_exact(wide);
  check_against_exact({0.25});
}

TEST_CASE("Histogram weights count as copies, an empty histogram reads 0") {
  Histogram weighted, copies;
  weighted.add(0.02, 3.0);
  weighted.add(0.05, 1.0);
  for (const double v : {0.02, 0.02, 0.02, 0.05}) copies.add(v);
  for (const double p : {0.0, 25.0, 50.0, 75.0, 76.0, 100.0})
    CHECK(weighted.percentile(p) == copies.percentile(p));
  CHECK(weighted.percentile(75.0) == Approx(0.02).epsilon(0.001));
  CHECK(weighted.percentile(76.0) == Approx(0.05).epsilon(0.001));
  CHECK(weighted.mean() == Approx(0.1100 / 4.0));
  CHECK(weighted.count_at_most(0.03) == 3.0);
  CHECK(weighted.count_at_most(0.05) == 4.0);
  CHECK(weighted.count_at_most(0.01) == 0.0);
  const Histogram empty;
  CHECK(empty.count() == 0.0);
  CHECK(empty.mean() == 0.0);
  CHECK(empty.percentile(99.0) == 0.0);
  Histogram h;
  CHECK_THROWS_AS(h.add(-1.0), std::invalid_argument);
  CHECK_THROWS_AS(h.add(NAN), std::invalid_argument);
  CHECK_THROWS_AS(h.add(1.0, 0.0), std::invalid_argument);
  CHECK_THROWS_AS(h.percentile(101.0), std::invalid_argument);
}

TEST_CASE("A run's summary, from three requests worked by hand") {
  // Targets: TTFT 1 s, TPOT 0.1 s.
  MetricsCollector m(SloTargets{1.0, 0.1});
  // id arrival sched first_token finish in out | TTFT e2e  TPOT           queue  meets both
  // 0  0       0     0.5         2.5    100 21  | 0.5  2.5  2.0/20 = 0.1   0      yes (0.1 <= 0.1)
  // 1  1       1.5   2.5         4.5    200 11  | 1.5  3.5  2.0/10 = 0.2   0.5    no
  // 2  2       2.5   3.0         3.0     50  1  | 1.0  1.0  (one token)    0.5    yes (no TPOT)
  m.on_request_done({0, 0.0, 0.0, 0.5, 2.5, 100, 21, 0});
  m.on_request_done({1, 1.0, 1.5, 2.5, 4.5, 200, 11, 2});
  m.on_request_done({2, 2.0, 2.5, 3.0, 3.0, 50, 1, 0});
  m.on_rejected();
  m.on_preemption();
  m.on_preemption();
  m.on_token_gaps(0.1, 20);  // request 0's 20 gaps
  m.on_token_gaps(0.2, 10);  // request 1's 10 gaps
  m.on_token_gaps(0.3, 0);   // nothing
  // Iterations: 0.5 s with 1 running, 1 s with 2, 0.5 s with 3: time-weighted mean (0.5 + 2 + 1.5) / 2 = 2.
  m.on_step(0.0, 0.5, 1, 10);
  m.on_step(0.5, 1.0, 2, 30);
  m.on_step(1.5, 0.5, 3, 45);

  const ServeSummary s = m.summary(100, 2.0, 1.5);
  CHECK(s.requests == 3);
  CHECK(s.duration_s == 4.5);  // first arrival 0 to last finish 4.5
  CHECK(s.request_throughput_rps == Approx(3.0 / 4.5));
  CHECK(s.output_throughput_tok_s == Approx(33.0 / 4.5));           // 21 + 11 + 1
  CHECK(s.total_throughput_tok_s == Approx((350.0 + 33.0) / 4.5));  // inputs 100 + 200 + 50
  // TTFT {0.5, 1.5, 1.0}: nearest rank of 50 % of 3 is the 2nd (1.0), of 90 % and 99 % the 3rd (1.5).
  CHECK(s.ttft_mean_s == Approx(1.0));
  CHECK(s.ttft_p50_s == Approx(1.0).epsilon(0.001));
  CHECK(s.ttft_p90_s == Approx(1.5).epsilon(0.001));
  CHECK(s.ttft_p99_s == Approx(1.5).epsilon(0.001));
  // TPOT {0.1, 0.2}: request 2 has one token and no TPOT.
  CHECK(s.tpot_mean_s == Approx(0.15));
  CHECK(s.tpot_p50_s == Approx(0.1).epsilon(0.001));
  CHECK(s.tpot_p90_s == Approx(0.2).epsilon(0.001));
  CHECK(s.tpot_p99_s == Approx(0.2).epsilon(0.001));
  // ITL: 20 gaps of 0.1 and 10 of 0.2: mean 4/30; the 15th of 30 is 0.1, the 27th 0.2.
  CHECK(s.itl_mean_s == Approx(4.0 / 30.0));
  CHECK(s.itl_p50_s == Approx(0.1).epsilon(0.001));
  CHECK(s.itl_p90_s == Approx(0.2).epsilon(0.001));
  CHECK(s.itl_p99_s == Approx(0.2).epsilon(0.001));
  // e2e {2.5, 3.5, 1.0}.
  CHECK(s.e2e_mean_s == Approx(7.0 / 3.0));
  CHECK(s.e2e_p50_s == Approx(2.5).epsilon(0.001));
  CHECK(s.e2e_p90_s == Approx(3.5).epsilon(0.001));
  CHECK(s.e2e_p99_s == Approx(3.5).epsilon(0.001));
  CHECK(s.queue_mean_s == Approx(1.0 / 3.0));
  CHECK(s.batch_mean == Approx(2.0));
  CHECK(s.batch_max == 3);
  CHECK(s.kv_blocks_total == 100);
  CHECK(s.kv_utilization_peak == Approx(0.45));
  CHECK(s.preemptions == 2);
  CHECK(s.rejected == 1);
  // Requests 0 and 2 met both targets: goodput 2 / 4.5 s; attainment 2 of the 4 offered (3 + 1 rejected).
  REQUIRE(s.goodput_rps);
  CHECK(*s.goodput_rps == Approx(2.0 / 4.5));
  REQUIRE(s.slo_attainment);
  CHECK(*s.slo_attainment == Approx(0.5));
  // Arrival window 0 .. 2 s, second half 1 .. 2 s: waiting at 1 s: request 1 (arrived at 1, starts at
  // 1.5); at 2 s: request 2 (starts at 2.5); 1 arrival: growth 0: not overloaded.
  CHECK_FALSE(s.overloaded);
  CHECK_FALSE(m.summary(100, 2.0, 0.0).overloaded);  // no arrival rate (offline): never overloaded
  // p99 TTFT 1.5 > 1 s: the percentile rule (MLPerf Server's) fails.
  CHECK_FALSE(m.percentile_slo_met());
}

TEST_CASE("Without targets there is no goodput, bad records are refused") {
  MetricsCollector m(SloTargets{});
  m.on_request_done({0, 1.0, 1.0, 1.2, 2.0, 10, 5, 0});
  const ServeSummary s = m.summary(0, 1.0, 1.0);
  CHECK_FALSE(s.goodput_rps);
  CHECK_FALSE(s.slo_attainment);
  CHECK(s.duration_s == 1.0);
  CHECK(s.kv_utilization_peak == 0.0);
  CHECK_FALSE(s.overloaded);  // an arrival window of zero length says nothing
  CHECK(m.percentile_slo_met());
  MetricsCollector tpot_only(SloTargets{std::nullopt, 0.25});
  tpot_only.on_request_done({0, 0.0, 0.0, 0.5, 2.5, 100, 21, 0});
  CHECK(tpot_only.percentile_slo_met());
  CHECK_THROWS_AS(m.on_request_done({1, 2.0, 1.0, 3.0, 4.0, 10, 5, 0}), std::invalid_argument);
  CHECK_THROWS_AS(m.on_request_done({1, 1.0, 1.0, 3.0, 2.0, 10, 5, 0}), std::invalid_argument);
  CHECK_THROWS_AS(m.on_request_done({1, 1.0, 1.0, 2.0, 3.0, 10, 0, 0}), std::invalid_argument);
  CHECK_THROWS_AS(m.on_step(0.0, -1.0, 1, 1), std::invalid_argument);
  CHECK_THROWS_AS(MetricsCollector(SloTargets{std::nullopt, std::nullopt, 0.0}), std::invalid_argument);
  CHECK_THROWS_AS(MetricsCollector(SloTargets{std::nullopt, std::nullopt, 100.5}), std::invalid_argument);
}

TEST_CASE("A queue is growing when the waiting requests outgrow their random variation") {
  // Worked by hand: allowance = 0.05 x arrivals + 2 sqrt(start + end).
  CHECK_FALSE(queue_grows(100.0, 50.0, 50.0));  // no growth
  // 0.05 x 100 + 2 sqrt(50 + 71) = 5 + 22 = 27 >= 21.
  CHECK_FALSE(queue_grows(100.0, 50.0, 71.0));
  CHECK(queue_grows(100.0, 50.0, 78.0));    // 28 > 5 + 2 sqrt(128) = 27.63
  CHECK_FALSE(queue_grows(0.0, 0.0, 0.0));  // an empty system
}

TEST_CASE("A run is overloaded when its queue grows and not when its requests are merely in flight") {
  // 41 arrivals, one a second at 0 .. 40 s (the window; second half 20 .. 40 s, 20 arrivals in it).
  // Keeping up: each request starts 0.5 s after it arrives and finishes 10 s after. Waiting at 20 s:
  // arrived 21, started 20 (those of 0 .. 19 s): 1; at 40 s: 41 - 40 = 1: no growth. (Completions by
  // the window's end were 31 of 41: a rule counting them against the arrival rate called this run
  // overloaded.)
  MetricsCollector keeping_up(SloTargets{});
  // Overloaded: the server starts one request every 8 s, in arrival order: request i at 10 + 8i.
  // Waiting at 20 s: arrived 21, started 2 (19); at 40 s: 41 - 4 = 37. Growth 18 > 0.05 x 20 +
  // 2 sqrt(19 + 37) = 15.97. (A start every 2 s would give growth 10 < 13.65: a queue growing that
  // slowly takes a longer run to tell from chance.)
  MetricsCollector overloaded(SloTargets{});
  for (int i = 0; i <= 40; ++i) {
    const double t = i;
    keeping_up.on_request_done({i, t, t + 0.5, t + 1.0, t + 10.0, 100, 10, 0});
    const double start = 10.0 + 8.0 * i;
    overloaded.on_request_done({i, t, start, start + 0.5, start + 1.0, 100, 10, 0});
  }
  CHECK_FALSE(keeping_up.summary(100, 40.0, 1.0).overloaded);
  CHECK(overloaded.summary(100, 40.0, 1.0).overloaded);
  CHECK_FALSE(overloaded.summary(100, 40.0, 0.0).overloaded);  // offline: never
}

// Synthetic serving workloads (serving/workload.hpp): length distributions, their clamping, arrival
// processes, and the common-random-numbers property the rate search relies on.
// Tolerances as in test_serving_random.cpp: about 5 standard errors over 10^5 draws.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/errors.hpp"
#include "serving/workload.hpp"

using namespace infersim::serving;

namespace {

constexpr int kDraws = 100'000;

double mean_length(const LengthDist& d, long long max_tokens, double* sd = nullptr) {
  Rng rng(11);
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const auto x = static_cast<double>(sample_length(d, rng, max_tokens));
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / kDraws;
  if (sd != nullptr) *sd = std::sqrt((sum_sq - kDraws * mean * mean) / (kDraws - 1));
  return mean;
}

std::vector<Request> all(WorkloadSpec spec) {
  std::vector<Request> out;
  SyntheticWorkload w(spec);
  while (auto r = w.next()) out.push_back(*r);
  return out;
}

}  // namespace

TEST_CASE("Lognormal lengths: the arithmetic mean is MEAN, SIGMA the underlying normal's") {
  // mu = ln 1024 - 0.5^2 / 2, so E[X] = exp(mu + sigma^2 / 2) = 1024. The standard deviation of X is
  // 1024 * sqrt(exp(0.25) - 1) = 545.7, so the sample mean's standard error is 1.73 tokens: 5 of them
  // is 8.6 tokens, under 1 %. Rounding to integers moves the mean by far less.
  double sd = 0.0;
  CHECK(mean_length({LengthDist::Kind::lognormal, 1024.0, 0.5}, 1'000'000, &sd) ==
        Approx(1024.0).epsilon(0.01));
  CHECK(sd == Approx(1024.0 * std::sqrt(std::exp(0.25) - 1.0)).epsilon(0.03));
  // SIGMA 0: every length is MEAN.
  Rng rng(1);
  CHECK(sample_length({LengthDist::Kind::lognormal, 300.0, 0.0}, rng, 4096) == 300);
}

TEST_CASE("Normal and uniform lengths have their mean and spread") {
  // normal:1000:100: standard error of the mean 100/sqrt(10^5) = 0.32 (5 of them 1.6); of the sample
  // standard deviation about 100/sqrt(2 * 10^5) = 0.22 (5 of them 1.1 %).
  double sd = 0.0;
  CHECK(mean_length({LengthDist::Kind::normal, 1000.0, 100.0}, 1'000'000, &sd) == Approx(1000.0).margin(1.6));
  CHECK(sd == Approx(100.0).epsilon(0.015));
  // uniform:1:6 has mean 3.5 and variance (6^2 - 1)/12 = 2.917: standard error 0.0054.
  CHECK(mean_length({LengthDist::Kind::uniform, 1.0, 6.0}, 1'000'000, &sd) == Approx(3.5).margin(0.027));
  CHECK(sd * sd == Approx(35.0 / 12.0).epsilon(0.02));
  Rng rng(2);
  long long lo = 100, hi = 0;
  for (int i = 0; i < 1000; ++i) {
    const long long x = sample_length({LengthDist::Kind::uniform, 1.0, 6.0}, rng, 1'000'000);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  CHECK(lo == 1);
  CHECK(hi == 6);
}

TEST_CASE("Lengths are rounded to the nearest integer and clamped to 1..max_tokens") {
  Rng rng(3);
  CHECK(sample_length({LengthDist::Kind::fixed, 5000.0, 0.0}, rng, 4096) == 4096);
  CHECK(sample_length({LengthDist::Kind::fixed, 1.0, 0.0}, rng, 4096) == 1);
  CHECK(sample_length({LengthDist::Kind::normal, 10.4, 0.0}, rng, 4096) == 10);
  CHECK(sample_length({LengthDist::Kind::normal, 10.5, 0.0}, rng, 4096) == 11);  // halves away from 0
  CHECK(sample_length({LengthDist::Kind::uniform, 3000.0, 9000.0}, rng, 2048) == 2048);
  // A wide normal around 10 is clamped on both sides, never 0 or negative, never past the context.
  for (int i = 0; i < 10'000; ++i) {
    const long long x = sample_length({LengthDist::Kind::normal, 10.0, 1000.0}, rng, 50);
    REQUIRE(x >= 1);
    REQUIRE(x <= 50);
  }
  // A huge lognormal spread stays finite and in range too.
  for (int i = 0; i < 10'000; ++i) {
    const long long x = sample_length({LengthDist::Kind::lognormal, 1000.0, 10.0}, rng, 128);
    REQUIRE(x >= 1);
    REQUIRE(x <= 128);
  }
  // The workload clamps to its context.
  WorkloadSpec spec;
  spec.input = {LengthDist::Kind::fixed, 8000.0, 0.0};
  spec.output = {LengthDist::Kind::fixed, 9000.0, 0.0};
  spec.max_context = 4096;
  spec.requests = 2;
  for (const Request& r : all(spec)) {
    CHECK(r.input_tokens == 4096);
    CHECK(r.output_tokens == 4096);
  }
}

TEST_CASE("Invalid distributions and workloads are refused with the reason") {
  using K = LengthDist::Kind;
  CHECK(!why_invalid({K::fixed, 1.0, 0.0}));
  CHECK(why_invalid({K::fixed, 0.0, 0.0}) == "a token count, an integer in [1, 1000000000]");
  CHECK(why_invalid({K::fixed, 2.5, 0.0}));
  CHECK(why_invalid({K::uniform, 9.0, 2.0}) == "uniform:LO:HI with integers 1 <= LO <= HI <= 1000000000");
  CHECK(why_invalid({K::uniform, 1.5, 2.0}));
  CHECK(why_invalid({K::normal, 100.0, -1.0}));
  CHECK(why_invalid({K::normal, NAN, 1.0}));
  CHECK(why_invalid({K::lognormal, 100.0, 11.0}));
  CHECK(why_invalid({K::lognormal, INFINITY, 1.0}));
  WorkloadSpec spec;
  spec.rate_rps = 0.0;
  CHECK_THROWS_WITH(SyntheticWorkload(spec),
                    "the request rate must be a finite number of requests per second above 0");
  spec.arrivals = Arrivals::offline;  // offline needs no rate
  CHECK_NOTHROW(SyntheticWorkload(spec));
  spec.arrivals = Arrivals::gamma;
  spec.rate_rps = 1.0;
  spec.burstiness = 0.0;
  CHECK_THROWS_AS(SyntheticWorkload(spec), infersim::InputError);
  spec.burstiness = 1.0;
  spec.output = {K::uniform, 5.0, 4.0};
  CHECK_THROWS_WITH(SyntheticWorkload(spec),
                    "the output length must be uniform:LO:HI with integers 1 <= LO <= HI <= 1000000000");
}

TEST_CASE("A minimum duration issues rate x duration requests when that is more than the count") {
  // By hand: 75 requests a second for 2400 s is 180,000 requests (MLPerf v4.1, NVIDIA's H100 Server run);
  // 5 a second for 600 s is 3000, fewer than the 24,576 asked: the count stands.
  WorkloadSpec spec;
  spec.requests = 24576;
  spec.rate_rps = 75.0;
  spec.min_duration_s = 2400.0;
  CHECK(requests_to_issue(spec) == 180000);
  spec.rate_rps = 5.0;
  spec.min_duration_s = 600.0;
  CHECK(requests_to_issue(spec) == 24576);
  spec.rate_rps = 0.7;  // 0.7 x 10 = 7 requests: rounded up, never short of the duration
  spec.requests = 1;
  spec.min_duration_s = 10.0;
  CHECK(requests_to_issue(spec) == 7);
  spec.min_duration_s = 10.1;
  CHECK(requests_to_issue(spec) == 8);
  // The workload issues that many, then stops.
  SyntheticWorkload w(spec);
  long long n = 0;
  while (w.next()) ++n;
  CHECK(n == 8);
  spec.arrivals = Arrivals::offline;  // no rate: the count alone
  CHECK(requests_to_issue(spec) == 1);
  spec.arrivals = Arrivals::poisson;
  spec.min_duration_s = -1.0;
  CHECK_THROWS_WITH(SyntheticWorkload(spec),
                    "the minimum duration must be a finite number of seconds, 0 or more");
  spec.min_duration_s = NAN;
  CHECK_THROWS_AS(SyntheticWorkload(spec), infersim::InputError);
  spec.rate_rps = 1e6;  // a runaway run: 1e6 x 1e3 requests
  spec.min_duration_s = 1e3;
  CHECK_THROWS_WITH(SyntheticWorkload(spec),
                    "the rate times the minimum duration must be at most 100000000 requests");
}

TEST_CASE("Arrivals: Poisson gaps have mean 1/rate and CV 1, Gamma(K) gaps CV 1/sqrt(K), offline all at 0") {
  for (const double k : {1.0, 0.25, 4.0}) {
    WorkloadSpec spec;
    spec.arrivals = k == 1.0 ? Arrivals::poisson : Arrivals::gamma;
    spec.burstiness = k;
    spec.rate_rps = 8.0;
    spec.requests = kDraws + 1;
    spec.seed = 5;
    SyntheticWorkload w(spec);
    double last = w.next()->arrival_s;
    CHECK(last == 0.0);  // the first request at once
    double sum = 0.0, sum_sq = 0.0;
    while (auto r = w.next()) {
      const double gap = r->arrival_s - last;
      REQUIRE(gap >= 0.0);
      sum += gap;
      sum_sq += gap * gap;
      last = r->arrival_s;
    }
    const double mean = sum / kDraws;
    const double cv = std::sqrt(sum_sq / kDraws - mean * mean) / mean;
    INFO("K = " << k);
    // The mean gap's standard error is (1/rate) / sqrt(K n): 5 of them is under 1.6 % at K = 0.25.
    CHECK(mean == Approx(1.0 / 8.0).epsilon(0.016));
    // The sample CV's relative standard error is about sqrt((1/2 + 3/(2K)) / n + 1/(K n)) (delta method
    // on the variance and the mean of Gamma(K) gaps): 1 % at K = 0.25, so 5 % is 5 of them.
    CHECK(cv == Approx(1.0 / std::sqrt(k)).epsilon(0.05));
  }
  WorkloadSpec offline;
  offline.arrivals = Arrivals::offline;
  offline.requests = 50;
  const auto requests = all(offline);
  REQUIRE(requests.size() == 50);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    CHECK(requests[i].arrival_s == 0.0);
    CHECK(requests[i].id == static_cast<long long>(i));
    CHECK(requests[i].prefix_group == -1);
  }
}

TEST_CASE("Common random numbers: one seed at two rates gives the same requests, arrivals scaled") {
  for (const Arrivals arrivals : {Arrivals::poisson, Arrivals::gamma}) {
    WorkloadSpec slow;
    slow.arrivals = arrivals;
    slow.burstiness = 0.5;
    slow.rate_rps = 2.0;
    slow.requests = 1000;
    slow.seed = 77;
    slow.input = {LengthDist::Kind::lognormal, 1024.0, 0.5};
    slow.output = {LengthDist::Kind::uniform, 16.0, 512.0};
    WorkloadSpec fast = slow;
    fast.rate_rps = 5.0;
    WorkloadSpec offline = slow;
    offline.arrivals = Arrivals::offline;
    const auto a = all(slow), b = all(fast), c = all(offline);
    REQUIRE(a.size() == 1000);
    REQUIRE(b.size() == 1000);
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].arrival_s * 2.0 == Approx(b[i].arrival_s * 5.0).epsilon(1e-12));
      CHECK(a[i].input_tokens == b[i].input_tokens);
      CHECK(a[i].output_tokens == b[i].output_tokens);
      // The lengths do not depend on the arrival process either.
      CHECK(a[i].input_tokens == c[i].input_tokens);
      CHECK(a[i].output_tokens == c[i].output_tokens);
    }
    CHECK(a.back().arrival_s > 0.0);
  }
  // Another seed, other requests.
  WorkloadSpec one, two;
  one.input = two.input = {LengthDist::Kind::uniform, 1.0, 1'000'000.0};
  two.seed = 1;
  CHECK(all(one)[0].input_tokens != all(two)[0].input_tokens);
}

// The serving workloads' random numbers (serving/random.hpp): xoshiro256** against its published
// vector, reproducibility, and the moments of every transform over 10^5 draws.
//
// Tolerances: each sample moment of n = 10^5 draws is held to about 5 standard errors of that moment,
// sigma/sqrt(n) for a mean and sqrt((mu4 - sigma^4)/n) for a variance (mu4 the fourth central moment),
// so a correct transform fails for almost no seed while a wrong one (a mean off by 1 %, a variance off
// by 5 %) fails. The seeds are fixed, so the outcome is too.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>

#include "serving/random.hpp"

using infersim::serving::Rng;

namespace {

struct Moments {
  double mean = 0.0;
  double variance = 0.0;
};

constexpr int kDraws = 100'000;

Moments moments_of(const std::function<double()>& draw) {
  double sum = 0.0, sum_sq = 0.0;
  for (int i = 0; i < kDraws; ++i) {
    const double x = draw();
    sum += x;
    sum_sq += x * x;
  }
  const double mean = sum / kDraws;
  return {mean, (sum_sq - kDraws * mean * mean) / (kDraws - 1)};
}

// 5 standard errors of the sample mean and sample variance of n draws with this variance and fourth
// central moment.
double mean_tolerance(double variance) { return 5.0 * std::sqrt(variance / kDraws); }
double variance_tolerance(double variance, double mu4) {
  return 5.0 * std::sqrt((mu4 - variance * variance) / kDraws);
}

}  // namespace

TEST_CASE("xoshiro256** reproduces the reference implementation's outputs") {
  // From the state {1, 2, 3, 4}, the reference code xoshiro256starstar.c (Blackman & Vigna,
  // https://prng.di.unimi.it/) gives these ten outputs; the same vector is the test `reference` of
  // rand_xoshiro (github.com/rust-random/rngs, rand_xoshiro/src/xoshiro256starstar.rs).
  auto rng = Rng::from_state({1, 2, 3, 4});
  const std::uint64_t expected[] = {11520ULL,
                                    0ULL,
                                    1509978240ULL,
                                    1215971899390074240ULL,
                                    1216172134540287360ULL,
                                    607988272756665600ULL,
                                    16172922978634559625ULL,
                                    8476171486693032832ULL,
                                    10595114339597558777ULL,
                                    2904607092377533576ULL};
  for (const std::uint64_t e : expected) CHECK(rng.next() == e);
}

TEST_CASE("Seeding fills the state with splitmix64's outputs") {
  // splitmix64 from 0 (Vigna's splitmix64.c) outputs 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4,
  // 0x06c45d188009454f, 0xf88bb8a8724c81ec: Rng(0) is that state.
  Rng seeded(0);
  auto direct = Rng::from_state(
      {0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL, 0x06c45d188009454fULL, 0xf88bb8a8724c81ecULL});
  for (int i = 0; i < 8; ++i) CHECK(seeded.next() == direct.next());
  // The first output of Rng(0), by the reference next() applied to that state by hand (a Python
  // transcription of xoshiro256starstar.c): rotl(s1 * 5, 7) * 9 mod 2^64.
  CHECK(Rng(0).next() == 11091344671253066420ULL);
}

TEST_CASE("jump() is the reference jump: 2^128 steps ahead, a separate stream") {
  // The reference jump() of xoshiro256starstar.c from the state {1, 2, 3, 4}, by a Python transcription.
  auto rng = Rng::from_state({1, 2, 3, 4});
  rng.jump();
  auto expected = Rng::from_state(
      {0x8c7a153956b5f3d1ULL, 0x701f1a713401d85eULL, 0x6527f66a65469085ULL, 0x8386b786c4408050ULL});
  for (int i = 0; i < 4; ++i) CHECK(rng.next() == expected.next());
}

TEST_CASE("The same seed gives the same sequence; another seed another") {
  Rng a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t x = a.next();
    CHECK(x == b.next());
    differs = differs || x != c.next();
  }
  CHECK(differs);
  Rng d(7), e(7);
  for (int i = 0; i < 1000; ++i) {
    CHECK(d.normal() == e.normal());
    CHECK(d.gamma(0.7) == e.gamma(0.7));
  }
}

TEST_CASE("uniform01 is in (0, 1) with mean 1/2 and variance 1/12; below(n) covers 0 to n - 1") {
  Rng rng(1);
  double lo = 1.0, hi = 0.0;
  const Moments m = moments_of([&] {
    const double u = rng.uniform01();
    lo = std::min(lo, u);
    hi = std::max(hi, u);
    return u;
  });
  CHECK(lo > 0.0);
  CHECK(hi < 1.0);
  // Uniform(0, 1): variance 1/12, fourth central moment 1/80.
  CHECK(m.mean == Approx(0.5).margin(mean_tolerance(1.0 / 12)));
  CHECK(m.variance == Approx(1.0 / 12).margin(variance_tolerance(1.0 / 12, 1.0 / 80)));
  int counts[6] = {};
  for (int i = 0; i < kDraws; ++i) ++counts[rng.below(6)];
  // Each count is binomial(n, 1/6): standard deviation sqrt(n * 1/6 * 5/6) = 118; 5 of them.
  for (const int c : counts) CHECK(c == Approx(kDraws / 6.0).margin(5 * 118));
  CHECK(rng.below(1) == 0);
}

TEST_CASE("exponential() has mean 1 and variance 1") {
  Rng rng(2);
  const Moments m = moments_of([&] { return rng.exponential(); });
  // Exponential(1): variance 1, fourth central moment 9.
  CHECK(m.mean == Approx(1.0).margin(mean_tolerance(1.0)));
  CHECK(m.variance == Approx(1.0).margin(variance_tolerance(1.0, 9.0)));
}

TEST_CASE("normal() has mean 0 and variance 1") {
  Rng rng(3);
  const Moments m = moments_of([&] { return rng.normal(); });
  // N(0, 1): fourth central moment 3.
  CHECK(m.mean == Approx(0.0).margin(mean_tolerance(1.0)));
  CHECK(m.variance == Approx(1.0).margin(variance_tolerance(1.0, 3.0)));
}

TEST_CASE("gamma(K) has mean K and variance K, for K below and above 1") {
  for (const double k : {0.25, 0.5, 1.0, 2.0, 4.0, 30.0}) {
    Rng rng(4);
    const Moments m = moments_of([&] { return rng.gamma(k); });
    // Gamma(K, 1): variance K, fourth central moment 3K(K + 2).
    INFO("K = " << k);
    CHECK(m.mean == Approx(k).margin(mean_tolerance(k)));
    CHECK(m.variance == Approx(k).margin(variance_tolerance(k, 3.0 * k * (k + 2.0))));
  }
  Rng rng(5);
  CHECK_THROWS_AS(rng.gamma(0.0), std::invalid_argument);
  CHECK_THROWS_AS(rng.gamma(-1.0), std::invalid_argument);
  CHECK_THROWS_AS(Rng::from_state({0, 0, 0, 0}), std::invalid_argument);
}

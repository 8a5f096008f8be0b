// The roofline (Williams, Waterman & Patterson 2009) and the closed-form decode sum.
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>

#include "core/formulas/roofline.hpp"

using namespace infersim;

TEST_CASE("A100 bf16 ridge point is 312e12 / 2.039e12 = 153 FLOP/B (Williams et al. 2009)") {
  CHECK(ridge_point(312e12, 2.039e12) == Approx(153.0).epsilon(0.001));
}

TEST_CASE("Roofline time is the larger of compute and memory time") {
  // 1e12 FLOP at 1e14 FLOP/s = 10 ms; 1e9 B at 1e12 B/s = 1 ms -> 10 ms, compute.
  CHECK(roofline_time_s(1e12, 1e9, 1e14, 1e12) == Approx(0.01));
  // 1e9 FLOP -> 10 us; 1e10 B -> 10 ms -> memory.
  CHECK(roofline_time_s(1e9, 1e10, 1e14, 1e12) == Approx(0.01));
  CHECK(attainable_flops_per_s(1.0, 312e12, 2e12) == 2e12);
  CHECK(attainable_flops_per_s(1000.0, 312e12, 2e12) == 312e12);
}

TEST_CASE("sum_max_affine equals the term-by-term sum, crossing or not") {
  // Independent check: a plain loop over every t.
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> coef(-5.0, 5.0);
  for (int trial = 0; trial < 500; ++trial) {
    const double a = coef(rng), b = coef(rng), c = coef(rng), d = coef(rng);
    const long long lo = static_cast<long long>(std::uniform_int_distribution<int>(-20, 20)(rng));
    const long long hi = lo + std::uniform_int_distribution<int>(-1, 60)(rng);
    double loop = 0.0;
    for (long long t = lo; t <= hi; ++t) loop += std::max(a + b * t, c + d * t);
    CHECK(sum_max_affine(a, b, c, d, lo, hi) == Approx(loop).margin(1e-9));
  }
}

TEST_CASE("sum_max_affine: a crossing inside the range, by hand") {
  // max(t, 10) over t = 1..20: 10*10 (t = 1..10) + (11+…+20 = 155) = 255.
  CHECK(sum_max_affine(0, 1, 10, 0, 1, 20) == 255.0);
  CHECK(sum_max_affine(10, 0, 0, 1, 1, 20) == 255.0);
  CHECK(sum_max_affine(0, 1, 10, 0, 5, 4) == 0.0);  // empty range
}

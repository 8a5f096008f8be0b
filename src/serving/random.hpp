#pragma once
// The random numbers of the serving workloads: the same seed gives the same numbers with any compiler
// and standard library, so a workload (and every result drawn from it) is reproducible byte for byte.
// Hence our own generator and our own transforms, never std::*_distribution (whose algorithms the
// standard leaves to each library).
//
// Generator: xoshiro256** 1.0, Blackman & Vigna, "Scrambled linear pseudorandom number generators",
// ACM TOMS 47(4), 2021 (preprint 2018), reference code xoshiro256starstar.c at https://prng.di.unimi.it/,
// its 256-bit state filled from the seed by splitmix64 (Steele, Lea & Flood, OOPSLA 2014), as that
// code recommends.
#include <array>
#include <cstdint>

namespace infersim::serving {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);
  // A generator in exactly this state (not all zero): for checking against published vectors.
  [[nodiscard]] static Rng from_state(const std::array<std::uint64_t, 4>& state);

  std::uint64_t next();
  // Equivalent to 2^128 calls of next(): generators jumped 1, 2, ... times from one seed draw
  // non-overlapping streams (the reference code's jump()).
  void jump();

  // Uniform in (0, 1), never 0 or 1: the top 53 bits of next(), centred in their interval.
  double uniform01();
  // Uniform integer in [0, n), n >= 1, without modulo bias (rejection of the short last interval).
  std::uint64_t below(std::uint64_t n);
  // Exponential with mean 1: -ln U.
  double exponential();
  // Standard normal N(0, 1): Marsaglia's polar method (Marsaglia & Bray, SIAM Review 6(3), 1964),
  // the second value of each pair kept for the next call.
  double normal();
  // Gamma with this shape (> 0) and scale 1, so mean = variance = shape: Marsaglia & Tsang, "A simple
  // method for generating gamma variables", ACM TOMS 26(3), 2000; shape < 1 by their boost
  // Gamma(shape + 1) * U^(1/shape) (same paper).
  double gamma(double shape);

 private:
  Rng() = default;
  std::array<std::uint64_t, 4> state_{};
  double spare_normal_ = 0.0;
  bool has_spare_normal_ = false;
};

}  // namespace infersim::serving

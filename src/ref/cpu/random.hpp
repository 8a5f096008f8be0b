#pragma once
// Deterministic random inputs for the kernels and their tests.
#include <cstddef>
#include <cstdint>

#include "ref/cpu/aligned.hpp"

namespace infersim::ref {

// n floats uniform in [-1, 1) from a 64-bit LCG (Knuth, MMIX constants) seeded by `seed`; fast enough
// to fill the GiB-sized buffers of the memory-bound cases.
inline Floats random_floats(std::size_t n, std::uint64_t seed) {
  Floats values(n);
  std::uint64_t state = seed * 2862933555777941757ULL + 3037000493ULL;
  for (float& v : values) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    v = static_cast<float>(state >> 40) * (2.0f / 16777216.0f) - 1.0f;  // top 24 bits
  }
  return values;
}

}  // namespace infersim::ref

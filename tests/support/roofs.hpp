#pragma once
// Roofs for an operator-level test: the matrix, vector and memory roofs a case states, every other term
// off (no GEMM tiling, no attention kernels, no launch cost) unless the case sets it after. A quantized
// model's 16-bit GEMMs run at the matrix roof too (Roofs::matrix16_flops_per_s).
#include "core/roofs.hpp"

namespace infersim::test {

inline Roofs flat_roofs(double matrix_flops_per_s, double vector_flops_per_s, double memory_Bps) {
  return {.matrix_flops_per_s = matrix_flops_per_s,
          .matrix16_flops_per_s = matrix_flops_per_s,
          .vector_flops_per_s = vector_flops_per_s,
          .memory_Bps = memory_Bps};
}

}  // namespace infersim::test

#pragma once
// Predicts one GEMM kernel of the published kernel rows (`achieved_gemm_tflops`,
// `achieved_grouped_gemm_tflops` in validation/published/published_measurements.csv) with the engine's own
// operator and time function: the GEMM operator the engine builds for a dense linear layer (groups 1) or for
// a routed expert MLP's grouped GEMM (groups > 1: `groups` experts of m rows each), its weights and
// inputs in the case's dtype, timed by detail::op_result under the roofs of a scenario whose compute dtype
// is that dtype. The time is the engine's: the larger of the compute time (at the GEMM efficiency of the
// per-group shape, docs/formulas.md#gemm_shape_efficiency) and the memory time, plus the profile's
// per-kernel overhead. The engine writes the outputs in the compute dtype (DeepGEMM writes bf16).
// No per-case constant. docs/formulas.md#grouped_gemm.
#include "core/dtype.hpp"
#include "core/hardware_spec.hpp"

namespace infersim {

struct GemmKernelShape {
  double groups = 1.0;  // 1: a dense GEMM
  double m = 0.0;       // rows per group
  double n = 0.0;
  double k = 0.0;
};

struct GemmKernelPrediction {
  double flops = 0.0;      // 2 * groups * m * n * k
  double time_s = 0.0;     // the engine's time of the operator, its per-kernel overhead included
  double compute_s = 0.0;  // FLOPs at the matrix roof times the shape's efficiency
  double memory_s = 0.0;   // bytes at the memory roof
  [[nodiscard]] double flops_per_s() const { return flops / time_s; }
};

// Throws InputError where the hardware has no peak for `dtype`.
[[nodiscard]] GemmKernelPrediction predict_gemm_kernel(const GemmKernelShape& shape, Dtype dtype,
                                                       const HardwareSpec& hw);

}  // namespace infersim

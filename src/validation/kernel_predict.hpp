#pragma once
// Predicts one measured kernel case (validation/measured_case.hpp) on a hardware profile with the engine's
// roofline (formulas/roofline.hpp): t = max(FLOPs / (peak * eta_compute), bytes / bandwidth) + overhead.
// Only the family, dtype, FLOPs and bytes of the case are used; the rules that depend on them:
//  - Roof: the matrix peak of the case's dtype for GEMM-like families (gemm, gemv, mlp, attention,
//    model), the vector fp32 peak for elementwise ones (norm, stream), as the engine does; a dtype
//    the profile has no peak for falls back to fp32.
//  - Memory level: decode families (gemv, attention_decode, model_decode) read data a real decode
//    step finds evicted (the runners flush the caches for them), so DRAM, at the profile's read-stream
//    bandwidth where it gives one (they are read streams; measured, so no efficiency applied). Any other case
//    whose bytes fit the outermost cache listed with a bandwidth is served at that cache's bandwidth
//    (docs/formulas.md#predict_kernel); otherwise DRAM at
//    bandwidth * eta_memory. Cache bandwidths in a profile are achieved figures (calibrate measures
//    them), so no efficiency is applied to them.
//  - Efficiency: compute_efficiency, except for the cases the runners compute in their own
//    kernels (attention; gemv of 2..16 rows on the CPU) on a profile that gives an own-kernel efficiency
//    (a host whose own vectorised kernels and BLAS differ: calibrate measures each).
//  - Compute and memory: the larger of the two times, except for the cases the GEMM library runs
//    (gemm, mlp, gemv of one row, "m=1" in the shape) on a profile whose GEMMs add the two
//    (gemm_time: sum, a CPU BLAS; HardwareSpec::gemm_time_is_sum says why), and for the runner's
//    streaming decode kernels (attention_decode; gemv of 2..16 rows) on a profile that gives their
//    in-core efficiency (decode_attention_in_core, skinny_gemv_in_core: each measured with its data in
//    L2, the attention's as the work per query head; ref/cpu/calibrate.hpp says why): the in-core time at
//    that efficiency plus the memory time. In the Execution-Cache-Memory model
//    (Treibig & Hager, PPAM 2009) a loop streaming from memory on an Intel core takes the time of its
//    loads plus the transfer time of its data through the hierarchy, not the larger of its compute
//    and memory times. Measured on the 2-core host at a fixed 335 MB of weights, our skinny GEMV
//    kernel's time grows with its rows' FLOPs from 1.03x a read stream's time at 2 rows to 1.6x at 8
//    and 2.0x at 16, with no memory-bound plateau; the decode attention kernel's from 1.2x at group 1
//    to 2.7x at group 16.
//  - Overhead: kernel_launch_overhead per dispatch; the gated MLP is three (two GEMMs and the SiLU).
// No per-case or per-shape constant is fitted.
#include "core/hardware_spec.hpp"
#include "validation/measured_case.hpp"

namespace infersim {

enum class MemoryLevel { dram, cache };

struct KernelPrediction {
  double time_s = 0.0;
  double compute_s = 0.0;   // FLOPs / achievable FLOP/s
  double memory_s = 0.0;    // bytes / bandwidth of `level`
  double overhead_s = 0.0;  // dispatches * launch overhead
  MemoryLevel level = MemoryLevel::dram;
  [[nodiscard]] bool compute_bound() const { return compute_s >= memory_s; }
};

[[nodiscard]] KernelPrediction predict_kernel(const MeasuredRow& kernel, const HardwareSpec& hw);

// Whether the family models data evicted from the caches (see above).
[[nodiscard]] bool reads_cold_data(KernelFamily family);

// Kernel dispatches one case of the family makes.
[[nodiscard]] int dispatches(KernelFamily family);

}  // namespace infersim

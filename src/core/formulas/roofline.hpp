#pragma once
// The roofline model. Source: Williams, Waterman & Patterson, "Roofline: an insightful visual
// performance model", CACM 2009; docs/formulas.md#roofline_time, #sum_max_affine.
#include <algorithm>

namespace infersim {

// Arithmetic intensity I = FLOPs / bytes (FLOP/B).
[[nodiscard]] constexpr double arithmetic_intensity(double flops, double bytes) {
  return bytes > 0.0 ? flops / bytes : 0.0;
}

// Ridge point peak / bandwidth (FLOP/B): above it a kernel is compute-bound.
[[nodiscard]] constexpr double ridge_point(double peak_flops_per_s, double bandwidth_Bps) {
  return peak_flops_per_s / bandwidth_Bps;
}

// Attainable FLOP/s at intensity I: min(peak, I * bandwidth).
[[nodiscard]] constexpr double attainable_flops_per_s(double intensity, double peak_flops_per_s,
                                                      double bandwidth_Bps) {
  return std::min(peak_flops_per_s, intensity * bandwidth_Bps);
}

// Roofline time without launch cost: max(FLOPs / achievable peak, bytes / achievable bandwidth).
[[nodiscard]] constexpr double roofline_time_s(double flops, double bytes, double achievable_flops_per_s,
                                               double achievable_Bps) {
  return std::max(flops / achievable_flops_per_s, bytes / achievable_Bps);
}

// A routed experts' grouped GEMM whose weights stream serially with the rest of its work: the weights'
// stream time adds to the larger of the compute time and the rest of the traffic's time (memory_s includes
// weights_s). docs/formulas.md#grouped_gemm_time; the form is measured (FlashInfer's TRTLLM-Gen fused MoE on
// a B200 and a GB200), the times that add after Treibig & Hager, PPAM 2009 (Execution-Cache-Memory model).
[[nodiscard]] constexpr double weights_serial_time_s(double compute_s, double memory_s, double weights_s) {
  return std::max(compute_s, memory_s - weights_s) + weights_s;
}

// Sum over the integers t in [lo, hi] of max(a + b*t, c + d*t): the exact sum of roofline times of
// an operator whose compute time (a + b*t) and memory time (c + d*t) are affine in the context t.
// The two lines cross at most once, so the range splits into two arithmetic series.
[[nodiscard]] double sum_max_affine(double a, double b, double c, double d, long long lo, long long hi);

// Sum over the integers t in [lo, hi] of a + b*t: an arithmetic series, n*a + b*n*(lo + hi)/2 (0 when
// hi < lo). The time of an operator whose compute and memory times add (HardwareSpec::gemm_time_is_sum).
[[nodiscard]] constexpr double sum_affine(double a, double b, long long lo, long long hi) {
  if (hi < lo) return 0.0;
  const double n = static_cast<double>(hi - lo + 1);
  const double sum_t = (static_cast<double>(lo) + static_cast<double>(hi)) * n / 2.0;
  return a * n + b * sum_t;
}

}  // namespace infersim

#include "validation/kernel_predict.hpp"

#include <optional>

#include "core/formulas/roofline.hpp"

namespace infersim {

namespace {

bool elementwise(KernelFamily family) {
  return family == KernelFamily::norm || family == KernelFamily::stream;
}

double peak_for(const MeasuredRow& kernel, const HardwareSpec& hw) {
  const std::optional<Dtype> dtype = parse_dtype(kernel.dtype);
  const double fp32 = peak_flops(hw, Dtype::fp32);
  if (elementwise(kernel.family) && fp32 > 0.0) return fp32;
  if (dtype && has_peak(hw, *dtype)) return peak_flops(hw, *dtype);
  if (fp32 > 0.0) return fp32;
  for (double p : hw.peak_flops)  // a profile with neither: its first listed peak
    if (p > 0.0) return p;
  return 0.0;
}

// The outermost cache with a known bandwidth that holds `bytes`, or none.
const CacheLevel* cache_holding(double bytes, const HardwareSpec& hw) {
  for (auto it = hw.caches.rbegin(); it != hw.caches.rend(); ++it)
    if (it->bandwidth_Bps > 0.0 && bytes <= it->size_B) return &*it;
  return nullptr;
}

// A GEMV case of one row ("m=1"): the GEMM library's matrix-vector product on every runner.
bool single_row_gemv(const MeasuredRow& kernel) {
  return kernel.family == KernelFamily::gemv &&
         shape_value(kernel.shape, "m") == std::optional<std::string_view>("1");
}

// A GEMV case of 2..16 rows, which the CPU runner computes in its own weight-streaming kernel
// (ref/cpu/skinny_gemm.hpp).
bool skinny_gemv(const MeasuredRow& kernel) {
  return kernel.family == KernelFamily::gemv && !single_row_gemv(kernel);
}

// Cases whose FLOPs the reference runners compute in their own kernels rather than the GEMM library:
// attention (both runners) and the skinny GEMV.
bool own_kernel(const MeasuredRow& kernel) {
  const KernelFamily f = kernel.family;
  return f == KernelFamily::attention_decode || f == KernelFamily::attention_prefill || skinny_gemv(kernel);
}

// Cases the GEMM library runs: gemm, the gated MLP's GEMMs, the one-row GEMV (header comment).
bool library_gemm(const MeasuredRow& kernel) {
  return kernel.family == KernelFamily::gemm || kernel.family == KernelFamily::mlp || single_row_gemv(kernel);
}

// The efficiency of the kernels that run the case's FLOPs (header comment).
double efficiency_for(const MeasuredRow& kernel, const HardwareSpec& hw) {
  return own_kernel(kernel) ? hw.own_kernel_efficiency.value_or(hw.compute_efficiency)
                            : hw.compute_efficiency;
}

// The in-core efficiency of the runner's streaming kernel that runs the case; none where the profile
// gives none or the case is not one of them (header comment).
std::optional<double> in_core_efficiency(const MeasuredRow& kernel, const HardwareSpec& hw) {
  if (kernel.family == KernelFamily::attention_decode) return hw.decode_attention_in_core_efficiency;
  if (skinny_gemv(kernel)) return hw.skinny_gemv_in_core_efficiency;
  return std::nullopt;
}

}  // namespace

bool reads_cold_data(KernelFamily family) {
  return family == KernelFamily::gemv || family == KernelFamily::attention_decode ||
         family == KernelFamily::model_decode;
}

int dispatches(KernelFamily family) { return family == KernelFamily::mlp ? 3 : 1; }

KernelPrediction predict_kernel(const MeasuredRow& kernel, const HardwareSpec& hw) {
  KernelPrediction p;
  const std::optional<double> in_core = in_core_efficiency(kernel, hw);
  const double achievable_flops = peak_for(kernel, hw) * in_core.value_or(efficiency_for(kernel, hw));
  double achievable_Bps =
      reads_cold_data(kernel.family) ? achievable_read_Bps(hw) : achievable_memory_Bps(hw);
  if (const CacheLevel* cache = reads_cold_data(kernel.family) ? nullptr : cache_holding(kernel.bytes, hw)) {
    achievable_Bps = cache->bandwidth_Bps;
    p.level = MemoryLevel::cache;
  }
  p.compute_s = achievable_flops > 0.0 ? kernel.flops / achievable_flops : 0.0;
  p.memory_s = kernel.bytes / achievable_Bps;
  p.overhead_s = dispatches(kernel.family) * hw.kernel_launch_overhead_s;
  const bool add = (hw.gemm_time_is_sum && library_gemm(kernel)) || in_core.has_value();
  p.time_s = (add ? p.compute_s + p.memory_s
                  : roofline_time_s(kernel.flops, kernel.bytes, achievable_flops, achievable_Bps)) +
             p.overhead_s;
  return p;
}

}  // namespace infersim

#include "core/kernel_predict.hpp"

#include "core/formulas/roofline.hpp"

namespace infersim {

namespace {

bool elementwise(KernelFamily family) { return family == KernelFamily::norm || family == KernelFamily::stream; }

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

// Families whose FLOPs the reference runners compute in their own kernels rather than the GEMM
// library: attention (both runners), and the decode GEMV, which the CPU runner computes in its own
// weight-streaming kernel for 2..16 rows (ref/skinny_gemm.hpp); one row is memory-bound either way.
bool own_kernel(KernelFamily family) {
  return family == KernelFamily::attention_decode || family == KernelFamily::attention_prefill ||
         family == KernelFamily::gemv;
}

// The efficiency of the kernels that run the family's FLOPs (header comment).
double efficiency_for(KernelFamily family, const HardwareSpec& hw) {
  return own_kernel(family) && hw.own_kernel_efficiency > 0.0 ? hw.own_kernel_efficiency : hw.compute_efficiency;
}

}  // namespace

bool reads_cold_data(KernelFamily family) {
  return family == KernelFamily::gemv || family == KernelFamily::attention_decode ||
         family == KernelFamily::model_decode;
}

int dispatches(KernelFamily family) { return family == KernelFamily::mlp ? 3 : 1; }

KernelPrediction predict_kernel(const MeasuredRow& kernel, const HardwareSpec& hw) {
  KernelPrediction p;
  const double achievable_flops = peak_for(kernel, hw) * efficiency_for(kernel.family, hw);
  double achievable_Bps = hw.memory_bandwidth_Bps * hw.memory_efficiency;
  if (reads_cold_data(kernel.family) && hw.read_bandwidth_Bps > 0.0) achievable_Bps = hw.read_bandwidth_Bps;
  if (const CacheLevel* cache = reads_cold_data(kernel.family) ? nullptr : cache_holding(kernel.bytes, hw)) {
    achievable_Bps = cache->bandwidth_Bps;
    p.level = MemoryLevel::cache;
  }
  p.compute_s = achievable_flops > 0.0 ? kernel.flops / achievable_flops : 0.0;
  p.memory_s = kernel.bytes / achievable_Bps;
  p.overhead_s = dispatches(kernel.family) * hw.kernel_launch_overhead_s;
  p.time_s = roofline_time_s(kernel.flops, kernel.bytes, achievable_flops, achievable_Bps) + p.overhead_s;
  return p;
}

}  // namespace infersim

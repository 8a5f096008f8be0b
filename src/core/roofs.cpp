#include "core/roofs.hpp"

#include <optional>
#include <string>

#include "core/errors.hpp"
#include "core/formulas/attention.hpp"

namespace infersim {

std::string_view bound_name(Bound b) {
  switch (b) {
    case Bound::compute:
      return "compute";
    case Bound::memory:
      return "memory";
    case Bound::communication:
      return "communication";
  }
  return "memory";
}

std::optional<std::string> roofs_problem(const HardwareSpec& hw, const Scenario& sc) {
  if (has_peak(hw, sc.activations)) return std::nullopt;
  std::string have;
  for (PeakSlot slot : kAllPeakSlots) {
    if (peak_flops(hw, slot) > 0.0) have += (have.empty() ? "" : ", ") + std::string(peak_slot_name(slot));
  }
  return "hardware '" + hw.name + "' has no " + std::string(dtype_name(sc.activations)) +
         " compute peak (it has: " + have + ")";
}

namespace {

// The tiling `t` (the hardware's dense or grouped GEMM's) for GEMMs in `compute`: its unit-stream terms only
// where they were measured on that dtype's kernel (HardwareSpec::unit_stream_slot;
// docs/formulas.md#gemm_unit_stream).
GemmTiling tiling_for(const HardwareSpec& hw, GemmTiling t, Dtype compute) {
  if (peak_slot(compute) != hw.unit_stream_slot) {
    t.unit_stream_Bps = 0.0;
    t.unit_fixed_s = 0.0;
  }
  return t;
}

}  // namespace

Roofs roofs_for(const HardwareSpec& hw, const Scenario& sc) {
  if (auto why = roofs_problem(hw, sc)) throw InputError(*why);
  const double matrix_peak = peak_flops(hw, sc.activations);
  const double matrix_flops_per_s = matrix_peak * matrix_efficiency(hw, sc.activations);
  // Elementwise work runs on the vector units; where no fp32 peak is published (TPUs), use the
  // compute dtype's.
  const double vector_peak = has_peak(hw, Dtype::fp32) ? peak_flops(hw, Dtype::fp32) : matrix_peak;
  const Interconnect& ic = hw.interconnect;
  // A fused attention kernel runs in its own dtype (formulas/attention.hpp), at the hardware's measured
  // share of that dtype's peak (attention_efficiency); the activations' dtype where the hardware has no peak
  // for it.
  const Dtype wanted = attention_compute_dtype(sc.activations, sc.kv);
  const Dtype attention = has_peak(hw, wanted) ? wanted : sc.activations;
  const double attention_share = attention_efficiency(hw, attention);
  // The grouped GEMM kernel's stream terms where the profile gives them, for the compute dtype the dense
  // GEMM's were measured on (tiling_for).
  GemmTiling grouped = hw.gemm_tiling;
  if (hw.grouped_gemm.unit_stream_Bps > 0.0) {
    grouped.unit_stream_Bps = hw.grouped_gemm.unit_stream_Bps;
    grouped.unit_fixed_s = hw.grouped_gemm.unit_fixed_s;
  }
  const GemmTiling grouped_unit_stream = tiling_for(hw, grouped, sc.activations);
  return Roofs{
      .matrix_flops_per_s = matrix_flops_per_s,
      .matrix16_flops_per_s = has_peak(hw, Dtype::bf16)
                                  ? peak_flops(hw, Dtype::bf16) * matrix_efficiency(hw, Dtype::bf16)
                                  : matrix_flops_per_s,
      .grouped_matrix_flops_per_s = matrix_peak * grouped_matrix_efficiency(hw, sc.activations),
      .grouped_unit_stream_Bps = grouped_unit_stream.unit_stream_Bps,
      .grouped_unit_fixed_s = grouped_unit_stream.unit_fixed_s,
      .vector_flops_per_s = vector_peak * hw.compute_efficiency,
      .memory_Bps = achievable_memory_Bps(hw),
      .decode_memory_Bps = achievable_read_Bps(hw),
      .weight_pack_Bps = achievable_weight_pack_Bps(hw),
      .launch_s = hw.kernel_launch_overhead_s,
      .intra_node = {.bandwidth_Bps = ic.link_bandwidth_per_direction_Bps, .latency_s = ic.link_latency_s},
      .inter_node = {.bandwidth_Bps = ic.inter_node_bandwidth_per_direction_Bps,
                     .latency_s = ic.inter_node_latency_s},
      .devices_per_node = static_cast<double>(ic.devices_per_node),
      .comm_exposed = 1.0 - sc.layout.comm_overlap,
      .int8_weight_only_efficiency = sc.runtime.int8_weight_only_efficiency,
      .int4_weight_only_efficiency = sc.runtime.int4_weight_only_efficiency,
      .collective_latency_s = sc.runtime.collective_latency_s,
      .moe_gemm_efficiency = sc.runtime.moe_gemm_efficiency,
      .moe_gemm_stream_efficiency = moe_gemm_stream_share(sc.runtime, hw.name),
      .moe_module_fixed_s = moe_module_fixed_s(sc.runtime, hw.name),
      .gemm_time_is_sum = hw.gemm_time_is_sum,
      .grouped_gemm_time = hw.grouped_gemm_time,
      .allreduce = sc.runtime.allreduce,
      .measured_link = sc.runtime.allreduce == AllreducePath::link_model ? nullptr : ic.measured,
      .gemm_tiling = tiling_for(hw, hw.gemm_tiling, sc.activations),
      .gemm_element_B = bytes_per_element(sc.activations),
      .attention_flops_per_s = peak_flops(hw, attention) * attention_share,
      .attention_overhead_keys = hw.flash_attention.prefill_overhead_keys,
      .decode_attention_Bps = hw.memory_bandwidth_Bps * hw.decode_attention.stream_efficiency,
      .decode_attention_overhead_s =
          hw.decode_attention.stream_efficiency > 0.0 ? hw.decode_attention.call_overhead_s : 0.0,
  };
}

Roofs decode_step_roofs(const Roofs& roofs, double rows) {
  Roofs decode = roofs;
  decode.memory_Bps = roofs.decode_memory_Bps;
  if (rows <= 1.0) decode.weight_pack_Bps = roofs.decode_memory_Bps;
  return decode;
}

}  // namespace infersim

#pragma once
// One accelerator as plain data in SI units, filled and validated by io/hardware_loader.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/dtype.hpp"
#include "core/formulas/collectives.hpp"

namespace infersim {

struct CacheLevel {
  std::string level;  // "L2", "LLC", ...
  double size_B = 0.0;
  double bandwidth_Bps = 0.0;  // 0: not known
};

// Collectives measured on a device's scale-up link (docs/formulas.md#measured_collective). nccl_busbw: NCCL
// all-reduce bus bandwidth (B/s) against message size (nccl-tests all_reduce_perf), bytes ascending; empty:
// not measured. custom_allreduce: a serving engine's own one-shot / two-shot all-reduce kernel, seconds per
// call against message size, one curve per group size.
struct MeasuredCollectives {
  std::vector<SizePoint> nccl_busbw;
  struct Curve {
    int devices = 0;
    std::vector<SizePoint> times;
  };
  std::vector<Curve> custom_allreduce;
};

struct Interconnect {
  double link_bandwidth_per_direction_Bps = 0.0;  // scale-up link of one device, one direction
  double link_latency_s = 0.0;
  int devices_per_node = 1;
  double inter_node_bandwidth_per_direction_Bps = 0.0;
  double inter_node_latency_s = 0.0;
  // Link between the device and its host's memory, one direction (PCIe, or NVLink-C2C on a Grace
  // superchip): the path KV-cache blocks take when swapped out to host memory. None: not given.
  std::optional<double> host_link_bandwidth_per_direction_Bps;
  // Measured collectives on the scale-up link (MeasuredCollectives); null: not measured.
  std::shared_ptr<const MeasuredCollectives> measured;
};

// How a routed experts' grouped GEMM's compute and memory times combine (docs/formulas.md#grouped_gemm_time).
enum class GroupedGemmTime : unsigned char { max, sum, weights_serial };

// How the GEMM library runs a GEMM on the device, for the kernel-efficiency terms by shape
// (formulas/gemm_efficiency.hpp): its output tiles run one per compute unit at a time, in waves.
// compute_units == 0: not given, no shape terms.
struct GemmTiling {
  double compute_units = 0.0;  // SMs (NVIDIA), CUs (AMD)
  double tile_rows = 0.0;      // the large-GEMM output tile: rows (tokens) ...
  double tile_cols = 0.0;      // ... by columns (outputs)
  double min_tile_rows = 0.0;  // the smallest row tile the library uses for a skinny GEMM (the MMA's M)
  // The fixed cost of one tile (pipeline fill, epilogue) as the depth of K, in bytes of an operand row,
  // that its mainloop covers in the same time.
  double k_overhead_B = 0.0;
  // A skinny GEMM's weight streaming without split-K (formulas/gemm_efficiency.hpp gemm_unit_stream_s): the
  // bytes per second one work unit's load pipeline pulls its slab of weights at, and the kernel's fixed time
  // beside it (its first loads' latency, its epilogue; the launch apart). unit_stream_Bps == 0: not given.
  double unit_stream_Bps = 0.0;
  double unit_fixed_s = 0.0;
};

// The routed experts' grouped GEMM kernel where it is not the dense GEMM's (docs/formats.md,
// grouped_gemm_kernel; docs/formulas.md#moe_gemm_kernel): its large-GEMM share of the peak by peak slot (0:
// the dense GEMM's, matrix_efficiency) and its work units' stream terms (unit_stream_Bps 0: the dense GEMM's,
// GemmTiling).
struct GroupedGemmKernel {
  std::array<double, kPeakSlotCount> efficiency_by_slot{};
  double unit_stream_Bps = 0.0;
  double unit_fixed_s = 0.0;
};

// The fused prefill attention kernel the device runs (FlashAttention-style): the share of the compute
// dtype's peak it reaches on long sequences, and its fixed cost per query block in keys
// (formulas/attention.hpp). prefill_efficiency == 0: not given, attention runs at the matrix roof.
// efficiency_by_slot: the share for one dtype's kernel where it differs (0: prefill_efficiency).
struct FlashAttentionKernel {
  double prefill_efficiency = 0.0;
  double prefill_overhead_keys = 0.0;
  std::array<double, kPeakSlotCount> efficiency_by_slot{};
};

// The fused decode attention kernel the device runs over a paged KV cache (formulas/attention.hpp
// decode_attention_time_s): the share of the spec bandwidth at which it streams the cache, and the fixed
// time of one call (the kernel's start, ramp and split-KV combine), measured apart from the stream.
// stream_efficiency == 0: not given, the kernel streams at the memory roof and pays no fixed time.
struct DecodeAttentionKernel {
  double stream_efficiency = 0.0;
  double call_overhead_s = 0.0;
};

struct HardwareSpec {
  std::string name;         // file stem, e.g. "h100-sxm"
  std::string description;  // one line
  std::string source;
  std::array<double, kPeakSlotCount> peak_flops{};  // dense FLOP/s (OP/s for integers); 0: no peak
  double memory_capacity_B = 0.0;
  double memory_bandwidth_Bps = 0.0;
  // Achieved DRAM bandwidth of a pure read stream where measured apart from the triad (a CPU host,
  // whose read streams run below its triad); none: memory_bandwidth_Bps applies.
  std::optional<double> read_bandwidth_Bps;
  // Bytes/s at which the GEMM library packs a weight matrix of the nn.Linear layout (Y = X W^T, W stored
  // [out x in]) from DRAM, where that is below the memory roof: OpenBLAS packs the weight operand into
  // micro-panels in a copy phase of its own (Goto & van de Geijn 2008), and for this layout the copy is
  // a transpose. With gemm_time_is_sum, a weight GEMM of more than one row reads its weights at this
  // rate (a one-row GEMV streams them unpacked). None: the memory roof applies.
  std::optional<double> weight_pack_bandwidth_Bps;
  double usable_fraction = 0.9;
  double runtime_reserve_B = 0.0;
  std::vector<CacheLevel> caches;
  double compute_efficiency = 1.0;  // achieved / peak of the best real kernels, (0, 1]
  // achieved / peak of the best large GEMM by the compute dtype's peak slot, (0, 1]; 0: compute_efficiency
  std::array<double, kPeakSlotCount> compute_efficiency_by_slot{};
  GroupedGemmKernel grouped_gemm;
  GemmTiling gemm_tiling;
  // The compute dtype whose GEMMs gemm_tiling's unit-stream terms were measured on (the kernel that runs
  // without split-K); GEMMs of other dtypes run other kernels and take no stream floor (core/roofs.cpp).
  PeakSlot unit_stream_slot = PeakSlot::fp4;
  FlashAttentionKernel flash_attention;
  DecodeAttentionKernel decode_attention;
  // achieved / peak of the runner's own vectorised kernels where they are not the GEMM library's (a
  // CPU host: our attention and 2..16-row GEMV beside OpenBLAS), (0, 1]; none: compute applies
  std::optional<double> own_kernel_efficiency;
  // In-core throughput / peak of the runner's own streaming decode kernels, their data held in L2: KV-cache
  // decode attention and the 2..16-row decode GEMV (a CPU host: calibrate measures both); none: not measured.
  // Where given, that family's cases take this compute time plus their memory time: on these cores a
  // streaming loop's in-core work does not overlap its transfers from memory (the ECM model, Treibig &
  // Hager 2009; validation/kernel_predict.hpp).
  std::optional<double> decode_attention_in_core_efficiency;
  std::optional<double> skinny_gemv_in_core_efficiency;
  double memory_efficiency = 1.0;  // achieved / spec bandwidth (STREAM triad), (0, 1]
  double kernel_launch_overhead_s = 0.0;
  // How a library GEMM's compute and memory times combine. false (GPUs, the roofline): they overlap,
  // the time is the larger. true (a CPU BLAS): they add. OpenBLAS packs its operands into contiguous
  // buffers in a copy phase of its own before the micro-kernel computes on them (Goto & van de Geijn,
  // "Anatomy of High-Performance Matrix Multiplication", ACM TOMS 2008), and a core that streams a
  // GEMV's matrix issues every load itself between its FMAs: the Execution-Cache-Memory model's
  // non-overlapping in-core and transfer terms (Treibig & Hager, "Introducing a Performance Model for
  // Bandwidth-Limited Loop Kernels", PPAM 2009).
  bool gemm_time_is_sum = false;
  // How a routed experts' grouped GEMM's compute and memory times combine
  // (docs/formulas.md#grouped_gemm_time): the larger (the roofline), their sum, or the weights' stream time
  // added to the larger of the compute and the rest of the traffic (as TRTLLM-Gen's fused MoE measures on a
  // B200 and a GB200).
  GroupedGemmTime grouped_gemm_time = GroupedGemmTime::max;
  Interconnect interconnect;
};

[[nodiscard]] inline double peak_flops(const HardwareSpec& hw, PeakSlot p) {
  return hw.peak_flops[static_cast<std::size_t>(index_of(p))];
}
[[nodiscard]] inline double peak_flops(const HardwareSpec& hw, Dtype d) {
  return peak_flops(hw, peak_slot(d));
}
[[nodiscard]] inline bool has_peak(const HardwareSpec& hw, Dtype d) { return peak_flops(hw, d) > 0.0; }

// A per-dtype share table's entry for dtype d (its peak slot's); 0 where the profile gives none.
[[nodiscard]] inline double share_for(const std::array<double, kPeakSlotCount>& by_slot, Dtype d) {
  return by_slot[static_cast<std::size_t>(index_of(peak_slot(d)))];
}

// The share of the spec peak the best large GEMM of compute dtype d reaches: the profile's per-dtype
// figure where it gives one, else compute_efficiency.
[[nodiscard]] inline double matrix_efficiency(const HardwareSpec& hw, Dtype d) {
  const double e = share_for(hw.compute_efficiency_by_slot, d);
  return e > 0.0 ? e : hw.compute_efficiency;
}

// The share of the spec peak the library's large grouped GEMM of compute dtype d reaches: the profile's
// grouped figure where it gives one, else the dense GEMM's (docs/formulas.md#moe_gemm_kernel).
[[nodiscard]] inline double grouped_matrix_efficiency(const HardwareSpec& hw, Dtype d) {
  const double e = share_for(hw.grouped_gemm.efficiency_by_slot, d);
  return e > 0.0 ? e : matrix_efficiency(hw, d);
}

// The share of the spec peak a fused prefill attention kernel in dtype d reaches on long sequences
// (docs/formulas.md#flash_attention_efficiency): the profile's figure for d where it gives one, else its
// prefill_efficiency, else (no flash_attention section) the large-GEMM share of d.
[[nodiscard]] inline double attention_efficiency(const HardwareSpec& hw, Dtype d) {
  if (const double e = share_for(hw.flash_attention.efficiency_by_slot, d); e > 0.0) return e;
  return hw.flash_attention.prefill_efficiency > 0.0 ? hw.flash_attention.prefill_efficiency
                                                     : matrix_efficiency(hw, d);
}

// Achievable DRAM bandwidth: the spec (or measured triad) figure times its efficiency.
[[nodiscard]] inline double achievable_memory_Bps(const HardwareSpec& hw) {
  return hw.memory_bandwidth_Bps * hw.memory_efficiency;
}
// Achievable bandwidth of a pure read stream from DRAM (a decode step, a GEMV, a KV-cache read): the
// measured read-stream figure where the profile gives one (already an achieved figure), else the above.
[[nodiscard]] inline double achievable_read_Bps(const HardwareSpec& hw) {
  return hw.read_bandwidth_Bps.value_or(achievable_memory_Bps(hw));
}
// Bytes/s at which a library GEMM of more than one row takes in its weights: the measured packing rate
// where the profile gives one (already an achieved figure), else the achievable DRAM bandwidth.
[[nodiscard]] inline double achievable_weight_pack_Bps(const HardwareSpec& hw) {
  return hw.weight_pack_bandwidth_Bps.value_or(achievable_memory_Bps(hw));
}

}  // namespace infersim

#pragma once
// The roofs one scenario runs under on one device: the compute, memory and link rates every operator
// is timed against (docs/formulas.md#roofs).
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/hardware_spec.hpp"
#include "core/runtime_profile.hpp"
#include "core/scenario.hpp"

namespace infersim {

enum class Bound { compute, memory, communication };
[[nodiscard]] std::string_view bound_name(Bound b);

struct LinkRoof {
  double bandwidth_Bps = 0.0;  // per direction
  double latency_s = 0.0;
};

// The roofs one scenario runs under on one device (SI units, efficiencies applied).
struct Roofs {
  double matrix_flops_per_s = 0.0;  // peak[compute dtype] * its large-GEMM efficiency (matrix_efficiency)
  // The same for the 16-bit GEMMs a quantized model keeps (Operator::gemm_16bit): peak[bf16] * its
  // large-GEMM efficiency (matrix_flops_per_s where the hardware has no bf16 peak).
  double matrix16_flops_per_s = 0.0;
  // peak[compute dtype] * the grouped GEMM's large-GEMM efficiency (grouped_matrix_efficiency): the rate a
  // routed experts' grouped GEMM in the compute dtype starts from; 0: matrix_flops_per_s.
  double grouped_matrix_flops_per_s = 0.0;
  // The grouped GEMM kernel's work-unit stream terms (HardwareSpec::grouped_gemm, else gemm_tiling's), for a
  // routed experts' GEMM's floor (formulas.md#gemm_unit_stream); 0: gemm_tiling's.
  double grouped_unit_stream_Bps = 0.0;
  double grouped_unit_fixed_s = 0.0;
  double vector_flops_per_s = 0.0;  // fp32 peak (vector units) * compute efficiency
  double memory_Bps = 0.0;          // bandwidth * memory efficiency
  // A decode step's bandwidth: it reads the weights and the KV cache and writes next to nothing, so it
  // runs at the read-stream figure (achievable_read_Bps: the measured one where the profile gives it,
  // else memory_Bps).
  double decode_memory_Bps = 0.0;
  // Where the weight GEMMs add their compute and memory times (gemm_time_is_sum): the rate at which they
  // take in their weights, which the library packs (achievable_weight_pack_Bps). A decode step of one
  // row streams its weights in a GEMV at decode_memory_Bps instead (decode_step_roofs).
  double weight_pack_Bps = 0.0;
  double launch_s = 0.0;  // per kernel
  LinkRoof intra_node;
  LinkRoof inter_node;
  double devices_per_node = 1.0;
  double comm_exposed = 1.0;  // 1 - the share of communication hidden behind compute
  // The runtime's kernels (core/runtime_profile.hpp): the share of the 16-bit weight-streaming rate its
  // weight-only int8 / int4 GEMMs reach, and the fixed time it adds to every collective call.
  double int8_weight_only_efficiency = 1.0;
  double int4_weight_only_efficiency = 1.0;
  double collective_latency_s = 0.0;
  // The share of the matrix rate (at the GEMM's shape) its grouped MoE GEMMs reach, and the share of the
  // memory roof they stream the experts' weights at (RuntimeTerms).
  double moe_gemm_efficiency = 1.0;
  double moe_gemm_stream_efficiency = 1.0;
  double moe_module_fixed_s = 0.0;  // and the fixed time of one call of its MoE module (RuntimeTerms)
  bool gemm_time_is_sum = false;    // the hardware's library GEMMs add compute and memory time (HardwareSpec)
  GroupedGemmTime grouped_gemm_time = GroupedGemmTime::max;  // how its grouped MoE GEMMs combine them
  // The path the runtime's all-reduce takes and the collectives measured on the scale-up link (null
  // under link_model or where the hardware profile gives none): the link model of intra_node applies.
  AllreducePath allreduce = AllreducePath::link_model;
  std::shared_ptr<const MeasuredCollectives> measured_link;
  // The GEMM library's tiling (HardwareSpec::gemm_tiling; compute_units 0: no shape terms) and the bytes of
  // one element of the compute dtype, for the GEMM efficiency by shape (formulas/gemm_efficiency.hpp).
  GemmTiling gemm_tiling;
  double gemm_element_B = 0.0;
  // A fused prefill attention kernel's long-sequence rate: the peak of the dtype it multiplies in
  // (formulas/attention.hpp attention_compute_dtype) times the hardware's measured share of it
  // (HardwareSpec::flash_attention), else that dtype's large-GEMM share; and its fixed cost per query block
  // in keys.
  double attention_flops_per_s = 0.0;
  double attention_overhead_keys = 0.0;
  // A fused decode attention kernel's stream rate (spec bandwidth * its stream efficiency; 0: the memory
  // roof, no fixed time) and its fixed time per call (HardwareSpec::decode_attention).
  double decode_attention_Bps = 0.0;
  double decode_attention_overhead_s = 0.0;
};

// Why the device cannot run the scenario's compute dtype (it has no peak for it), or none.
[[nodiscard]] std::optional<std::string> roofs_problem(const HardwareSpec& hw, const Scenario& sc);
// Throws InputError with roofs_problem's reason when there is one.
[[nodiscard]] Roofs roofs_for(const HardwareSpec& hw, const Scenario& sc);
// The roofs of a decode step of `rows` sequences (the micro-batch): roofs with memory_Bps =
// decode_memory_Bps, and with one row also weight_pack_Bps = decode_memory_Bps (a GEMV streams its
// weights unpacked).
[[nodiscard]] Roofs decode_step_roofs(const Roofs& roofs, double rows);

}  // namespace infersim

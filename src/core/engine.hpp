#pragma once
// The estimate: composes the formulas and operator lists into prefill time (TTFT), decode time per
// token (TPOT), memory and throughput for one model on one device. Pure: no I/O, no globals.
#include <string_view>
#include <vector>

#include "core/dtype.hpp"
#include "core/formulas/quant.hpp"
#include "core/hardware_spec.hpp"
#include "core/layout.hpp"
#include "core/model_spec.hpp"
#include "core/operator.hpp"
#include "core/operators.hpp"
#include "core/runtime_profile.hpp"

namespace infersim {

struct Scenario {
  long long batch = 1;
  long long input_tokens = 1024;
  long long output_tokens = 256;
  StorageFormat weights = default_storage_format(Dtype::bf16);  // how weights are stored
  Dtype activations = Dtype::bf16;   // the dtype the GEMMs compute in: picks the compute roof
  Dtype kv = Dtype::bf16;            // how the KV cache is stored
  bool quantize_embeddings = false;  // store embedding and LM head in the weight format too
  AttentionKernel attention = AttentionKernel::fused;
  MlaDecode mla = MlaDecode::absorbed;
  double moe_skew = 0.0;  // Zipf exponent of expert popularity; 0: uniform routing
  Layout layout;
  RuntimeTerms runtime;  // the serving engine's host terms (core/runtime_profile.hpp); default: none
};

enum class Bound { compute, memory, communication };
[[nodiscard]] std::string_view bound_name(Bound b);

struct LinkRoof {
  double bandwidth_Bps = 0.0;  // per direction
  double latency_s = 0.0;
};

// The roofs one scenario runs under on one device (SI units, efficiencies applied).
struct Roofs {
  double matrix_flops_per_s = 0.0;  // peak[compute dtype] * compute efficiency
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
  bool gemm_time_is_sum = false;  // the hardware's library GEMMs add compute and memory time (HardwareSpec)
};

// One operator's totals over a pass (repeat applied).
struct OpResult {
  const char* name = "";
  OpUnit unit = OpUnit::vector;
  double kernels = 0.0;
  OpCost cost;
  double intensity = 0.0;  // FLOP/B
  double time_s = 0.0;     // roofline time + launch overhead
  double compute_s = 0.0;  // the parts time_s was built from: FLOPs at the compute roof,
  double memory_s = 0.0;   //   bytes at the memory roofs (launches not included)
  Bound bound = Bound::memory;
};

struct PhaseResult {
  std::vector<OpResult> ops;  // empty unless operators were asked for
  double flops = 0.0;
  double bytes = 0.0;
  double time_s = 0.0;
  double compute_bound_s = 0.0;  // time of the compute-bound operators
  double memory_bound_s = 0.0;
  double link_s = 0.0;          // time of the collectives and sends
  double kernels = 0.0;         // kernels launched (the host issues each one unless graphs are used)
  Bound bound = Bound::memory;  // compute or memory: the class of operators that takes more of the time
};

struct Estimate {
  double params_total = 0.0;
  double params_active = 0.0;
  double weight_bytes = 0.0;
  double weight_bits_effective = 0.0;  // stored weight bits per parameter, scales included
  double kv_bytes_per_token = 0.0;
  double kv_cache_bytes = 0.0;
  double activation_bytes = 0.0;
  double runtime_reserve_bytes = 0.0;
  double memory_per_device_bytes = 0.0;
  double device_memory_bytes = 0.0;
  double usable_memory_bytes = 0.0;
  bool fits = false;
  int devices = 1;
  double weight_bytes_per_device = 0.0;  // the heaviest pipeline stage's device
  double kv_cache_bytes_per_device =
      0.0;                           // KV heads replicated when tp exceeds them, MLA latents on every rank
  double comm_time_prefill_s = 0.0;  // along one request's path: collectives and stage-to-stage sends
  double comm_time_per_decode_step_s = 0.0;  // one step at the mean decode context
  double pipeline_bubble_fraction = 0.0;     // (pp-1)/(M+pp-1) of the GPipe schedule
  double prefill_flops = 0.0;
  double decode_flops_per_token = 0.0;
  double decode_mean_context = 0.0;
  double runtime_overhead_prefill_s =
      0.0;  // the runtime profile's share of ttft_s (core/runtime_profile.hpp)
  double runtime_overhead_per_step_s = 0.0;  // its share of tpot_s (0 when output = 1)
  double ttft_s = 0.0;  // one request (micro-batch) through every stage: prefill, stage sends included
  double tpot_s = 0.0;  // the interval between one request's tokens in steady state
  double e2e_latency_s = 0.0;
  double output_throughput_tok_s = 0.0;
  PhaseResult prefill;      // a request's prefill through every stage, operators summed over stages
  PhaseResult decode_step;  // one decode step at the mean decode context, likewise
};

// Throws InputError when the scenario cannot run on the device (no peak for the compute dtype, a
// storage dtype that is not one, non-positive sizes).
[[nodiscard]] Roofs roofs_for(const HardwareSpec& hw, const Scenario& sc);
// The roofs of a decode step of `rows` sequences (the micro-batch): roofs with memory_Bps =
// decode_memory_Bps, and with one row also weight_pack_Bps = decode_memory_Bps (a GEMV streams its
// weights unpacked).
[[nodiscard]] Roofs decode_step_roofs(const Roofs& roofs, double rows);
// keep_operators: fill the per-operator lists of `prefill` and `decode_step` (for --breakdown);
// without them the estimate allocates less (the lean path of sweeps). Every total is the same.
[[nodiscard]] Estimate estimate(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                bool keep_operators = true);

}  // namespace infersim

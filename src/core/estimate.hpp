#pragma once
// The estimate: composes the formulas and operator lists into prefill time (TTFT), decode time per
// token (TPOT), memory and throughput for one model on one device. Pure: no I/O, no globals.
#include <optional>
#include <string>
#include <vector>

#include "core/hardware_spec.hpp"
#include "core/model_spec.hpp"
#include "core/operator.hpp"
#include "core/pass_cache.hpp"
#include "core/phase_result.hpp"
#include "core/scenario.hpp"

namespace infersim {

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

// Reused storage for the operator lists of one estimate at a time: a sweep keeps one per job so that
// estimating a configuration allocates nothing. It also keeps the passes of the last configurations
// (core/pass_cache.hpp), which a configuration with the same pass reuses: the estimate is the same.
struct EstimateScratch {
  std::vector<Operator> ops;
  ModelSpec shard;     // one pipeline stage's device (core/layout.hpp)
  ModelSpec streamed;  // the model under StreamingLLM (Scenario::kv_window), where the scenario asks
  detail::RecentEntries<detail::PrefillEntry> prefill;
  detail::RecentEntries<detail::DecodeEntry> decode;
};

// Why `sc` cannot run on `hw` with model `m` (non-positive sizes, a context past the model's maximum, a
// split the model cannot take, micro-batches not dividing the batch, no compute peak for the dtype), or
// none. estimate() throws InputError exactly when this gives a reason, with the same text: callers that
// screen many configurations (sweep, capacity, plan) branch on it instead of catching.
[[nodiscard]] std::optional<std::string> why_invalid(const ModelSpec& m, const HardwareSpec& hw,
                                                     const Scenario& sc);

// keep_operators: fill the per-operator lists of `prefill` and `decode_step` (for --breakdown);
// without them the estimate allocates less (the lean path of sweeps). Every total is the same.
[[nodiscard]] Estimate estimate(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                bool keep_operators = true);
// The same with the caller's scratch storage (one per thread).
[[nodiscard]] Estimate estimate(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                bool keep_operators, EstimateScratch& scratch);
// What estimate() computes once why_invalid() has found nothing, for a caller that has just asked it (a
// sweep screens every configuration): estimate() is the check, then this. Precondition: !why_invalid.
[[nodiscard]] Estimate estimate_valid(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                      bool keep_operators, EstimateScratch& scratch);

}  // namespace infersim

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "io/report.hpp"

namespace infersim {

std::string format_number(double value) {
  if (!std::isfinite(value)) throw std::logic_error("internal error: a result is not a finite number");
  return fmt::format("{}", value);
}

std::vector<Field> summary_fields(const EstimateReport& r) {
  const Scenario& sc = r.scenario;
  const Estimate& e = r.estimate;
  return {
      {"model", r.model.name},
      {"hardware", r.hardware.name},
      {"batch", sc.batch},
      {"input_tokens", sc.input_tokens},
      {"output_tokens", sc.output_tokens},
      {"weights", std::string(dtype_name(sc.weights.dtype))},
      {"activations", std::string(dtype_name(sc.activations))},
      {"kv", std::string(dtype_name(sc.kv))},
      {"attention", std::string(sc.attention == AttentionKernel::fused ? "fused" : "unfused")},
      {"devices", static_cast<long long>(e.devices)},
      {"tp", static_cast<long long>(sc.layout.tp)},
      {"pp", static_cast<long long>(sc.layout.pp)},
      {"ep", static_cast<long long>(sc.layout.ep)},
      {"dp", static_cast<long long>(sc.layout.dp)},
      {"micro_batches", static_cast<long long>(sc.layout.micro_batches)},
      {"params_total", e.params_total},
      {"params_active", e.params_active},
      {"weight_bytes", e.weight_bytes},
      {"weight_bits_effective", e.weight_bits_effective},
      {"kv_bytes_per_token", e.kv_bytes_per_token},
      {"kv_cache_bytes", e.kv_cache_bytes},
      {"activation_bytes", e.activation_bytes},
      {"runtime_reserve_bytes", e.runtime_reserve_bytes},
      {"weight_bytes_per_device", e.weight_bytes_per_device},
      {"kv_cache_bytes_per_device", e.kv_cache_bytes_per_device},
      {"memory_per_device_bytes", e.memory_per_device_bytes},
      {"device_memory_bytes", e.device_memory_bytes},
      {"usable_memory_bytes", e.usable_memory_bytes},
      {"fits", e.fits},
      {"prefill_flops", e.prefill_flops},
      {"decode_flops_per_token", e.decode_flops_per_token},
      {"decode_mean_context", e.decode_mean_context},
      {"comm_time_prefill_s", e.comm_time_prefill_s},
      {"comm_time_per_decode_step_s", e.comm_time_per_decode_step_s},
      {"pipeline_bubble_fraction", e.pipeline_bubble_fraction},
      {"ttft_s", e.ttft_s},
      {"tpot_s", e.tpot_s},
      {"e2e_latency_s", e.e2e_latency_s},
      {"output_throughput_tok_s", e.output_throughput_tok_s},
      {"prefill_bound", std::string(bound_name(e.prefill.bound))},
      {"decode_bound", std::string(bound_name(e.decode_step.bound))},
  };
}

}  // namespace infersim

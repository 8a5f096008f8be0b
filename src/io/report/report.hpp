#pragma once
// Turns an Estimate into text: one list of named fields (the only place the output keys are spelled)
// rendered as JSON, CSV or a table for people. Keys are stable: later features add, never rename.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/estimate.hpp"
#include "io/text/escape.hpp"

namespace infersim {

using FieldValue = std::variant<long long, double, bool, std::string>;

struct Field {
  const char* key;
  FieldValue value;
};

struct EstimateReport {
  const ModelSpec& model;
  const HardwareSpec& hardware;
  const Scenario& scenario;
  const Estimate& estimate;
};

// Calls visit(key, value) for every summary field, in output order: the configuration first (model,
// hardware, batch, input_tokens, output_tokens, tp, pp, ep, dp, weights, activations, kv: the
// sweep's configuration columns), then the results. value is long long, double, bool or
// std::string_view. The one place the output keys are spelled; no allocation (sweeps call it per row).
template <class Visit>
void for_each_summary_field(const EstimateReport& r, Visit&& visit) {
  const Scenario& sc = r.scenario;
  const Estimate& e = r.estimate;
  const Layout& l = sc.layout;
  visit("model", std::string_view(r.model.name));
  visit("hardware", std::string_view(r.hardware.name));
  visit("batch", sc.batch);
  visit("input_tokens", sc.input_tokens);
  visit("output_tokens", sc.output_tokens);
  visit("tp", static_cast<long long>(l.tp));
  visit("pp", static_cast<long long>(l.pp));
  visit("ep", static_cast<long long>(l.ep));
  visit("dp", static_cast<long long>(l.dp));
  visit("weights", dtype_name(sc.weights.dtype));
  visit("activations", dtype_name(sc.activations));
  visit("kv", dtype_name(sc.kv));
  visit("micro_batches", static_cast<long long>(l.micro_batches));
  visit("attention", std::string_view(sc.attention == AttentionKernel::fused ? "fused" : "unfused"));
  visit("devices", static_cast<long long>(e.devices));
  visit("params_total", e.params_total);
  visit("params_active", e.params_active);
  visit("weight_bytes", e.weight_bytes);
  visit("weight_bits_effective", e.weight_bits_effective);
  visit("kv_bytes_per_token", e.kv_bytes_per_token);
  visit("kv_cache_bytes", e.kv_cache_bytes);
  visit("weight_bytes_per_device", e.weight_bytes_per_device);
  visit("kv_cache_bytes_per_device", e.kv_cache_bytes_per_device);
  visit("activation_bytes", e.activation_bytes);
  visit("runtime_reserve_bytes", e.runtime_reserve_bytes);
  visit("memory_per_device_bytes", e.memory_per_device_bytes);
  visit("device_memory_bytes", e.device_memory_bytes);
  visit("usable_memory_bytes", e.usable_memory_bytes);
  visit("fits", e.fits);
  visit("prefill_flops", e.prefill_flops);
  visit("decode_flops_per_token", e.decode_flops_per_token);
  visit("decode_mean_context", e.decode_mean_context);
  visit("comm_time_prefill_s", e.comm_time_prefill_s);
  visit("comm_time_per_decode_step_s", e.comm_time_per_decode_step_s);
  visit("pipeline_bubble_fraction", e.pipeline_bubble_fraction);
  visit("ttft_s", e.ttft_s);
  visit("tpot_s", e.tpot_s);
  visit("e2e_latency_s", e.e2e_latency_s);
  visit("output_throughput_tok_s", e.output_throughput_tok_s);
  visit("prefill_bound", bound_name(e.prefill.bound));
  visit("decode_bound", bound_name(e.decode_step.bound));
  // Added with runtime profiles: ttft_s and tpot_s include these components.
  visit("runtime", std::string_view(sc.runtime.name));
  visit("runtime_overhead_prefill_s", e.runtime_overhead_prefill_s);
  visit("runtime_overhead_per_step_s", e.runtime_overhead_per_step_s);
}

[[nodiscard]] std::vector<Field> summary_fields(const EstimateReport& r);

// Shortest text that reads back as the same double (fmt's default); integers print without a point.
// Throws std::logic_error for NaN or infinity: a non-finite result is a bug, never output.
[[nodiscard]] std::string format_number(double value);

[[nodiscard]] std::string to_json(const EstimateReport& r, bool breakdown);
[[nodiscard]] std::string to_csv(const EstimateReport& r, bool breakdown);
[[nodiscard]] std::string to_table(const EstimateReport& r, bool breakdown);

}  // namespace infersim

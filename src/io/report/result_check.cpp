#include "io/report/result_check.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace infersim {

namespace {

void check(const char* what, double value, bool positive) {
  if (std::isfinite(value) && value >= 0.0 && (!positive || value > 0.0)) return;
  throw std::logic_error(fmt::format("result '{}' is {} ({}); it must be a finite {} number", what, value,
                                     std::isfinite(value) ? "out of range" : "not finite",
                                     positive ? "positive" : "non-negative"));
}

void check_phase(const char* phase, const PhaseResult& p) {
  check(phase, p.flops, false);
  check(phase, p.bytes, false);
  check(phase, p.time_s, false);  // 0: no decode step when output is 1 token
  for (const OpResult& op : p.ops) {
    const Traffic& t = op.cost.bytes;
    for (const double v : {op.kernels, op.cost.flops, t.weights_read_B, t.act_read_B, t.act_written_B,
                           t.kv_read_B, t.kv_written_B, op.intensity, op.time_s}) {
      check(op.name, v, false);
    }
  }
}

// The largest integer a double (and so a JSON reader) holds exactly.
constexpr long long kMaxExactCount = 1LL << 53;

void check_count(const char* what, long long value, long long min) {
  if (value >= min && value <= kMaxExactCount) return;
  throw std::logic_error(
      fmt::format("result '{}' is {}; it must be a count in [{}, 2^53]", what, value, min));
}

void check_that(bool holds, const char* what, const char* rule) {
  if (!holds) throw std::logic_error(fmt::format("result '{}' is inconsistent: {}", what, rule));
}

void check_candidate(const PlanCandidate& c, bool priced) {
  check_count("batch", c.batch, 1);
  check_count("replicas", c.replicas, 1);
  check_count("devices", c.devices, 1);
  check("ttft_s", c.ttft_s, true);
  check("tpot_s", c.step_s, true);
  check("replica_rps", c.replica_rps, true);
  check("cost", c.cost, true);
  check_that(c.devices == c.replicas * c.layout.tp * c.layout.pp, "devices", "it must be replicas x tp x pp");
  check_that(priced || c.cost == static_cast<double>(c.devices), "cost",
             "unpriced, it must be the device count");
  if (c.simulated) {
    check("sim_rate_per_replica_rps", c.simulated->rate_per_replica_rps, true);
    check("sim_ttft_p99_s", c.simulated->ttft_p99_s, true);
    check("sim_tpot_p99_s", c.simulated->tpot_p99_s, false);  // 0: no request with two output tokens
    check_count("replicas_added", c.simulated->replicas_added, 0);
    check_that(c.simulated->replicas_added < c.replicas, "replicas_added", "it must be below replicas");
  }
}

}  // namespace

void check_capacity(const CapacityResult& c) {
  check_count("max_batch", c.max_batch, 0);
  check_count("max_context_batch1", c.max_context_batch1, 0);
  check_count("max_context_at_batch", c.max_context_at_batch, 0);
  check_count("min_devices", c.min_devices, 0);
  check_count("slo_max_batch", c.slo_max_batch, 0);
  check_that(c.min_devices == c.min_tp * c.min_pp, "min_devices", "it must be min_tp x min_pp");
  check_that(c.slo_max_batch <= c.max_batch, "slo_max_batch", "a batch meeting the targets must fit");
  const bool slo = c.slo_max_batch > 0;  // the figures of that batch, else all 0
  check("slo_throughput_per_device_tok_s", c.slo_throughput_per_device_tok_s, slo);
  check("slo_ttft_s", c.slo_ttft_s, slo);
  check("slo_tpot_s", c.slo_tpot_s, false);  // 0: no decode step when output is 1 token
}

void check_plan(const PlanResult& r) {
  for (const PlanCandidate& c : r.feasible) check_candidate(c, r.priced);
}

void check_estimate(const Estimate& e) {
  const struct {
    const char* name;
    double value;
    bool positive;
  } fields[] = {
      {"params_total", e.params_total, true},
      {"params_active", e.params_active, true},
      {"weight_bytes", e.weight_bytes, true},
      {"weight_bits_effective", e.weight_bits_effective, true},
      {"kv_bytes_per_token", e.kv_bytes_per_token, false},
      {"kv_cache_bytes", e.kv_cache_bytes, false},
      {"activation_bytes", e.activation_bytes, false},
      {"runtime_reserve_bytes", e.runtime_reserve_bytes, false},
      {"memory_per_device_bytes", e.memory_per_device_bytes, true},
      {"device_memory_bytes", e.device_memory_bytes, true},
      {"usable_memory_bytes", e.usable_memory_bytes, true},
      {"weight_bytes_per_device", e.weight_bytes_per_device, false},
      {"kv_cache_bytes_per_device", e.kv_cache_bytes_per_device, false},
      {"comm_time_prefill_s", e.comm_time_prefill_s, false},
      {"comm_time_per_decode_step_s", e.comm_time_per_decode_step_s, false},
      {"pipeline_bubble_fraction", e.pipeline_bubble_fraction, false},
      {"prefill_flops", e.prefill_flops, true},
      {"decode_flops_per_token", e.decode_flops_per_token, false},
      {"decode_mean_context", e.decode_mean_context, true},
      {"ttft_s", e.ttft_s, true},
      {"tpot_s", e.tpot_s, false},
      {"e2e_latency_s", e.e2e_latency_s, true},
      {"output_throughput_tok_s", e.output_throughput_tok_s, true},
  };
  for (const auto& f : fields) check(f.name, f.value, f.positive);
  if (e.devices < 1)
    throw std::logic_error(fmt::format("result 'devices' is {}; it must be at least 1", e.devices));
  check_phase("prefill", e.prefill);
  check_phase("decode", e.decode_step);
}

}  // namespace infersim

#include "core/time_by_class.hpp"

#include <numeric>

namespace infersim {

const char* op_class_name(OpClass c) {
  switch (c) {
    case OpClass::gemm:
      return "GEMMs";
    case OpClass::expert_gemm:
      return "expert GEMMs";
    case OpClass::attention:
      return "attention";
    case OpClass::elementwise:
      return "elementwise";
    case OpClass::collective:
      return "collectives";
  }
  return "?";
}

const char* time_class_name(int i) {
  if (i < kOpClasses) return op_class_name(static_cast<OpClass>(i));
  return i == kOpClasses ? "host (runtime)" : "KV swaps";
}

const char* time_class_key(int i) {
  static const char* const kKeys[kTimeClasses] = {"gemms",       "expert_gemms", "attention", "elementwise",
                                                  "collectives", "host",         "kv_swaps"};
  return kKeys[i];
}

double time_class_s(const TimeByClass& t, int i) {
  if (i < kOpClasses) return t.device_s[static_cast<std::size_t>(i)];
  return i == kOpClasses ? t.host_s : t.swap_s;
}

double total_s(const TimeByClass& t) {
  return std::accumulate(t.device_s.begin(), t.device_s.end(), 0.0) + t.host_s + t.swap_s;
}

std::optional<double> time_class_share(const TimeByClass& t, int i) {
  const double total = total_s(t);
  if (total <= 0.0) return std::nullopt;
  return time_class_s(t, i) / total;
}

TimeByClass phase_time_by_class(const PhaseResult& phase, double device_s, double host_s) {
  TimeByClass t;
  t.host_s = host_s;
  const double ops_s = std::accumulate(phase.class_s.begin(), phase.class_s.end(), 0.0);
  if (ops_s <= 0.0) return t;
  for (std::size_t c = 0; c < t.device_s.size(); ++c) t.device_s[c] = device_s * phase.class_s[c] / ops_s;
  return t;
}

void add_scaled(TimeByClass& into, const TimeByClass& t, double k) {
  for (std::size_t c = 0; c < into.device_s.size(); ++c) into.device_s[c] += k * t.device_s[c];
  into.host_s += k * t.host_s;
  into.swap_s += k * t.swap_s;
}

std::optional<int> dominant_class(const TimeByClass& t) {
  std::optional<int> best;
  double best_s = 0.0;
  for (int i = 0; i < kTimeClasses; ++i) {
    if (time_class_s(t, i) > best_s) {
      best = i;
      best_s = time_class_s(t, i);
    }
  }
  return best;
}

TimeByClass estimate_time_by_class(const Estimate& e, EstimateSpan span) {
  const TimeByClass prefill =
      phase_time_by_class(e.prefill, e.ttft_s - e.runtime_overhead_prefill_s, e.runtime_overhead_prefill_s);
  if (span == EstimateSpan::prefill) return prefill;
  const TimeByClass step = phase_time_by_class(e.decode_step, e.tpot_s - e.runtime_overhead_per_step_s,
                                               e.runtime_overhead_per_step_s);
  if (span == EstimateSpan::decode_step) return step;
  TimeByClass request = prefill;
  // e2e = TTFT + (output - 1) TPOT (docs/formulas.md#e2e_latency): the steps after the first token.
  if (e.tpot_s > 0.0) add_scaled(request, step, (e.e2e_latency_s - e.ttft_s) / e.tpot_s);
  return request;
}

}  // namespace infersim

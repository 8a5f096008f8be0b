#include "core/plan.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.hpp"

namespace infersim {

namespace {

constexpr long long kMaxBatch = 4096;

struct Quantization {
  Dtype weights;
  Dtype activations;
};

// bf16; W4A16 (int4 weights, 16-bit compute); fp8 where the device has an fp8 peak.
std::vector<Quantization> quantizations(const HardwareSpec& hw) {
  std::vector<Quantization> q = {{Dtype::bf16, Dtype::bf16}, {Dtype::int4, Dtype::bf16}};
  if (has_peak(hw, Dtype::fp8)) q.push_back({Dtype::fp8, Dtype::fp8});
  return q;
}

std::string ms(double s) {
  const long long tenths = std::llround(s * 1e4);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " ms";
}

// The step a request sees in steady state at decode batch B: the decode step plus the prefills of
// the B/output requests that join per step (docs/formulas.md#plan_step).
double step_s(const Estimate& decode, long long batch, double prefill_one_s, double output_tokens) {
  return decode.tpot_s + prefill_one_s * static_cast<double>(batch) / output_tokens;
}

Scenario scenario_for(const PlanRequest& r, const Layout& layout, const Quantization& q) {
  Scenario sc = r.base;
  sc.batch = 1;
  sc.weights = default_storage_format(q.weights);
  sc.activations = q.activations;
  sc.layout = layout;
  return sc;
}

bool ranks_before(const PlanCandidate& a, const PlanCandidate& b) {
  if (a.simulated.has_value() != b.simulated.has_value()) return a.simulated.has_value();
  if (a.cost != b.cost) return a.cost < b.cost;
  if (a.step_s != b.step_s) return a.step_s < b.step_s;
  return a.ttft_s < b.ttft_s;
}

// Why batch 1 already fails, or "" when it does not.
std::string batch_one_failure(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                              const PlanRequest& r, double& prefill_one_s) {
  if (auto why = why_invalid(m, hw, sc)) return *why;
  const Estimate one = estimate(m, hw, sc, false);
  prefill_one_s = one.ttft_s;
  if (!one.fits) return "memory: does not fit at batch 1";
  if (r.targets.ttft_s > 0.0 && one.ttft_s > r.targets.ttft_s)
    return "TTFT " + ms(one.ttft_s) + " > " + ms(r.targets.ttft_s);
  const double step = step_s(one, 1, one.ttft_s, static_cast<double>(r.base.output_tokens));
  if (r.targets.tpot_s > 0.0 && step > r.targets.tpot_s)
    return "TPOT " + ms(step) + " > " + ms(r.targets.tpot_s) + " at batch 1";
  return "";
}

PlanCandidate evaluate(const ModelSpec& m, const HardwareSpec& hw, double price, const PlanRequest& r,
                       const Layout& layout, const Quantization& q) {
  PlanCandidate c;
  c.hardware = hw.name;
  c.layout = layout;
  c.weights = q.weights;
  c.activations = q.activations;
  const Scenario sc = scenario_for(r, layout, q);
  const int devices_per_replica = layout.tp * layout.pp;
  c.cost = price > 0.0 ? price * devices_per_replica : devices_per_replica;  // per replica until sized
  double prefill_one_s = 0.0;
  c.failure = batch_one_failure(m, hw, sc, r, prefill_one_s);
  if (!c.failure.empty()) return c;
  const double o = static_cast<double>(r.base.output_tokens);
  c.batch = *largest_batch_where(
      m, hw, sc,
      [&](const Estimate& e, long long batch) {
        return e.fits && (r.targets.tpot_s <= 0.0 || step_s(e, batch, prefill_one_s, o) <= r.targets.tpot_s);
      },
      kMaxBatch);
  Scenario best = sc;
  best.batch = c.batch;
  const Estimate e = estimate(m, hw, best, false);
  c.ttft_s = prefill_one_s;
  c.step_s = step_s(e, c.batch, prefill_one_s, o);
  c.replica_rps = static_cast<double>(c.batch) / (c.ttft_s + (o - 1.0) * c.step_s);
  // At least one replica serves any positive rate, however small.
  c.replicas = std::max(1LL, static_cast<long long>(std::ceil(r.rate_rps / c.replica_rps - 1e-9)));
  c.devices = c.replicas * devices_per_replica;
  c.cost = price > 0.0 ? price * static_cast<double>(c.devices) : static_cast<double>(c.devices);
  return c;
}

std::vector<Layout> layouts(const ModelSpec& m, const HardwareSpec& hw, int max_devices) {
  std::vector<Layout> out;
  for (int pp : {1, 2, 4}) {
    for (int tp = 1; tp <= std::max(1, hw.interconnect.devices_per_node); tp *= 2) {
      Layout l;
      l.tp = tp;
      l.pp = pp;
      if (tp * pp > max_devices) continue;
      if (!layout_problem(m, l)) out.push_back(l);
    }
  }
  return out;
}

}  // namespace

PlanResult plan(const ModelSpec& m, const PlanRequest& request) {
  PlanResult result;
  for (std::size_t i = 0; i < request.hardware.size(); ++i) {
    const HardwareSpec& hw = request.hardware[i];
    const double price = i < request.price_per_device_hour.size() ? request.price_per_device_hour[i] : 0.0;
    result.priced = result.priced || price > 0.0;
    for (const Layout& l : layouts(m, hw, request.max_devices_per_replica)) {
      for (const Quantization& q : quantizations(hw)) {
        PlanCandidate c = evaluate(m, hw, price, request, l, q);
        (c.failure.empty() ? result.feasible : result.rejected).push_back(std::move(c));
      }
    }
  }
  rank_candidates(result.feasible);
  rank_candidates(result.rejected);
  return result;
}

Scenario candidate_scenario(const PlanRequest& request, const PlanCandidate& c) {
  return scenario_for(request, c.layout, {c.weights, c.activations});
}

void rank_candidates(std::vector<PlanCandidate>& candidates) {
  std::stable_sort(candidates.begin(), candidates.end(), ranks_before);
}

}  // namespace infersim

#include "core/capacity.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace infersim {

namespace {

constexpr long long kMaxBatch = 1'000'000;

// Largest x in [lo, hi] with ok(x), given ok is true up to some point and false after; lo - 1 when
// ok(lo) is false.
template <class Ok>
long long last_true(long long lo, long long hi, Ok ok) {
  if (!ok(lo)) return lo - 1;
  while (lo < hi) {
    const long long mid = lo + (hi - lo + 1) / 2;
    if (ok(mid))
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

bool meets(const Estimate& e, const LatencyTargets& t) {
  return e.fits && (t.ttft_s <= 0.0 || e.ttft_s <= t.ttft_s) && (t.tpot_s <= 0.0 || e.tpot_s <= t.tpot_s);
}

std::optional<Estimate> try_estimate(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc) {
  if (why_invalid(m, hw, sc)) return std::nullopt;
  return estimate(m, hw, sc, false);
}

long long max_context(const ModelSpec& m, const HardwareSpec& hw, Scenario sc) {
  const long long room = m.max_context - sc.output_tokens;
  const long long input = last_true(1, std::max(1LL, room), [&](long long in) {
    sc.input_tokens = in;
    return fits(m, hw, sc);
  });
  return input < 1 ? 0 : input + sc.output_tokens;
}

// TP over the valid powers of two within a node, then PP, as deployments grow (Megatron-LM practice;
// docs/formulas.md#min_devices).
void min_devices(const ModelSpec& m, const HardwareSpec& hw, Scenario sc, CapacityResult& r) {
  sc.batch = 1;
  sc.layout.micro_batches = 1;
  // The answer is a tensor / pipeline layout (an attention rank holds 1/N of the experts).
  sc.layout.attention_dp = 1;
  sc.layout.moe_tp = 1;
  for (int pp = 1; pp <= m.layers; pp = pp < 8 ? pp + 1 : pp * 2) {
    for (int tp = 1; tp <= std::max(1, hw.interconnect.devices_per_node); tp *= 2) {
      sc.layout.tp = tp;
      sc.layout.pp = pp;
      if (fits(m, hw, sc)) {
        r.min_tp = tp;
        r.min_pp = pp;
        r.min_devices = tp * pp;
        return;
      }
    }
  }
}

}  // namespace

bool fits(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc) {
  const auto e = try_estimate(m, hw, sc);
  return e && e->fits;
}

std::optional<long long> largest_batch_where(const ModelSpec& m, const HardwareSpec& hw, Scenario sc,
                                             const std::function<bool(const Estimate&, long long)>& ok,
                                             long long max) {
  sc.layout.micro_batches = 1;
  const long long best = last_true(1, std::max(1LL, max), [&](long long b) {
    sc.batch = b;
    const auto e = try_estimate(m, hw, sc);
    return e && ok(*e, b);
  });
  if (best < 1) return std::nullopt;
  return best;
}

std::optional<long long> largest_batch_meeting(const ModelSpec& m, const HardwareSpec& hw, Scenario sc,
                                               const LatencyTargets& targets, long long max) {
  return largest_batch_where(
      m, hw, sc, [&targets](const Estimate& e, long long) { return meets(e, targets); }, max);
}

CapacityResult capacity(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                        const LatencyTargets& targets) {
  CapacityResult r;
  r.max_batch = largest_batch_meeting(m, hw, sc, {}, kMaxBatch).value_or(0);
  Scenario one = sc;
  one.batch = 1;
  one.layout.micro_batches = 1;
  r.max_context_batch1 = max_context(m, hw, one);
  r.max_context_at_batch = max_context(m, hw, sc);
  min_devices(m, hw, sc, r);
  if (targets.ttft_s > 0.0 || targets.tpot_s > 0.0) {
    r.slo_max_batch = largest_batch_meeting(m, hw, sc, targets, std::max(1LL, r.max_batch)).value_or(0);
    if (r.slo_max_batch > 0) {
      Scenario best = sc;
      best.batch = r.slo_max_batch;
      best.layout.micro_batches = 1;
      const Estimate e = estimate(m, hw, best, false);
      r.slo_throughput_per_device_tok_s = e.output_throughput_tok_s / e.devices;
      r.slo_ttft_s = e.ttft_s;
      r.slo_tpot_s = e.tpot_s;
    }
  }
  return r;
}

}  // namespace infersim

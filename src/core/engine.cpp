#include "core/engine.hpp"

#include <string>

#include "core/errors.hpp"
#include "core/formulas/kv_cache.hpp"
#include "core/formulas/memory.hpp"
#include "core/formulas/params.hpp"
#include "core/formulas/roofline.hpp"

namespace infersim {

std::string_view bound_name(Bound b) { return b == Bound::compute ? "compute" : "memory"; }

namespace {

double flops_roof(const Roofs& roofs, OpUnit unit) {
  return unit == OpUnit::matrix ? roofs.matrix_flops_per_s : roofs.vector_flops_per_s;
}

OpResult op_result(const Operator& op, double keys, const Roofs& roofs) {
  const OpCost one = cost_at(op, keys);
  const double compute_s = one.flops / flops_roof(roofs, op.unit);
  const double memory_s = total_bytes(one.bytes) / roofs.memory_Bps;
  OpResult r;
  r.name = op.name;
  r.unit = op.unit;
  r.kernels = op.repeat;
  r.cost = {one.flops * op.repeat, scaled(one.bytes, op.repeat)};
  r.intensity = arithmetic_intensity(one.flops, total_bytes(one.bytes));
  r.time_s = op.repeat * (std::max(compute_s, memory_s) + roofs.launch_s);
  r.bound = compute_s >= memory_s ? Bound::compute : Bound::memory;
  return r;
}

PhaseResult phase_result(const std::vector<Operator>& ops, double keys, const Roofs& roofs) {
  PhaseResult phase;
  phase.ops.reserve(ops.size());
  double compute_bound_s = 0.0;
  double memory_bound_s = 0.0;
  for (const Operator& op : ops) {
    const OpResult r = op_result(op, keys, roofs);
    phase.flops += r.cost.flops;
    phase.bytes += total_bytes(r.cost.bytes);
    phase.time_s += r.time_s;
    (r.bound == Bound::compute ? compute_bound_s : memory_bound_s) += r.time_s;
    phase.ops.push_back(r);
  }
  phase.bound = compute_bound_s > memory_bound_s ? Bound::compute : Bound::memory;
  return phase;
}

// Exact sum of one operator's time over decode contexts t = lo..hi, keys = min(t, window): the
// affine part in closed form (sum_max_affine), the part past the window at the window's cost.
double op_time_sum_s(const Operator& op, const Roofs& roofs, long long lo, long long hi, long long window) {
  const double flops_roof_ = flops_roof(roofs, op.unit);
  const double a = op.fixed.flops / flops_roof_;
  const double b = op.per_key.flops / flops_roof_;
  const double c = total_bytes(op.fixed.bytes) / roofs.memory_Bps;
  const double d = total_bytes(op.per_key.bytes) / roofs.memory_Bps;
  const long long affine_hi = window > 0 ? std::min(hi, window) : hi;
  double sum = sum_max_affine(a, b, c, d, lo, affine_hi);
  if (affine_hi < hi) {
    const double w = static_cast<double>(window);
    sum += static_cast<double>(hi - std::max(affine_hi, lo - 1)) * std::max(a + b * w, c + d * w);
  }
  const double steps = static_cast<double>(hi - lo + 1);
  return op.repeat * (sum + steps * roofs.launch_s);
}

void check_scenario(const Scenario& sc) {
  if (sc.batch <= 0) throw InputError("batch must be a positive integer, got " + std::to_string(sc.batch));
  if (sc.input_tokens <= 0)
    throw InputError("input tokens must be a positive integer, got " + std::to_string(sc.input_tokens));
  if (sc.output_tokens <= 0)
    throw InputError("output tokens must be a positive integer, got " + std::to_string(sc.output_tokens));
  if (!is_storage_format(sc.weights.dtype) || !is_storage_format(sc.kv))
    throw InputError("tf32 is a compute mode, not a storage format: store weights and KV as fp32");
  if (!(sc.moe_skew >= 0.0)) throw InputError("the MoE routing skew must be >= 0");
}

void check_model_scenario(const ModelSpec& m, const Scenario& sc) {
  if (sc.input_tokens + sc.output_tokens > m.max_context) {
    throw InputError("input + output = " + std::to_string(sc.input_tokens + sc.output_tokens) +
                     " tokens exceeds the max_context of model '" + m.name + "' (" + std::to_string(m.max_context) +
                     ")");
  }
  if (m.attention == AttentionKind::mla && sc.attention == AttentionKernel::unfused) {
    throw InputError("unfused attention is not modelled for multi-head latent attention (model '" + m.name + "')");
  }
}

}  // namespace

Roofs roofs_for(const HardwareSpec& hw, const Scenario& sc) {
  if (!has_peak(hw, sc.activations)) {
    std::string have;
    for (PeakSlot slot : kAllPeakSlots) {
      if (peak_flops(hw, slot) > 0.0) have += (have.empty() ? "" : ", ") + std::string(peak_slot_name(slot));
    }
    throw InputError("hardware '" + hw.name + "' has no " + std::string(dtype_name(sc.activations)) +
                     " compute peak (it has: " + have + ")");
  }
  const double matrix_peak = peak_flops(hw, sc.activations);
  // Elementwise work runs on the vector units; where no fp32 peak is published (TPUs), use the
  // compute dtype's.
  const double vector_peak = has_peak(hw, Dtype::fp32) ? peak_flops(hw, Dtype::fp32) : matrix_peak;
  return {matrix_peak * hw.compute_efficiency, vector_peak * hw.compute_efficiency,
          hw.memory_bandwidth_Bps * hw.memory_efficiency, hw.kernel_launch_overhead_s};
}

Estimate estimate(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc) {
  check_scenario(sc);
  check_model_scenario(m, sc);
  const Roofs roofs = roofs_for(hw, sc);
  const double b = static_cast<double>(sc.batch);
  const double s = static_cast<double>(sc.input_tokens);
  const double o = static_cast<double>(sc.output_tokens);
  const double window = static_cast<double>(m.sliding_window);
  const TensorFormats formats{weight_formats(sc.weights, sc.quantize_embeddings), bytes_per_element(sc.activations),
                              bytes_per_element(sc.kv)};
  const PassShape shape{b, s, formats, sc.attention, sc.mla, sc.moe_skew};
  Estimate e;
  e.params_total = params_total(m);
  e.params_active = params_active(m);
  e.weight_bytes = weight_storage_bytes(m, formats.weights);
  e.weight_bits_effective = e.weight_bytes * 8.0 / e.params_total;
  e.kv_bytes_per_token = model_kv_bytes_per_token(m, formats.kv_bytes);
  e.kv_cache_bytes = kv_cache_bytes(b, s + o, window, e.kv_bytes_per_token);
  e.activation_bytes = prefill_activation_peak_bytes(m, b, b * s, s, sc.attention == AttentionKernel::unfused,
                                                     formats.act_bytes);
  e.runtime_reserve_bytes = hw.runtime_reserve_B;
  e.memory_per_device_bytes = e.weight_bytes + e.kv_cache_bytes + e.activation_bytes + e.runtime_reserve_bytes;
  e.device_memory_bytes = hw.memory_capacity_B;
  e.usable_memory_bytes = usable_memory_bytes(hw.memory_capacity_B, hw.usable_fraction);
  e.fits = e.memory_per_device_bytes <= e.usable_memory_bytes;

  e.prefill = phase_result(prefill_operators(m, shape), 0.0, roofs);
  e.prefill_flops = e.prefill.flops;
  e.ttft_s = e.prefill.time_s;

  // Decode step j = 1 … o-1 attends to s + j keys (REFERENCE.md "Derived metrics").
  const std::vector<Operator> decode_ops = decode_operators(m, shape);
  e.decode_mean_context = s + o / 2.0;  // mean of s + j over j = 1 … o-1
  e.decode_step = phase_result(decode_ops, cached_tokens(e.decode_mean_context, window), roofs);
  e.decode_flops_per_token = e.decode_step.flops / b;
  if (sc.output_tokens > 1) {
    double total_s = 0.0;
    const long long lo = sc.input_tokens + 1;
    const long long hi = sc.input_tokens + sc.output_tokens - 1;
    for (const Operator& op : decode_ops) total_s += op_time_sum_s(op, roofs, lo, hi, m.sliding_window);
    e.tpot_s = total_s / (o - 1.0);
  }
  e.e2e_latency_s = e.ttft_s + (o - 1.0) * e.tpot_s;
  e.output_throughput_tok_s = b * o / e.e2e_latency_s;
  return e;
}

}  // namespace infersim

#include "core/phase.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "core/formulas/attention.hpp"
#include "core/formulas/collectives.hpp"
#include "core/formulas/gemm_efficiency.hpp"
#include "core/formulas/roofline.hpp"
#include "core/operators.hpp"

namespace infersim::detail {

namespace {

// The FLOP/s the operator's compute runs at: the vector roof; a fused prefill attention kernel's rate at its
// keys per query where the hardware gives one (formulas/attention.hpp); or the matrix roof times the
// efficiency of a GEMM of its shape where the hardware gives its tiling (formulas/gemm_efficiency.hpp),
// and for a routed experts' grouped GEMM times the runtime's MoE kernel share
// (docs/formulas.md#moe_gemm_kernel).
double flops_roof(const Operator& op, const Roofs& roofs) {
  if (op.unit != OpUnit::matrix) return roofs.vector_flops_per_s;
  if (op.attention_keys > 0.0 && roofs.attention_flops_per_s > 0.0)
    return roofs.attention_flops_per_s *
           flash_attention_efficiency(op.attention_keys, roofs.attention_overhead_keys);
  // A quantized model's 16-bit GEMMs run at the 16-bit rate, their K in 16-bit elements
  // (docs/formulas.md#sixteen_bit_gemms).
  // A routed experts' grouped GEMM starts from the grouped kernel's rate where the hardware gives one.
  const double matrix = op.expert_gemm && roofs.grouped_matrix_flops_per_s > 0.0
                            ? roofs.grouped_matrix_flops_per_s
                            : roofs.matrix_flops_per_s;
  const double rate = (op.gemm_16bit ? roofs.matrix16_flops_per_s : matrix) *
                      (op.expert_gemm ? roofs.moe_gemm_efficiency : 1.0);
  if (op.gemm.m <= 0.0 || roofs.gemm_tiling.compute_units <= 0.0) return rate;
  const double element_B = op.gemm_16bit ? kStreamBytes : roofs.gemm_element_B;
  return rate * gemm_shape_efficiency(op.gemm, roofs.gemm_tiling, element_B);
}

// The engine's own all-reduce kernel's curve measured for this group size, or null.
const MeasuredCollectives::Curve* custom_curve(const CommCost& c, const MeasuredCollectives& m) {
  for (const MeasuredCollectives::Curve& curve : m.custom_allreduce)
    if (curve.devices == static_cast<int>(c.group)) return &curve;
  return nullptr;
}

// A collective on the scale-up link at the measured curves the runtime's path uses, or none where they give
// no time and the link model applies (docs/formulas.md#measured_collective). All-gathers and all-to-alls,
// and the nccl path's all-reduces: NCCL's bus-bandwidth curve. The custom path's all-reduce: the engine's
// kernel within its curve (NCCL where faster), NCCL beyond it; without a curve for the group, the link
// model, which stands for the engine's one-shot / two-shot kernels.
std::optional<double> measured_collective_s(const CommCost& c, const Roofs& roofs) {
  if (roofs.allreduce == AllreducePath::link_model || !roofs.measured_link || c.group <= 1.0)
    return std::nullopt;
  const MeasuredCollectives& m = *roofs.measured_link;
  const bool allreduce = c.kind == Collective::allreduce;
  if (!allreduce && c.kind != Collective::allgather && c.kind != Collective::alltoall) return std::nullopt;
  std::optional<double> nccl;
  if (!m.nccl_busbw.empty()) {
    const double factor = allreduce ? busbw_factor_allreduce(c.group) : busbw_factor_allgather(c.group);
    nccl = busbw_curve_s(c.message_B, factor, m.nccl_busbw);
  }
  if (!allreduce || roofs.allreduce == AllreducePath::nccl) return nccl;
  const MeasuredCollectives::Curve* curve = custom_curve(c, m);
  if (curve == nullptr) return std::nullopt;
  if (c.message_B > curve->times.back().bytes) return nccl;
  const double custom = time_curve_s(c.message_B, curve->times);
  return nccl ? std::min(custom, *nccl) : custom;
}

// One collective's time on the link its group uses (a group wider than a node pays the inter-node
// link), less the share hidden behind compute (docs/formulas.md#collective_time).
double collective_s(const CommCost& c, const Roofs& roofs) {
  const bool inter = c.span > roofs.devices_per_node;
  const LinkRoof& link = inter ? roofs.inter_node : roofs.intra_node;
  const double B = link.bandwidth_Bps;
  const double alpha = link.latency_s;
  const std::optional<double> measured = inter ? std::nullopt : measured_collective_s(c, roofs);
  double t = measured.value_or(0.0);
  if (!measured) {
    switch (c.kind) {
      case Collective::allreduce:
        t = allreduce_s(c.message_B, c.group, B, alpha);
        break;
      case Collective::allgather:
        t = allgather_s(c.message_B, c.group, B, alpha);
        break;
      case Collective::alltoall:
        t = alltoall_s(c.message_B, c.group, B, alpha);
        break;
      case Collective::send_recv:
        t = send_recv_s(c.message_B, B, alpha);
        break;
      case Collective::none:
        break;
    }
  }
  return (t + roofs.collective_latency_s) * roofs.comm_exposed;
}

// A weight GEMM (a matrix operator that reads weights) on hardware whose GEMMs add their compute and
// memory times (HardwareSpec::gemm_time_is_sum); attention, elementwise work and the rest overlap.
bool adds_times(const Operator& op, const Roofs& roofs) {
  return roofs.gemm_time_is_sum && op.unit == OpUnit::matrix && op.fixed.bytes.weights_read_B > 0.0;
}

// Whether the operator's compute and memory times add: a weight GEMM where the library's GEMMs add them
// (above), or a routed experts' grouped GEMM on hardware whose grouped GEMMs do
// (GroupedGemmTime::sum, docs/formulas.md#grouped_gemm_time). Every other operator takes the larger (the
// roofline), but for a grouped GEMM whose weights stream serially (weights_serial).
bool adds_compute_and_memory(const Operator& op, const Roofs& roofs) {
  return adds_times(op, roofs) || (roofs.grouped_gemm_time == GroupedGemmTime::sum && op.expert_gemm);
}

// The share of the 16-bit weight-streaming rate the runtime's kernels reach on the operator's weight-only
// integer weights (core/runtime_profile.hpp).
double weight_only_efficiency(const Operator& op, const Roofs& roofs) {
  return op.weight_only_bits == 8.0 ? roofs.int8_weight_only_efficiency : roofs.int4_weight_only_efficiency;
}

// The operator's weights as the runtime's kernels stream them: weight-only integer weights at 1 / the share
// of the 16-bit streaming rate they reach on them (a runtime below that rate takes that much longer).
double weight_only_weights_B(const Operator& op, const Traffic& t, const Roofs& roofs) {
  return op.weight_only_bits == 0.0 ? t.weights_read_B : t.weights_read_B / weight_only_efficiency(op, roofs);
}

// The share of the memory roof at which the operator's weights stream: the runtime's MoE kernel's for a
// routed experts' grouped GEMM (docs/formulas.md#moe_gemm_kernel), 1 for every other operator.
double weight_stream_share(const Operator& op, const Roofs& roofs) {
  return op.expert_gemm ? roofs.moe_gemm_stream_efficiency : 1.0;
}

// Bytes the operator costs at the memory roof: its traffic, its weights counted as its kernels stream them
// (above) and at 1 / their share of the roof.
double memory_bytes(const Operator& op, const Traffic& t, const Roofs& roofs) {
  double bytes = total_bytes(t);
  if (op.weight_only_bits != 0.0) bytes += t.weights_read_B * (1.0 / weight_only_efficiency(op, roofs) - 1.0);
  const double share = weight_stream_share(op, roofs);
  if (share != 1.0) bytes += weight_only_weights_B(op, t, roofs) * (1.0 / share - 1.0);
  return bytes;
}

// A weight GEMM on hardware that gives its work units' stream rate takes at least the time its units take
// to stream their slabs of the weights (docs/formulas.md#gemm_unit_stream); 0 for every other operator. The
// terms are those of the scenario's compute dtype's kernel (core/roofs.cpp), which a quantized model's
// 16-bit GEMMs do not run (docs/formulas.md#sixteen_bit_gemms).
double unit_stream_floor_s(const Operator& op, const Traffic& t, const Roofs& roofs) {
  // A routed experts' grouped GEMM streams at its own kernel's unit terms (HardwareSpec::grouped_gemm).
  GemmTiling tiling = roofs.gemm_tiling;
  if (op.expert_gemm && roofs.grouped_unit_stream_Bps > 0.0) {
    tiling.unit_stream_Bps = roofs.grouped_unit_stream_Bps;
    tiling.unit_fixed_s = roofs.grouped_unit_fixed_s;
  }
  if (op.gemm.m <= 0.0 || op.gemm_16bit || t.weights_read_B <= 0.0 || tiling.unit_stream_Bps <= 0.0 ||
      tiling.compute_units <= 0.0)
    return 0.0;
  return gemm_unit_stream_s(op.gemm, tiling, t.weights_read_B);
}

// Seconds the operator's traffic takes at the memory roofs: a weight GEMM that adds its times takes in
// its weights (as counted above) at the rate its library packs them (Roofs::weight_pack_Bps; Goto &
// van de Geijn 2008), the rest of its traffic and every other operator's at memory_Bps.
double traffic_time_s(const Operator& op, const Traffic& t, const Roofs& roofs) {
  const double bytes = memory_bytes(op, t, roofs);
  if (op.decode_attention && roofs.decode_attention_Bps > 0.0)
    return decode_attention_time_s(bytes, roofs.decode_attention_Bps, 0.0);
  if (!adds_times(op, roofs) || roofs.weight_pack_Bps == roofs.memory_Bps) return bytes / roofs.memory_Bps;
  const double weights = weight_only_weights_B(op, t, roofs) / weight_stream_share(op, roofs);
  return (bytes - weights) / roofs.memory_Bps + weights / roofs.weight_pack_Bps;
}

// The memory time of the operator's traffic `t`: at the memory roofs, and for a weight GEMM no less than its
// units' stream time (a traffic without weights, such as an operator's per-key bytes, takes no floor).
double memory_time_s(const Operator& op, const Traffic& t, const Roofs& roofs) {
  return std::max(traffic_time_s(op, t, roofs), unit_stream_floor_s(op, t, roofs));
}

// Whether the operator is a routed experts' grouped GEMM whose weights stream serially with the rest of its
// work (GroupedGemmTime::weights_serial, docs/formulas.md#grouped_gemm_time).
bool weights_serial(const Operator& op, const Roofs& roofs) {
  return op.expert_gemm && roofs.grouped_gemm_time == GroupedGemmTime::weights_serial;
}

// The seconds of the operator's memory time `t` that its weights take at the memory roof, as its kernels
// stream them (weight_only_weights_B, weight_stream_share).
double weights_s(const Operator& op, const Traffic& t, const Roofs& roofs) {
  return weight_only_weights_B(op, t, roofs) / weight_stream_share(op, roofs) / roofs.memory_Bps;
}

// The fixed time of one call of a fused decode attention kernel, on hardware that gives the kernel's terms
// (docs/formulas.md#decode_attention_time), or of the runtime's MoE module, carried by its top-k
// (docs/formulas.md#moe_module_fixed_time); 0 for every other operator. Part of the memory time: the call's
// time is this plus its bytes at the memory roofs (memory_time_s).
double call_overhead_s(const Operator& op, const Roofs& roofs) {
  if (op.moe_module_call) return roofs.moe_module_fixed_s;
  return op.decode_attention && roofs.decode_attention_Bps > 0.0 ? roofs.decode_attention_overhead_s : 0.0;
}

// docs/formulas.md#op_time (Williams, Waterman & Patterson 2009). Inline so that a caller that keeps only
// the totals (add_ops without operators) does not compute the rest.
inline OpResult time_op(const Operator& op, double keys, const Roofs& roofs) {
  OpResult r;
  r.name = op.name;
  r.unit = op.unit;
  r.op_class = op_class(op);
  r.kernels = op.repeat;
  if (op.unit == OpUnit::link) {
    r.cost.bytes.act_read_B = op.comm.message_B * op.repeat;  // the bytes this device sends
    r.time_s = op.repeat * (collective_s(op.comm, roofs) + roofs.launch_s);
    r.bound = Bound::communication;
    return r;
  }
  const OpCost one = cost_at(op, keys);
  const double compute_s = one.flops / flops_roof(op, roofs);
  const double memory_s = memory_time_s(op, one.bytes, roofs) + call_overhead_s(op, roofs);
  r.cost = {one.flops * op.repeat, scaled(one.bytes, op.repeat)};
  r.intensity = arithmetic_intensity(one.flops, total_bytes(one.bytes));
  const double device_s = adds_compute_and_memory(op, roofs) ? compute_s + memory_s
                          : weights_serial(op, roofs)
                              ? weights_serial_time_s(compute_s, memory_s, weights_s(op, one.bytes, roofs))
                              : std::max(compute_s, memory_s);
  r.time_s = op.repeat * (device_s + roofs.launch_s);
  r.compute_s = op.repeat * compute_s;
  r.memory_s = op.repeat * memory_s;
  r.bound = compute_s >= memory_s ? Bound::compute : Bound::memory;
  return r;
}

// The phase's totals with one more operator.
inline void add_totals(PhaseResult& into, const OpResult& r) {
  into.flops += r.cost.flops;
  into.bytes += total_bytes(r.cost.bytes);
  into.time_s += r.time_s;
  into.kernels += r.kernels;
  if (r.bound == Bound::compute) into.compute_bound_s += r.time_s;
  if (r.bound == Bound::memory) into.memory_bound_s += r.time_s;
  if (r.bound == Bound::communication) into.link_s += r.time_s;
  into.bound = into.compute_bound_s > into.memory_bound_s ? Bound::compute : Bound::memory;
  into.class_s[static_cast<std::size_t>(r.op_class)] += r.time_s;
}

}  // namespace

OpResult op_result(const Operator& op, double keys, const Roofs& roofs) { return time_op(op, keys, roofs); }

void add_op_result(PhaseResult& into, const OpResult& r, bool keep_operators) {
  add_totals(into, r);
  if (!keep_operators) return;
  auto same = [&r](const OpResult& x) { return std::strcmp(x.name, r.name) == 0; };
  auto it = std::find_if(into.ops.begin(), into.ops.end(), same);
  if (it == into.ops.end()) {
    into.ops.push_back(r);
    return;
  }
  it->kernels += r.kernels;
  it->cost = {it->cost.flops + r.cost.flops, plus(it->cost.bytes, r.cost.bytes)};
  it->time_s += r.time_s;
  it->compute_s += r.compute_s;
  it->memory_s += r.memory_s;
  it->intensity = arithmetic_intensity(it->cost.flops, total_bytes(it->cost.bytes));
}

void add_ops(PhaseResult& into, const std::vector<Operator>& ops, double context, const Roofs& roofs,
             bool keep_operators) {
  if (!keep_operators) {  // the lean path: totals only, no rows
    for (const Operator& op : ops) add_totals(into, time_op(op, attended_keys(op.span, context), roofs));
    return;
  }
  for (const Operator& op : ops)
    add_op_result(into, time_op(op, attended_keys(op.span, context), roofs), true);
}

namespace {

// No per-key cost, and no fixed cost that adding a zero changes (-0): fixed + per_key * keys is fixed.
bool same_at_any_keys(const Operator& op) {
  const auto zero = [](double x) { return x == 0.0 && !std::signbit(x); };
  const auto kept = [](double x) { return !(x == 0.0 && std::signbit(x)); };
  const Traffic& k = op.per_key.bytes;
  const Traffic& f = op.fixed.bytes;
  return zero(op.per_key.flops) && zero(k.weights_read_B) && zero(k.act_read_B) && zero(k.act_written_B) &&
         zero(k.kv_read_B) && zero(k.kv_written_B) && kept(op.fixed.flops) && kept(f.weights_read_B) &&
         kept(f.act_read_B) && kept(f.act_written_B) && kept(f.kv_read_B) && kept(f.kv_written_B);
}

// The sum over keys k = lo..hi of one occurrence's time, f(k) = max(a + b*k, c + d*k) (or their sum where
// the times add) with k capped at `cap` (0: no cap): the affine part in closed form (sum_max_affine), the
// part past the cap at the cap's cost.
double capped_sum_s(const DecodeOpTerms& t, long long lo, long long hi, long long cap) {
  const double a = t.a;
  const double b = t.b;
  const double c = t.c;
  const double d = t.d;
  const long long affine_hi = cap > 0 ? std::min(hi, cap) : hi;
  const bool add = t.add;
  double sum = add ? sum_affine(a + c, b + d, lo, affine_hi) : sum_max_affine(a, b, c, d, lo, affine_hi);
  if (affine_hi < hi) {
    const double w = static_cast<double>(cap);
    const double at_cap = add ? a + b * w + c + d * w : std::max(a + b * w, c + d * w);
    sum += static_cast<double>(hi - std::max(affine_hi, lo - 1)) * at_cap;
  }
  return sum;
}

// The keys of contexts lo..hi under a chunked span of C: each chunk's queries attend 1..C keys, so the
// range splits into its first chunk's tail, whole chunks, and the last chunk's head.
double chunked_sum_s(const DecodeOpTerms& t, long long lo, long long hi, long long chunk) {
  const long long first_end = ((lo - 1) / chunk + 1) * chunk;  // the last context of lo's chunk
  if (hi <= first_end) return capped_sum_s(t, lo - (first_end - chunk), hi - (first_end - chunk), 0);
  double sum = capped_sum_s(t, lo - (first_end - chunk), chunk, 0);
  const long long whole = (hi - first_end) / chunk;
  if (whole > 0) sum += static_cast<double>(whole) * capped_sum_s(t, 1, chunk, 0);
  const long long rest = hi - first_end - whole * chunk;
  if (rest > 0) sum += capped_sum_s(t, 1, rest, 0);
  return sum;
}

// One operator over contexts lo..hi, its keys as its span says (core/key_span.hpp).
double op_time_sum_s(const Operator& op, const DecodeOpTerms& t, const Roofs& roofs, long long lo,
                     long long hi) {
  const double steps = static_cast<double>(hi - lo + 1);
  if (op.unit == OpUnit::link) return op.repeat * steps * t.link_s;
  const double sum = op.span.kind == KeySpanKind::chunked ? chunked_sum_s(t, lo, hi, op.span.tokens)
                                                          : capped_sum_s(t, lo, hi, op.span.tokens);
  return op.repeat * (sum + steps * roofs.launch_s);
}

}  // namespace

namespace {

// The time-sum terms alone.
DecodeOpTerms sum_terms(const Operator& op, const Roofs& roofs) {
  DecodeOpTerms t;
  if (op.unit == OpUnit::link) {
    t.link_s = collective_s(op.comm, roofs) + roofs.launch_s;
  } else {
    const double flops_roof_ = flops_roof(op, roofs);
    t.a = op.fixed.flops / flops_roof_;
    t.b = op.per_key.flops / flops_roof_;
    t.c = memory_time_s(op, op.fixed.bytes, roofs) + call_overhead_s(op, roofs);
    t.d = memory_time_s(op, op.per_key.bytes, roofs);
    t.add = adds_compute_and_memory(op, roofs);
    // Weights that stream serially: max(a + b k, c - w + d k) + w = max(a + w + b k, c + d k), with the
    // weights' time w in the memory time c (weights_serial_time_s).
    if (weights_serial(op, roofs)) t.a += weights_s(op, op.fixed.bytes, roofs);
  }
  return t;
}

}  // namespace

DecodeOpTerms decode_op_terms(const Operator& op, const Roofs& roofs) {
  DecodeOpTerms t = sum_terms(op, roofs);
  t.same_at_any_keys = op.unit == OpUnit::link || same_at_any_keys(op);
  if (t.same_at_any_keys) t.result = time_op(op, 0.0, roofs);
  return t;
}

void add_ops(PhaseResult& into, const std::vector<Operator>& ops, const std::vector<DecodeOpTerms>& terms,
             double context, const Roofs& roofs, bool keep_operators) {
  const bool any_keys = std::isfinite(context) && context >= 0.0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const DecodeOpTerms& t = terms[i];
    const double keys = attended_keys(ops[i].span, context);
    if (!keep_operators) {
      if (any_keys && t.same_at_any_keys)
        add_totals(into, t.result);
      else
        add_totals(into, time_op(ops[i], keys, roofs));
    } else {
      add_op_result(into, any_keys && t.same_at_any_keys ? t.result : time_op(ops[i], keys, roofs), true);
    }
  }
}

DecodeTotals decode_totals(const std::vector<Operator>& ops, const std::vector<DecodeOpTerms>& terms) {
  DecodeTotals d;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (terms[i].same_at_any_keys)
      add_totals(d.fixed, terms[i].result);
    else
      d.varying.push_back(i);
  }
  return d;
}

void add_decode_totals(PhaseResult& into, const DecodeTotals& totals, const std::vector<Operator>& ops,
                       double context, const Roofs& roofs) {
  const PhaseResult& f = totals.fixed;
  into.flops += f.flops;
  into.bytes += f.bytes;
  into.time_s += f.time_s;
  into.kernels += f.kernels;
  into.compute_bound_s += f.compute_bound_s;
  into.memory_bound_s += f.memory_bound_s;
  into.link_s += f.link_s;
  into.bound = into.compute_bound_s > into.memory_bound_s ? Bound::compute : Bound::memory;
  for (std::size_t c = 0; c < f.class_s.size(); ++c) into.class_s[c] += f.class_s[c];
  for (const std::size_t i : totals.varying)
    add_totals(into, time_op(ops[i], attended_keys(ops[i].span, context), roofs));
}

double decode_time_sum_s(const std::vector<Operator>& ops, const std::vector<DecodeOpTerms>& terms,
                         const Roofs& roofs, long long lo, long long hi) {
  if (hi < lo) return 0.0;
  double total = 0.0;
  for (std::size_t i = 0; i < ops.size(); ++i) total += op_time_sum_s(ops[i], terms[i], roofs, lo, hi);
  return total;
}

double decode_time_sum_s(const std::vector<Operator>& ops, const Roofs& roofs, long long lo, long long hi) {
  if (hi < lo) return 0.0;
  double total = 0.0;
  for (const Operator& op : ops) total += op_time_sum_s(op, sum_terms(op, roofs), roofs, lo, hi);
  return total;
}

}  // namespace infersim::detail

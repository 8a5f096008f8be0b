#include "core/estimate.hpp"

#include <optional>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "core/formulas/kv_cache.hpp"
#include "core/formulas/memory.hpp"
#include "core/formulas/params.hpp"
#include "core/formulas/roofline.hpp"
#include "core/phase.hpp"
#include "core/roofs.hpp"
#include "core/weights.hpp"

namespace infersim {

namespace {

// Messages are built only on failure: a sweep asks once per configuration.
std::optional<std::string> scenario_problem(const Scenario& sc) {
  if (sc.batch <= 0) return "batch must be a positive integer, got " + std::to_string(sc.batch);
  if (sc.input_tokens <= 0)
    return "input tokens must be a positive integer, got " + std::to_string(sc.input_tokens);
  if (sc.output_tokens <= 0)
    return "output tokens must be a positive integer, got " + std::to_string(sc.output_tokens);
  if (!is_storage_format(sc.weights.dtype) || !is_storage_format(sc.kv))
    return std::string("tf32 is a compute mode, not a storage format: store weights and KV as fp32");
  if (!(sc.moe_skew >= 0.0)) return std::string("the MoE routing skew must be >= 0");
  return std::nullopt;
}

std::optional<std::string> model_scenario_problem(const ModelSpec& m, const Scenario& sc) {
  if (sc.input_tokens + sc.output_tokens > m.max_context) {
    return "input + output = " + std::to_string(sc.input_tokens + sc.output_tokens) +
           " tokens exceeds the max_context of model '" + m.name + "' (" + std::to_string(m.max_context) +
           ")";
  }
  if (m.attention == AttentionKind::mla && sc.attention == AttentionKernel::unfused) {
    return "unfused attention is not modelled for multi-head latent attention (model '" + m.name + "')";
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> why_invalid(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc) {
  if (auto why = scenario_problem(sc)) return why;
  if (auto why = model_scenario_problem(m, sc)) return why;
  if (auto why = layout_problem(m, sc.layout)) return why;
  if (sc.batch % sc.layout.micro_batches != 0) {
    return "micro-batches " + std::to_string(sc.layout.micro_batches) + " must divide the batch " +
           std::to_string(sc.batch);
  }
  return roofs_problem(hw, sc);
}

namespace {

// One pipeline stage's device: its times (its operators go straight into the estimate's phases)
// and its memory.
struct StageResult {
  double prefill_s = 0.0;
  double decode_sum_s = 0.0;  // over every decode step
  double weight_bytes = 0.0;
  double kv_cache_bytes = 0.0;
  double memory_bytes = 0.0;
};

StageResult run_stage(const ModelSpec& m, const Stage& stage, const Scenario& sc,
                      const TensorFormats& formats, const Roofs& roofs, const Roofs& decode_roofs,
                      const HardwareSpec& hw, Estimate& e, bool keep_operators, EstimateScratch& scratch) {
  const Layout& l = sc.layout;
  ModelSpec& shard = scratch.shard;
  stage_shard(m, stage, l, shard);
  std::vector<Operator>& ops = scratch.ops;
  const double micro_batch = static_cast<double>(sc.batch) / l.micro_batches;
  const double s = static_cast<double>(sc.input_tokens);
  const double o = static_cast<double>(sc.output_tokens);
  const double window = static_cast<double>(m.sliding_window);
  const PassShape shape{micro_batch, s, formats,     sc.attention, sc.mla,
                        sc.moe_skew, l, stage.first, stage.last};
  StageResult r;
  const double prefill_before_s = e.prefill.time_s;
  prefill_operators(shard, shape, ops);
  detail::add_ops(e.prefill, ops, 0.0, roofs, keep_operators);
  r.prefill_s = e.prefill.time_s - prefill_before_s;
  decode_operators(shard, shape, ops);
  detail::add_ops(e.decode_step, ops, cached_tokens(s + o / 2.0, window), decode_roofs, keep_operators);
  r.decode_sum_s = detail::decode_time_sum_s(ops, decode_roofs, sc.input_tokens + 1,
                                             sc.input_tokens + sc.output_tokens - 1, m.sliding_window);
  // The device keeps the KV cache of every micro-batch of the batch.
  r.weight_bytes = weight_storage_bytes(shard, formats.weights, stage.first, stage.last);
  r.kv_cache_bytes = kv_cache_bytes(static_cast<double>(sc.batch), s + o, window,
                                    model_kv_bytes_per_token(shard, formats.kv_bytes));
  const double activations = prefill_activation_peak_bytes(
      shard, micro_batch, micro_batch * s, s, sc.attention == AttentionKernel::unfused, formats.act_bytes);
  r.memory_bytes = r.weight_bytes + r.kv_cache_bytes + activations + hw.runtime_reserve_B;
  return r;
}

// A send of one micro-batch's activations between consecutive stages (GPipe), as an operator row.
OpResult stage_send(const Scenario& sc, const ModelSpec& m, double tokens, double act_bytes,
                    const Roofs& roofs) {
  const Layout& l = sc.layout;
  Operator send{"pp_send", OpUnit::link, static_cast<double>(l.pp - 1), {}, {}, {}};
  send.comm = {Collective::send_recv, 2.0, static_cast<double>(l.tp * l.pp),
               tokens * m.hidden_size * act_bytes};
  return detail::op_result(send, 0.0, roofs);
}

void add_model_totals(Estimate& e, const ModelSpec& m, const Scenario& sc, const TensorFormats& formats,
                      const HardwareSpec& hw) {
  const double b = static_cast<double>(sc.batch);
  const double context = static_cast<double>(sc.input_tokens + sc.output_tokens);
  e.params_total = params_total(m);
  e.params_active = params_active(m);
  e.weight_bytes = weight_storage_bytes(m, formats.weights, true, true);
  e.weight_bits_effective = e.weight_bytes * 8.0 / e.params_total;
  e.kv_bytes_per_token = model_kv_bytes_per_token(m, formats.kv_bytes);
  e.kv_cache_bytes = kv_cache_bytes(b, context, static_cast<double>(m.sliding_window), e.kv_bytes_per_token);
  e.runtime_reserve_bytes = hw.runtime_reserve_B;
  e.device_memory_bytes = hw.memory_capacity_B;
  e.usable_memory_bytes = usable_memory_bytes(hw.memory_capacity_B, hw.usable_fraction);
  e.devices = device_count(sc.layout);
}

}  // namespace

Estimate estimate(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc, bool keep_operators) {
  EstimateScratch scratch;
  return estimate(m, hw, sc, keep_operators, scratch);
}

Estimate estimate(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc, bool keep_operators,
                  EstimateScratch& scratch) {
  if (auto why = why_invalid(m, hw, sc)) throw InputError(*why);
  const Roofs roofs = roofs_for(hw, sc);
  const Layout& l = sc.layout;
  const double b = static_cast<double>(sc.batch);
  const double o = static_cast<double>(sc.output_tokens);
  const double micro_batch = b / l.micro_batches;
  const Roofs decode_roofs = decode_step_roofs(roofs, micro_batch);
  const TensorFormats formats{weight_formats(sc.weights, sc.quantize_embeddings),
                              bytes_per_element(sc.activations), bytes_per_element(sc.kv)};
  Estimate e;
  add_model_totals(e, m, sc, formats, hw);
  double max_prefill_s = 0.0;
  double max_step_s = 0.0;
  double path_step_s = 0.0;
  for (int i = 0; i < l.pp; ++i) {
    const Stage stage = pipeline_stage(m.layers, l.pp, i);
    const StageResult r =
        run_stage(m, stage, sc, formats, roofs, decode_roofs, hw, e, keep_operators, scratch);
    max_prefill_s = std::max(max_prefill_s, r.prefill_s);
    const double stage_step_s = sc.output_tokens > 1 ? r.decode_sum_s / (o - 1.0) : 0.0;
    max_step_s = std::max(max_step_s, stage_step_s);
    path_step_s += stage_step_s;
    if (r.memory_bytes > e.memory_per_device_bytes) {
      e.memory_per_device_bytes = r.memory_bytes;
      e.weight_bytes_per_device = r.weight_bytes;
      e.kv_cache_bytes_per_device = r.kv_cache_bytes;
      e.activation_bytes = r.memory_bytes - r.weight_bytes - r.kv_cache_bytes - hw.runtime_reserve_B;
    }
  }
  if (l.pp > 1) {
    const OpResult prefill_send =
        stage_send(sc, m, micro_batch * static_cast<double>(sc.input_tokens), formats.act_bytes, roofs);
    const OpResult decode_send = stage_send(sc, m, micro_batch, formats.act_bytes, decode_roofs);
    detail::add_op_result(e.prefill, prefill_send, keep_operators);
    detail::add_op_result(e.decode_step, decode_send, keep_operators);
    if (sc.output_tokens > 1) path_step_s += decode_send.time_s;
  }
  e.fits = e.memory_per_device_bytes <= e.usable_memory_bytes;
  // Work done by all devices of a replica for the whole batch (replicated work counted on each device).
  e.prefill_flops = e.prefill.flops * l.tp * l.micro_batches;
  e.decode_mean_context = static_cast<double>(sc.input_tokens) + o / 2.0;
  e.decode_flops_per_token = e.decode_step.flops * l.tp / micro_batch;
  e.comm_time_prefill_s = e.prefill.link_s;
  e.comm_time_per_decode_step_s = e.decode_step.link_s;
  e.pipeline_bubble_fraction = (l.pp - 1.0) / (l.micro_batches + l.pp - 1.0);
  // Per request: the path through every stage. A micro-batch's next token waits for the slowest
  // stage to serve all M micro-batches (GPipe schedule, Huang et al. 2019; docs/formulas.md#tpot, #ttft,
  // #output_throughput, #pipeline_bubble).
  // The runtime's host terms come on top of the device's time, as their own components.
  const double device_step_s = std::max(path_step_s, l.micro_batches * max_step_s);
  e.runtime_overhead_prefill_s = runtime_overhead_s(e.prefill.time_s, e.prefill.kernels, sc.runtime);
  e.runtime_overhead_per_step_s =
      sc.output_tokens > 1 ? runtime_overhead_s(device_step_s, e.decode_step.kernels, sc.runtime) : 0.0;
  e.ttft_s = e.prefill.time_s + e.runtime_overhead_prefill_s;
  e.tpot_s = device_step_s + e.runtime_overhead_per_step_s;
  e.e2e_latency_s = e.ttft_s + (o - 1.0) * e.tpot_s;
  const double prefill_makespan_s = e.ttft_s + (l.micro_batches - 1.0) * max_prefill_s;
  e.output_throughput_tok_s = l.dp * b * o / (prefill_makespan_s + (o - 1.0) * e.tpot_s);
  return e;
}

}  // namespace infersim

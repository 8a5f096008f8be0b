#include "core/estimate.hpp"

#include <cstdint>
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

// A GEMM computes in its weights' precision or wider: weight-only schemes (W4A16, W8A16) dequantize
// narrow weights into a wider compute dtype, and W8A8 / fp8 / nvfp4 compute in the weights' own width.
// A compute dtype narrower than the stored weights is no scheme anyone runs (its tensor-core peak would
// price 16-bit GEMMs at int4 speed) — except fp32 weights computed in tf32, bf16 or fp16 (mixed precision).
std::optional<std::string> compute_dtype_problem(Dtype weights, Dtype activations) {
  if (bits_per_element(activations) >= bits_per_element(weights)) return std::nullopt;
  if (weights == Dtype::fp32 &&
      (activations == Dtype::tf32 || activations == Dtype::bf16 || activations == Dtype::fp16))
    return std::nullopt;
  return "activations " + std::string(dtype_name(activations)) + " are narrower than the weights " +
         std::string(dtype_name(weights)) +
         ": the GEMMs compute in the weights' width or wider (W4A16, W8A16, W8A8, fp8, nvfp4), or fp32 "
         "weights in tf32, bf16 or fp16";
}

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
  if (sc.moe_routing == MoeRouting::balanced && sc.moe_skew != 0.0)
    return std::string("balanced MoE routing spreads the rows evenly: it takes no skew (give --moe-skew 0)");
  if (sc.expert_weights) {
    if (!is_storage_format(sc.expert_weights->dtype))
      return std::string("tf32 is a compute mode, not a storage format: store the experts as fp32");
    if (auto why = compute_dtype_problem(sc.expert_weights->dtype, sc.activations)) return why;
  }
  return compute_dtype_problem(sc.weights.dtype, sc.activations);
}

// StreamingLLM's window and sinks (docs/formulas.md#streaming_llm): a chunked layer whose chunk is longer
// than the cache has no span of the same cost (a chunk's query would see tokens the cache has dropped).
std::optional<std::string> streaming_problem(const ModelSpec& m, const Scenario& sc) {
  if (sc.kv_window < 0 || sc.kv_sinks < 0)
    return std::string("the StreamingLLM window and sink tokens must be >= 0");
  if (sc.kv_window == 0) {
    if (sc.kv_sinks > 0) return std::string("StreamingLLM sink tokens need a window of recent tokens");
    return std::nullopt;
  }
  const long long cache = sc.kv_window + sc.kv_sinks;
  for (const KeySpan& span : m.attention_pattern) {
    if (streaming_span(span, cache)) continue;
    return "model '" + m.name + "' has chunked attention of " + std::to_string(span.tokens) +
           " tokens, more than the StreamingLLM cache of window + sinks = " + std::to_string(cache) +
           " tokens: StreamingLLM over chunked attention is not modelled";
  }
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
  return streaming_problem(m, sc);
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

using detail::DecodeEntry;
using detail::DecodeStage;
using detail::PassKey;
using detail::PrefillEntry;

PassShape pass_shape(const PassKey& k, const Stage& stage) {
  return {.batch = k.batch,
          .prompt_tokens = k.prompt_tokens,
          .formats = k.formats,
          .attention = k.attention,
          .mla = k.mla,
          .moe_skew = k.moe_skew,
          .moe_routing = k.moe_routing,
          .sampler_fp32_passes = k.sampler_fp32_passes,
          .layout = k.layout,
          .first_stage = stage.first,
          .last_stage = stage.last};
}

// A send of one micro-batch's activations between consecutive stages (GPipe), as an operator row.
OpResult stage_send(const Layout& l, const ModelSpec& m, double tokens, double act_bytes,
                    const Roofs& roofs) {
  return detail::op_result(pipeline_sends(l, m, tokens, act_bytes), 0.0, roofs);
}

// A request's prefill through every stage, the sends between them included, and the slowest stage's part.
void time_prefill(const ModelSpec& m, const PassKey& key, const Roofs& roofs, bool keep_operators,
                  EstimateScratch& scratch, PrefillEntry& out) {
  const Layout& l = key.layout;
  out.prefill = PhaseResult{};
  out.max_stage_s = 0.0;
  for (int i = 0; i < l.pp; ++i) {
    const Stage stage = pipeline_stage(m.layers, l.pp, i);
    stage_shard(m, stage, l, scratch.shard);
    const double before_s = out.prefill.time_s;
    prefill_operators(scratch.shard, pass_shape(key, stage), scratch.ops);
    detail::add_ops(out.prefill, scratch.ops, 0.0, roofs, keep_operators);
    out.max_stage_s = std::max(out.max_stage_s, out.prefill.time_s - before_s);
  }
  if (l.pp > 1) {
    const OpResult send = stage_send(l, m, key.batch * key.prompt_tokens, key.formats.act_bytes, roofs);
    detail::add_op_result(out.prefill, send, keep_operators);
  }
}

// Every stage's decode-step operators and sizes, and the whole model's sizes, in the key's formats.
void plan_decode(const ModelSpec& m, const PassKey& key, DecodeEntry& out) {
  const Layout& l = key.layout;
  const TensorFormats& formats = key.formats;
  out.timed = false;
  out.stages.resize(static_cast<std::size_t>(l.pp));
  for (int i = 0; i < l.pp; ++i) {
    const Stage stage = pipeline_stage(m.layers, l.pp, i);
    DecodeStage& d = out.stages[static_cast<std::size_t>(i)];
    stage_shard(m, stage, l, d.shard);
    decode_operators(d.shard, pass_shape(key, stage), d.ops);
    d.weight_bytes = weight_storage_bytes(d.shard, formats.weights, stage.first, stage.last);
    d.kv_bytes_per_token = model_kv_bytes_per_token(d.shard, formats.kv_bytes);
  }
  out.params_total = params_total(m);
  out.params_active = params_active(m);
  out.weight_bytes = weight_storage_bytes(m, formats.weights, true, true);
  out.kv_bytes_per_token = model_kv_bytes_per_token(m, formats.kv_bytes);
}

const PrefillEntry& prefill_of(const ModelSpec& m, const PassKey& key, const Roofs& roofs,
                               bool keep_operators, EstimateScratch& scratch) {
  const std::uint64_t hash = detail::pass_hash(key);
  const PrefillEntry* found = scratch.prefill.find(hash, [&](const PrefillEntry& x) {
    return detail::same_pass(x.key, key) && x.keep_operators == keep_operators &&
           detail::same_roofs(x.roofs, roofs) && x.model == m;
  });
  if (found) return *found;
  PrefillEntry& slot = scratch.prefill.slot();
  time_prefill(m, key, roofs, keep_operators, scratch, slot);
  slot.hash = hash;
  slot.key = key;
  slot.roofs = roofs;
  slot.model = m;
  slot.keep_operators = keep_operators;
  slot.ready = true;
  return slot;
}

DecodeEntry& decode_of(const ModelSpec& m, const PassKey& key, EstimateScratch& scratch) {
  const std::uint64_t hash = detail::pass_hash(key);
  DecodeEntry* found = scratch.decode.find(
      hash, [&](const DecodeEntry& x) { return detail::same_pass(x.key, key) && x.model == m; });
  if (found) return *found;
  DecodeEntry& slot = scratch.decode.slot();
  plan_decode(m, key, slot);
  slot.hash = hash;
  slot.key = key;
  slot.model = m;
  slot.ready = true;
  return slot;
}

// The stages' decode terms under `roofs`.
void time_decode(DecodeEntry& entry, const Roofs& roofs) {
  entry.timed = false;
  for (DecodeStage& stage : entry.stages) {
    stage.terms.clear();
    for (const Operator& op : stage.ops) stage.terms.push_back(detail::decode_op_terms(op, roofs));
    stage.totals = detail::decode_totals(stage.ops, stage.terms);
  }
  entry.timed_roofs = roofs;
  entry.timed = true;
}

void add_model_totals(Estimate& e, const ModelSpec& m, const Scenario& sc, const DecodeEntry& sizes,
                      const HardwareSpec& hw) {
  const double b = static_cast<double>(sc.batch);
  const double context = static_cast<double>(sc.input_tokens + sc.output_tokens);
  e.params_total = sizes.params_total;
  e.params_active = sizes.params_active;
  e.weight_bytes = sizes.weight_bytes;
  e.weight_bits_effective = e.weight_bytes * 8.0 / e.params_total;
  e.kv_bytes_per_token = sizes.kv_bytes_per_token;
  e.kv_cache_bytes = model_kv_cache_bytes(m, b, context, bytes_per_element(sc.kv), sc.runtime.chunked_cache);
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
  return estimate_valid(m, hw, sc, keep_operators, scratch);
}

Estimate estimate_valid(const ModelSpec& model, const HardwareSpec& hw, const Scenario& sc,
                        bool keep_operators, EstimateScratch& scratch) {
  // Under StreamingLLM every pass, size and cache entry is the streamed model's.
  if (sc.kv_window > 0) scratch.streamed = streaming_model(model, sc.kv_window + sc.kv_sinks);
  const ModelSpec& m = sc.kv_window > 0 ? scratch.streamed : model;
  const Roofs roofs = roofs_for(hw, sc);
  const Layout& l = sc.layout;
  const double b = static_cast<double>(sc.batch);
  const double s = static_cast<double>(sc.input_tokens);
  const double o = static_cast<double>(sc.output_tokens);
  const double micro_batch = b / l.micro_batches;
  const Roofs decode_roofs = decode_step_roofs(roofs, micro_batch);
  const TensorFormats formats = tensor_formats(
      weight_formats(sc.weights, sc.quantize_embeddings, sc.expert_weights), sc.activations, sc.kv);
  const PassKey prefill_key{.batch = micro_batch,
                            .prompt_tokens = s,
                            .formats = formats,
                            .attention = sc.attention,
                            .mla = sc.mla,
                            .moe_routing = sc.moe_routing,
                            .moe_skew = sc.moe_skew,
                            .sampler_fp32_passes = sc.runtime.sampler_fp32_passes,
                            .layout = l};
  PassKey decode_key = prefill_key;
  decode_key.prompt_tokens = PassKey{}.prompt_tokens;
  DecodeEntry& decode = decode_of(m, decode_key, scratch);
  if (!decode.timed || !detail::same_roofs(decode.timed_roofs, decode_roofs))
    time_decode(decode, decode_roofs);
  const PrefillEntry& prefill = prefill_of(m, prefill_key, roofs, keep_operators, scratch);
  Estimate e;
  add_model_totals(e, m, sc, decode, hw);
  e.prefill = prefill.prefill;
  const double max_prefill_s = prefill.max_stage_s;
  double max_step_s = 0.0;
  double path_step_s = 0.0;
  for (const DecodeStage& stage : decode.stages) {
    if (keep_operators)
      detail::add_ops(e.decode_step, stage.ops, stage.terms, s + o / 2.0, decode_roofs, true);
    else
      detail::add_decode_totals(e.decode_step, stage.totals, stage.ops, s + o / 2.0, decode_roofs);
    const double decode_sum_s = detail::decode_time_sum_s(
        stage.ops, stage.terms, decode_roofs, sc.input_tokens + 1, sc.input_tokens + sc.output_tokens - 1);
    const double stage_step_s = sc.output_tokens > 1 ? decode_sum_s / (o - 1.0) : 0.0;
    max_step_s = std::max(max_step_s, stage_step_s);
    path_step_s += stage_step_s;
    // The device keeps the KV cache of every micro-batch of the batch.
    const double kv_bytes =
        model_kv_cache_bytes(stage.shard, b, s + o, formats.kv_bytes, sc.runtime.chunked_cache);
    const double activations =
        prefill_activation_peak_bytes(stage.shard, micro_batch, micro_batch * s, s,
                                      sc.attention == AttentionKernel::unfused, formats.act_bytes);
    const double memory_bytes = stage.weight_bytes + kv_bytes + activations + hw.runtime_reserve_B;
    if (memory_bytes > e.memory_per_device_bytes) {
      e.memory_per_device_bytes = memory_bytes;
      e.weight_bytes_per_device = stage.weight_bytes;
      e.kv_cache_bytes_per_device = kv_bytes;
      e.activation_bytes = memory_bytes - stage.weight_bytes - kv_bytes - hw.runtime_reserve_B;
    }
  }
  if (l.pp > 1) {
    const OpResult decode_send = stage_send(l, m, micro_batch, formats.act_bytes, decode_roofs);
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
  e.runtime_overhead_prefill_s = runtime_overhead_s(e.prefill.time_s, e.prefill.kernels, b, sc.runtime, l.pp);
  e.runtime_overhead_per_step_s =
      sc.output_tokens > 1 ? runtime_overhead_s(device_step_s, e.decode_step.kernels, b, sc.runtime, l.pp)
                           : 0.0;
  e.ttft_s = e.prefill.time_s + e.runtime_overhead_prefill_s;
  e.tpot_s = device_step_s + e.runtime_overhead_per_step_s;
  e.e2e_latency_s = e.ttft_s + (o - 1.0) * e.tpot_s;
  const double prefill_makespan_s = e.ttft_s + (l.micro_batches - 1.0) * max_prefill_s;
  e.output_throughput_tok_s = batch_ranks(l) * b * o / (prefill_makespan_s + (o - 1.0) * e.tpot_s);
  return e;
}

}  // namespace infersim

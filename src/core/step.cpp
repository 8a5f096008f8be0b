#include "core/step.hpp"

#include <algorithm>

#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/formulas/kv_cache.hpp"
#include "core/formulas/memory.hpp"
#include "core/phase.hpp"
#include "core/weights.hpp"

namespace infersim {

std::optional<std::string> why_step_invalid(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc) {
  Scenario one = sc;
  one.batch = 1;
  one.layout.micro_batches = 1;
  if (auto why = why_invalid(m, hw, one)) return why;
  if (sc.layout.micro_batches > 1) {
    return std::string(
        "serving simulation keeps one batch in flight per pipeline stage itself (vLLM's virtual engines): "
        "leave --micro-batches at 1");
  }
  if (sc.attention != AttentionKernel::fused) {
    return std::string(
        "serving simulation models the fused (paged) attention kernels of serving engines: "
        "--attention unfused is not supported");
  }
  return std::nullopt;
}

StepTimer::StepTimer(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc)
    : model_(m), hw_(hw), sc_(sc) {
  if (auto why = why_step_invalid(m, hw, sc)) throw InputError(*why);
  // Under StreamingLLM the steps, the spans and the memory are the streamed model's.
  if (sc.kv_window > 0) model_ = streaming_model(m, sc.kv_window + sc.kv_sinks);
  roofs_ = roofs_for(hw, sc);
  stages_ = pipeline_stages(model_.layers, sc.layout.pp);
  shards_.resize(stages_.size());
  for (std::size_t i = 0; i < stages_.size(); ++i) stage_shard(model_, stages_[i], sc.layout, shards_[i]);
  spans_ = span_groups(model_);
  shape_.formats = tensor_formats(weight_formats(sc.weights, sc.quantize_embeddings, sc.expert_weights),
                                  sc.activations, sc.kv);
  shape_.attention = sc.attention;
  shape_.mla = sc.mla;
  shape_.moe_skew = sc.moe_skew;
  shape_.moe_routing = sc.moe_routing;
  shape_.sampler_fp32_passes = sc.runtime.sampler_fp32_passes;
  shape_.layout = sc.layout;
}

StepTimer::StageTimes StepTimer::stage_times(const StepLoad& load, PhaseResult& phase, bool keep_operators) {
  shape_.step = &load;
  shape_.batch = load.decode_rows + (load.prefill_tokens > 0.0 ? 1.0 : 0.0);
  // A step with no prompt tokens is a decode step: it streams its weights and cache at the read rate
  // (decode_step_roofs), as estimate's decode steps do.
  const Roofs roofs = load.prefill_tokens > 0.0 ? roofs_ : decode_step_roofs(roofs_, load.decode_rows);
  StageTimes t;
  for (std::size_t i = 0; i < stages_.size(); ++i) {
    shape_.first_stage = stages_[i].first;
    shape_.last_stage = stages_[i].last;
    step_operators(shards_[i], shape_, ops_);
    const double before_s = phase.time_s;
    detail::add_ops(phase, ops_, 0.0, roofs, keep_operators);
    t.max_stage_s = std::max(t.max_stage_s, phase.time_s - before_s);
  }
  shape_.step = nullptr;
  if (stages_.size() > 1) {
    const Operator sends =
        pipeline_sends(sc_.layout, model_, load.decode_rows + load.prefill_tokens, shape_.formats.act_bytes);
    detail::add_op_result(phase, detail::op_result(sends, 0.0, roofs), keep_operators);
  }
  t.path_s = phase.time_s;
  t.kernels = phase.kernels;
  return t;
}

PhaseResult StepTimer::step_phase(const StepLoad& load, bool keep_operators) {
  PhaseResult phase;
  static_cast<void>(stage_times(load, phase, keep_operators));
  return phase;
}

double StepTimer::step_s(const StepLoad& load, int batches_in_flight, TimeByClass* by_class) {
  PhaseResult phase;
  const StageTimes t = stage_times(load, phase, false);
  const int in_flight = std::max(1, batches_in_flight);
  const double device_s = std::max(t.path_s, in_flight * t.max_stage_s);
  // The host serves every batch in flight during the round this iteration spans, each taken to be this
  // one's size (a new request goes to the engine with the fewest unfinished ones): estimate's host work for
  // the whole pipelined batch (docs/formulas.md#serving_step).
  const double sequences =
      (load.decode_rows - load.graph_padding_rows + (load.prefill_tokens > 0.0 ? 1.0 : 0.0)) * in_flight;
  const double host_s = runtime_overhead_s(device_s, t.kernels, sequences, sc_.runtime, sc_.layout.pp);
  if (by_class) *by_class = phase_time_by_class(phase, device_s, host_s);
  return device_s + host_s;
}

StepMemory StepTimer::stage_memory(const ModelSpec& shard, const Stage& stage, double max_step_tokens) const {
  StepMemory mem;
  const TensorFormats& f = shape_.formats;
  mem.weight_bytes_per_device = weight_storage_bytes(shard, f.weights, stage.first, stage.last);
  mem.activation_bytes_per_device =
      prefill_activation_peak_bytes(shard, 1.0, max_step_tokens, max_step_tokens, false, f.act_bytes);
  mem.runtime_reserve_bytes = hw_.runtime_reserve_B;
  mem.usable_bytes = usable_memory_bytes(hw_.memory_capacity_B, hw_.usable_fraction);
  mem.kv_bytes_per_token_per_device = model_kv_bytes_per_token(shard, f.kv_bytes);
  mem.kv_budget_bytes_per_device = mem.usable_bytes - mem.weight_bytes_per_device -
                                   mem.activation_bytes_per_device - mem.runtime_reserve_bytes;
  return mem;
}

StepMemory StepTimer::memory(double max_step_tokens) const {
  StepMemory binding;
  double fewest_tokens = 0.0;
  for (std::size_t i = 0; i < shards_.size(); ++i) {
    const StepMemory mem = stage_memory(shards_[i], stages_[i], max_step_tokens);
    const double tokens = mem.kv_budget_bytes_per_device / mem.kv_bytes_per_token_per_device;
    if (i == 0 || tokens < fewest_tokens) {
      binding = mem;
      fewest_tokens = tokens;
    }
  }
  return binding;
}

}  // namespace infersim

#include "core/step.hpp"

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
  if (sc.layout.pp > 1 || sc.layout.micro_batches > 1) {
    return std::string(
        "serving simulation runs one pipeline stage per replica: --pp and --micro-batches "
        "must be 1 (use --tp, --ep and --dp)");
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
  stage_shard(model_, pipeline_stage(model_.layers, 1, 0), sc.layout, shard_);
  spans_ = span_groups(model_);
  shape_.formats = {weight_formats(sc.weights, sc.quantize_embeddings, sc.expert_weights),
                    bytes_per_element(sc.activations), bytes_per_element(sc.kv)};
  shape_.attention = sc.attention;
  shape_.mla = sc.mla;
  shape_.moe_skew = sc.moe_skew;
  shape_.sampler_fp32_passes = sc.runtime.sampler_fp32_passes;
  shape_.layout = sc.layout;
}

PhaseResult StepTimer::step_phase(const StepLoad& load, bool keep_operators) {
  shape_.step = &load;
  shape_.batch = load.decode_rows + (load.prefill_tokens > 0.0 ? 1.0 : 0.0);
  step_operators(shard_, shape_, ops_);
  shape_.step = nullptr;
  // A step with no prompt tokens is a decode step: it streams its weights and cache at the read rate
  // (decode_step_roofs), as estimate's decode steps do.
  const Roofs roofs = load.prefill_tokens > 0.0 ? roofs_ : decode_step_roofs(roofs_, load.decode_rows);
  PhaseResult phase;
  detail::add_ops(phase, ops_, 0.0, roofs, keep_operators);
  return phase;
}

double StepTimer::step_s(const StepLoad& load) {
  const PhaseResult phase = step_phase(load, false);
  const double sequences = load.decode_rows + (load.prefill_tokens > 0.0 ? 1.0 : 0.0);
  return phase.time_s + runtime_overhead_s(phase.time_s, phase.kernels, sequences, sc_.runtime);
}

StepMemory StepTimer::memory(double max_step_tokens) const {
  StepMemory mem;
  const TensorFormats& f = shape_.formats;
  mem.weight_bytes_per_device = weight_storage_bytes(shard_, f.weights, true, true);
  mem.activation_bytes_per_device =
      prefill_activation_peak_bytes(shard_, 1.0, max_step_tokens, max_step_tokens, false, f.act_bytes);
  mem.runtime_reserve_bytes = hw_.runtime_reserve_B;
  mem.usable_bytes = usable_memory_bytes(hw_.memory_capacity_B, hw_.usable_fraction);
  mem.kv_bytes_per_token_per_device = model_kv_bytes_per_token(shard_, f.kv_bytes);
  mem.kv_budget_bytes_per_device = mem.usable_bytes - mem.weight_bytes_per_device -
                                   mem.activation_bytes_per_device - mem.runtime_reserve_bytes;
  return mem;
}

}  // namespace infersim

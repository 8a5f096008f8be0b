#pragma once
// One iteration of a serving engine that batches continuously (vLLM V1, SGLang, TensorRT-LLM): the
// engine's own model of a step. The step's operators (core/operators.hpp, StepLoad: decode rows at their
// contexts beside prefill chunks after theirs) go through the same formulas, roofs, efficiencies,
// collectives and runtime terms as estimate() (docs/formulas.md#serving_step). Building and timing a step
// costs O(operators), whatever the batch: the contexts arrive as sums per key span. Pure: no I/O.
#include <optional>
#include <string>
#include <vector>

#include "core/hardware_spec.hpp"
#include "core/layout.hpp"
#include "core/model_spec.hpp"
#include "core/operators.hpp"
#include "core/phase_result.hpp"
#include "core/roofs.hpp"
#include "core/scenario.hpp"
#include "core/time_by_class.hpp"

namespace infersim {

// Why `sc` cannot be served iteration by iteration: why_invalid's reasons (at batch 1 and the scenario's
// lengths), and what the step model does not cover (micro-batches of its own, unfused attention).
[[nodiscard]] std::optional<std::string> why_step_invalid(const ModelSpec& m, const HardwareSpec& hw,
                                                          const Scenario& sc);

// The memory of one replica's device as the serving engine budgets it (docs/formulas.md#kv_blocks).
struct StepMemory {
  double weight_bytes_per_device = 0.0;
  double activation_bytes_per_device = 0.0;  // the activations of a step of max_step_tokens
  double runtime_reserve_bytes = 0.0;
  double usable_bytes = 0.0;
  double kv_bytes_per_token_per_device = 0.0;  // every layer caching the token (KV heads as tp shards them)
  double kv_budget_bytes_per_device = 0.0;     // usable - weights - activations - reserve (may be < 0)
};

class StepTimer {
 public:
  // Throws InputError with why_step_invalid's reason.
  StepTimer(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc);

  // Seconds one iteration of `load` takes: the device's time plus the runtime's host terms. Under
  // pipeline parallelism an iteration takes its batch through every stage and the sends between them
  // (the path), while `batches_in_flight` batches (1..pp, the replica's busy virtual engines) share each
  // stage: the device's time is max(path, batches_in_flight x the slowest stage's part), as estimate's
  // pipelined step with that many micro-batches (docs/formulas.md#serving_step); the runtime's host works
  // for every batch in flight, each taken to be this one's size.
  // With `by_class`, also where that time goes: the device's time by operator class and the host's terms
  // (docs/formulas.md#time_by_class).
  [[nodiscard]] double step_s(const StepLoad& load, int batches_in_flight = 1,
                              TimeByClass* by_class = nullptr);
  // The same with its operators, per name (for a breakdown or a test): every stage's, and the sends.
  [[nodiscard]] PhaseResult step_phase(const StepLoad& load, bool keep_operators);

  // Pipeline stages (the layout's pp): a replica runs this many virtual engines.
  [[nodiscard]] int stages() const { return static_cast<int>(stages_.size()); }
  // The devices one replica (an attention data-parallel rank among them) runs on: tp x pp.
  [[nodiscard]] int devices_per_replica() const { return sc_.layout.tp * sc_.layout.pp; }

  // The model's distinct key spans, in the order StepLoad::spans lists them.
  [[nodiscard]] const SpanGroups& spans() const { return spans_; }
  // What the runtime's KV cache keeps of a chunked layer (the scenario's runtime terms).
  [[nodiscard]] ChunkedCache chunked_cache() const { return sc_.runtime.chunked_cache; }
  // The memory of the stage's device that holds the fewest tokens of KV cache (every stage's device holds
  // its own layers' cache of every token).
  [[nodiscard]] StepMemory memory(double max_step_tokens) const;
  [[nodiscard]] const ModelSpec& model() const { return model_; }
  // Attention data-parallel ranks that step together (their routed experts run as one group), 1: none.
  [[nodiscard]] int attention_ranks() const { return sc_.layout.attention_dp; }

 private:
  // The device time of `load`: the path through every stage and the sends, and the slowest stage's part.
  struct StageTimes {
    double path_s = 0.0;
    double max_stage_s = 0.0;
    double kernels = 0.0;
  };
  [[nodiscard]] StageTimes stage_times(const StepLoad& load, PhaseResult& phase, bool keep_operators);
  [[nodiscard]] StepMemory stage_memory(const ModelSpec& shard, const Stage& stage,
                                        double max_step_tokens) const;

  ModelSpec model_;
  std::vector<Stage> stages_;
  std::vector<ModelSpec> shards_;  // one per stage
  HardwareSpec hw_;
  Scenario sc_;
  Roofs roofs_;
  SpanGroups spans_;
  PassShape shape_;
  std::vector<Operator> ops_;
};

}  // namespace infersim

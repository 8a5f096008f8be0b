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
#include "core/model_spec.hpp"
#include "core/operators.hpp"
#include "core/phase_result.hpp"
#include "core/roofs.hpp"
#include "core/scenario.hpp"

namespace infersim {

// Why `sc` cannot be served iteration by iteration: why_invalid's reasons (at batch 1 and the scenario's
// lengths), and what the step model does not cover (pipeline stages, unfused attention).
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

  // Seconds one iteration of `load` takes: the device's time plus the runtime's host terms.
  [[nodiscard]] double step_s(const StepLoad& load);
  // The same with its operators, per name (for a breakdown or a test).
  [[nodiscard]] PhaseResult step_phase(const StepLoad& load, bool keep_operators);

  // The model's distinct key spans, in the order StepLoad::spans lists them.
  [[nodiscard]] const SpanGroups& spans() const { return spans_; }
  [[nodiscard]] StepMemory memory(double max_step_tokens) const;
  [[nodiscard]] const ModelSpec& model() const { return model_; }

 private:
  ModelSpec model_;
  ModelSpec shard_;
  HardwareSpec hw_;
  Scenario sc_;
  Roofs roofs_;
  SpanGroups spans_;
  PassShape shape_;
  std::vector<Operator> ops_;
};

}  // namespace infersim

#pragma once
// Predicts an end-to-end model case (families model_prefill and model_decode) with the engine itself,
// not the single-roofline kernel formula: estimate() of the named model on the profile. The shape
// column carries what is needed: "model=NAME;tokens=N;context=C;batch=B"; the scenario it describes
// is read at the io edge, through the one text-to-scenario path (io/published/model_case.hpp): the
// row's dtype (fp32, what the reference decoder runs) for weights, activations and KV cache, one
// device, fused attention, and
//  - model_prefill: the TTFT of a `tokens`-token prompt (input tokens = tokens, output 1);
//  - model_decode: one decode step attending `context` keys, its own included: the scenario
//    input = context - 1, output = 2, whose single timed step (TPOT) is that step.
#include <string>

#include "core/hardware_spec.hpp"
#include "core/model_spec.hpp"
#include "core/scenario.hpp"
#include "validation/kernel_predict.hpp"
#include "validation/measured_case.hpp"

namespace infersim {

struct ModelCaseShape {
  std::string model;
  long long tokens = 0;   // prompt tokens (prefill) or new tokens per sequence (decode: 1)
  long long context = 0;  // keys the last token attends, its own included
  long long batch = 1;
};

[[nodiscard]] constexpr bool is_model_family(KernelFamily family) {
  return family == KernelFamily::model_prefill || family == KernelFamily::model_decode;
}

// Throws InputError naming the case when a key is missing, not a positive integer, or inconsistent
// (decode: tokens 1; prefill: context = tokens).
[[nodiscard]] ModelCaseShape parse_model_case_shape(const MeasuredRow& row);

// The engine's time for the case (time_s) in the scenario `sc` its shape describes; compute_s, memory_s
// and overhead_s are the sums over its operators of FLOPs / roof, bytes / bandwidth and kernels * launch
// overhead. Throws InputError when the row is not a model case, names another model, or the engine
// refuses the scenario.
[[nodiscard]] KernelPrediction predict_model_case(const MeasuredRow& row, const Scenario& sc,
                                                  const ModelSpec& m, const HardwareSpec& hw);

}  // namespace infersim

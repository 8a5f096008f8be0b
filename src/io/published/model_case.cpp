#include "io/published/model_case.hpp"

#include <string>

#include "io/config/scenario_text.hpp"
#include "validation/model_predict.hpp"

namespace infersim {

Scenario model_case_scenario(const MeasuredRow& row) {
  const ModelCaseShape s = parse_model_case_shape(row);  // the keys are there and consistent
  const std::string what = "case '" + row.case_name + "' ";
  ScenarioValues v;
  parse_scenario_value(v, ScenarioKey::batch, *shape_value(row.shape, "batch"), what + "batch");
  // The reference decoder runs fp32 throughout; a row may name another storage dtype.
  const std::string dtype = row.dtype.empty() ? "fp32" : row.dtype;
  for (const ScenarioKey key : {ScenarioKey::weights, ScenarioKey::activations, ScenarioKey::kv})
    parse_scenario_value(v, key, dtype, what + "dtype");
  const bool prefill = row.family == KernelFamily::model_prefill;
  // Prefill: the prompt is the tokens. Decode: one step attending `context` keys is the one timed step
  // of input context - 1, output 2 (its mean context: input + output / 2 = context).
  const long long input = prefill ? s.tokens : s.context - 1;
  parse_scenario_value(v, ScenarioKey::input_tokens, std::to_string(input), what + "input tokens");
  parse_scenario_value(v, ScenarioKey::output_tokens, prefill ? "1" : "2", what + "output tokens");
  return compose_scenario(v, RuntimeTerms{});
}

}  // namespace infersim

#pragma once
// The scenario an end-to-end model case describes (families model_prefill and model_decode of the
// measured CSV), read through the one way from text to a scenario (io/config/scenario_text.hpp): the
// shape's batch and the row's dtype are parsed as estimate parses --batch and --weights, --activations,
// --kv (the same words, the same bounds) and composed with estimate's defaults. What the scenario is
// for each family: validation/model_predict.hpp.
#include "core/scenario.hpp"
#include "validation/measured_case.hpp"

namespace infersim {

// Throws InputError naming the case when the shape is not a model case's (parse_model_case_shape) or a
// value is one estimate would refuse.
[[nodiscard]] Scenario model_case_scenario(const MeasuredRow& row);

}  // namespace infersim

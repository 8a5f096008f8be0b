#pragma once
// A scenario composed from estimate's own flag words (io/config/scenario_text.hpp), and a field-by-field
// comparison: for tests that hold another way of building a scenario (a published row, a model case)
// to the flags'.
#include <catch2/catch.hpp>
#include <initializer_list>
#include <utility>

#include "io/config/scenario_text.hpp"

namespace infersim::test {

// The scenario `estimate FLAG TEXT ...` composes, runtime terms none.
inline Scenario scenario_from_flags(std::initializer_list<std::pair<ScenarioKey, const char*>> flags) {
  ScenarioValues v;
  for (const auto& [key, text] : flags) parse_scenario_value(v, key, text, flag_name(key));
  return compose_scenario(v, RuntimeTerms{});
}

// Every field that changes an estimate, but the runtime terms.
inline void check_same_scenario(const Scenario& a, const Scenario& b) {
  CHECK(a.batch == b.batch);
  CHECK(a.input_tokens == b.input_tokens);
  CHECK(a.output_tokens == b.output_tokens);
  CHECK(a.weights.dtype == b.weights.dtype);
  CHECK(a.weights.group_size == b.weights.group_size);
  CHECK(a.weights.scale_bits == b.weights.scale_bits);
  CHECK(a.weights.zero_point_bits == b.weights.zero_point_bits);
  CHECK(a.weights.tensor_scale_bits == b.weights.tensor_scale_bits);
  CHECK(a.activations == b.activations);
  CHECK(a.kv == b.kv);
  CHECK(a.quantize_embeddings == b.quantize_embeddings);
  CHECK(a.attention == b.attention);
  CHECK(a.mla == b.mla);
  CHECK(a.moe_skew == b.moe_skew);
  CHECK(a.layout.tp == b.layout.tp);
  CHECK(a.layout.pp == b.layout.pp);
  CHECK(a.layout.ep == b.layout.ep);
  CHECK(a.layout.dp == b.layout.dp);
  CHECK(a.layout.micro_batches == b.layout.micro_batches);
  CHECK(a.layout.comm_overlap == b.layout.comm_overlap);
}

}  // namespace infersim::test

// The model keys for layers unlike one another (attention_pattern, qk_norm, attention_sinks) and for
// weights as a checkpoint ships them (weights_as_shipped): what loads, and how the shipped formats
// become a scenario's weight formats (io/config/scenario_text.hpp). The refusals are fixtures in
// tests/config/bad/ (test_loaders.cpp).
#include <catch2/catch.hpp>
#include <string>

#include "core/formulas/quant.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/scenario_text.hpp"
#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using namespace infersim;

namespace {

// tests/config/good_model.yaml (2 layers, max_context 256) with `extra` appended.
ModelSpec good_with(const std::string& extra) {
  return load_model_text(test::read_file(test::source_path("tests/config/good_model.yaml")) + extra,
                         "m.yaml");
}

ModelSpec shipped(const std::string& name) {
  return load_model(test::source_path("model_configs/" + name + ".yaml"));
}

constexpr const char* kMoe = "moe:\n  experts: 4\n  experts_per_token: 2\n  expert_intermediate_size: 32\n";

}  // namespace

TEST_CASE("attention_pattern repeats from layer 0, a flow or block list of full, sliding:W, chunked:C") {
  const ModelSpec flow = good_with("attention_pattern: [sliding:64, full]\n");
  REQUIRE(flow.attention_pattern.size() == 2);
  CHECK(flow.attention_pattern[0] == KeySpan{KeySpanKind::sliding, 64});
  CHECK(flow.attention_pattern[1] == KeySpan{});
  CHECK(flow.sliding_window == 0);
  const ModelSpec block = good_with("attention_pattern:\n  - chunked:256\n");
  CHECK(layer_key_span(block, 0) == KeySpan{KeySpanKind::chunked, 256});
  CHECK(layer_key_span(block, 1) == KeySpan{KeySpanKind::chunked, 256});  // repeats: 1 entry, 2 layers
  CHECK(block.qk_norm == QkNorm::none);
  CHECK_FALSE(block.attention_sinks);
  const ModelSpec flags = good_with("qk_norm: rmsnorm\nattention_sinks: true\n");
  CHECK(flags.qk_norm == QkNorm::rmsnorm);
  CHECK(good_with("qk_norm: l2\n").qk_norm == QkNorm::l2);
  CHECK(good_with("qk_norm: none\n").qk_norm == QkNorm::none);
  CHECK(flags.attention_sinks);
  CHECK(flags.attention_pattern.empty());
}

TEST_CASE("Gemma 3 27B: five sliding-1024 layers then one global, over 62 layers") {
  const ModelSpec m = shipped("gemma-3-27b");
  REQUIRE(m.attention_pattern.size() == 6);
  int global = 0;
  for (int i = 0; i < m.layers; ++i) {
    const KeySpan k = layer_key_span(m, i);
    if (k.kind == KeySpanKind::full) {
      ++global;
      CHECK((i + 1) % 6 == 0);  // Gemma3TextConfig: layer i global when (i + 1) % 6 == 0
    } else {
      CHECK(k == KeySpan{KeySpanKind::sliding, 1024});
    }
  }
  CHECK(global == 10);  // layers 5, 11, ..., 59; 60 and 61 are local
  CHECK(m.qk_norm == QkNorm::rmsnorm);
  CHECK(m.tied_embeddings);
}

TEST_CASE("gpt-oss and Llama 4: alternating banded layers with sinks, chunked layers with NoPE globals") {
  const ModelSpec oss = shipped("gpt-oss-120b");
  CHECK(layer_key_span(oss, 0) == KeySpan{KeySpanKind::sliding, 128});  // layer_types[0] sliding_attention
  CHECK(layer_key_span(oss, 1) == KeySpan{});
  CHECK(layer_key_span(oss, 35) == KeySpan{});
  CHECK(oss.attention_sinks);
  const ModelSpec scout = shipped("llama-4-scout-17b-16e");
  for (int i = 0; i < scout.layers; ++i) {
    INFO(i);
    CHECK(layer_key_span(scout, i) ==
          ((i + 1) % 4 == 0 ? KeySpan{} : KeySpan{KeySpanKind::chunked, 8192}));  // no_rope_layer_interval 4
  }
  const ModelSpec maverick = shipped("llama-4-maverick-17b-128e");
  CHECK(moe_layer_count(maverick) == 24);  // interleave_moe_layer_step 2: layers 1, 3, ..., 47
  CHECK(dense_layer_count(maverick) == 24);
}

TEST_CASE("weights_as_shipped: a dtype name or a mapping with the scale layout") {
  const ModelSpec plain = good_with("weights_as_shipped:\n  default: int4\n");
  REQUIRE(plain.shipped_weights);
  CHECK(plain.shipped_weights->dtype == Dtype::int4);
  CHECK_FALSE(plain.shipped_weights->group_size);
  CHECK_FALSE(plain.shipped_expert_weights);
  const ModelSpec moe =
      good_with(std::string(kMoe) + "weights_as_shipped:\n  default: bf16\n  experts: mxfp4\n");
  REQUIRE(moe.shipped_expert_weights);
  CHECK(moe.shipped_expert_weights->dtype == Dtype::mxfp4);
  const ModelSpec ds = shipped("deepseek-v3");
  REQUIRE(ds.shipped_weights);
  CHECK(ds.shipped_weights->dtype == Dtype::fp8);
  CHECK(ds.shipped_weights->group_size == 128);
  CHECK(ds.shipped_weights->block_rows == 128);
  CHECK(ds.shipped_weights->scale_bits == 32);
}

TEST_CASE("A shipped format counts a block's scale once for its rows") {
  // DeepSeek-V3: fp8 with one fp32 scale per 128 x 128 block. A 7168 x 7168 matrix: 7168^2 bytes of
  // elements + (7168/128)^2 = 3136 scales of 4 bytes = 12,544 bytes, + the per-tensor scale (4 bytes).
  const StorageFormat f = storage_format(*shipped("deepseek-v3").shipped_weights);
  CHECK(f.dtype == Dtype::fp8);
  CHECK(f.group_size == 128);
  CHECK(f.scale_bits == 0.25);  // 32 bits / 128 rows
  CHECK(matrix_storage_bytes(7168, 7168, f) == 7168.0 * 7168.0 + 12'544.0 + 4.0);
  // mxfp4 as shipped is the dtype's default layout: 32-element blocks with an E8M0 scale.
  const StorageFormat mx = storage_format(ShippedFormat{Dtype::mxfp4, {}, {}, 1});
  CHECK(mx.group_size == 32);
  CHECK(mx.scale_bits == 8.0);
}

TEST_CASE("The scenario takes the shipped formats unless --weights or --quant names a dtype") {
  const ModelSpec oss = shipped("gpt-oss-20b");
  const RuntimeTerms runtime;
  ScenarioValues none;
  const Scenario as_shipped = compose_scenario(none, runtime, oss);
  CHECK(as_shipped.weights.dtype == Dtype::bf16);
  REQUIRE(as_shipped.expert_weights);
  CHECK(as_shipped.expert_weights->dtype == Dtype::mxfp4);
  CHECK(as_shipped.activations == Dtype::bf16);

  ScenarioValues fp8;
  parse_scenario_value(fp8, ScenarioKey::weights, "fp8", "--weights");
  const Scenario overridden = compose_scenario(fp8, runtime, oss);
  CHECK(overridden.weights.dtype == Dtype::fp8);
  CHECK_FALSE(overridden.expert_weights);  // --weights overrides every class

  ScenarioValues preset;
  parse_scenario_value(preset, ScenarioKey::quant, "w4a16", "--quant");
  CHECK(compose_scenario(preset, runtime, oss).weights.dtype == Dtype::int4);
  CHECK_FALSE(compose_scenario(preset, runtime, oss).expert_weights);

  // DeepSeek-V3 ships fp8; a --group-size still applies to the shipped format.
  const ModelSpec ds = shipped("deepseek-v3");
  CHECK(compose_scenario(none, runtime, ds).weights.dtype == Dtype::fp8);
  ScenarioValues group;
  parse_scenario_value(group, ScenarioKey::group_size, "64", "--group-size");
  CHECK(compose_scenario(group, runtime, ds).weights.group_size == 64);
  // A model without weights_as_shipped keeps estimate's default.
  CHECK(compose_scenario(none, runtime, shipped("llama-3.1-8b")).weights.dtype == Dtype::bf16);
}

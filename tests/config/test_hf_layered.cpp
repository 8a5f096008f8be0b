// `infersim import-hf` of the architectures whose layers differ (io/hf/hf_families_layered.cpp): the
// pattern read from layer_types, sliding_window_pattern or no_rope_layers as the shortest repeating
// one, the text_config of multimodal models, quantization_config as weights_as_shipped, and the
// transformers defaults where a key is absent. The published files are fixtures in tests/hf/
// (test_hf_import.cpp); these are small inline ones.
#include <catch2/catch.hpp>
#include <string>

#include "io/config/config_error.hpp"
#include "io/config/model_loader.hpp"
#include "io/hf/hf_import.hpp"

using namespace infersim;

namespace {

std::string yaml_of(const std::string& json) { return hf_config_to_yaml(json, {"inline.json", "inline"}); }

ModelSpec converted(const std::string& json) { return load_model_text(yaml_of(json), "inline.yaml"); }

std::string error_of(const std::string& json) {
  try {
    (void)yaml_of(json);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kGemmaText = R"("hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2,
    "head_dim": 16, "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 512)";

const std::string kLlama4Text = R"("hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2,
    "head_dim": 16, "intermediate_size": 32, "intermediate_size_mlp": 128, "vocab_size": 100,
    "max_position_embeddings": 4096, "num_local_experts": 4, "num_experts_per_tok": 1, "attention_chunk_size": 64)";

}  // namespace

TEST_CASE("Gemma 3: the defaults of Gemma3TextConfig, and the pattern from sliding_window_pattern") {
  const ModelSpec m = converted(R"({"architectures": ["Gemma3ForCausalLM"], "num_hidden_layers": 7,
      "sliding_window": 32, "sliding_window_pattern": 3, )" +
                                kGemmaText + "}");
  // Layer i is global when (i + 1) % 3 == 0: local, local, global, repeated.
  REQUIRE(m.attention_pattern.size() == 3);
  CHECK(m.attention_pattern[0] == KeySpan{KeySpanKind::sliding, 32});
  CHECK(m.attention_pattern[2] == KeySpan{});
  CHECK(m.qk_norm == QkNorm::rmsnorm);
  CHECK(m.tied_embeddings);                 // Gemma3TextConfig default
  CHECK(m.activation == Activation::gelu);  // hidden_activation default gelu_pytorch_tanh
  // Absent vocabulary and context: the config class defaults, said in the comments.
  const std::string yaml = yaml_of(R"({"architectures": ["Gemma3ForConditionalGeneration"], "text_config": {
      "num_hidden_layers": 12, "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 128}})");
  CHECK(yaml.find("vocab_size: 262208") != std::string::npos);
  CHECK(yaml.find("vocab_size absent: Gemma3TextConfig default 262208") != std::string::npos);
  CHECK(yaml.find("# text_config.num_hidden_layers") != std::string::npos);
  const ModelSpec d = load_model_text(yaml, "d.yaml");
  CHECK(d.kv_heads == 4);                  // num_key_value_heads default
  CHECK(d.head_dim == 256);                // head_dim default
  CHECK(d.attention_pattern.size() == 6);  // sliding_window_pattern default 6, window default 4096
  CHECK(d.attention_pattern[0] == KeySpan{KeySpanKind::sliding, 4096});
}

TEST_CASE("layer_types: the shortest repeating pattern, one kind everywhere is a window or nothing") {
  const std::string head =
      R"({"architectures": ["Gemma3ForCausalLM"], "num_hidden_layers": 4, "sliding_window": 32,
      )" +
      kGemmaText;
  const ModelSpec alternating = converted(head + R"(, "layer_types": ["sliding_attention", "full_attention",
      "sliding_attention", "full_attention"]})");
  CHECK(alternating.attention_pattern == std::vector<KeySpan>{{KeySpanKind::sliding, 32}, {}});
  const ModelSpec all_sliding =
      converted(head + R"(, "layer_types": ["sliding_attention", "sliding_attention",
      "sliding_attention", "sliding_attention"]})");
  CHECK(all_sliding.attention_pattern.empty());
  CHECK(all_sliding.sliding_window == 32);
  const ModelSpec irregular = converted(head + R"(, "layer_types": ["full_attention", "sliding_attention",
      "sliding_attention", "sliding_attention"]})");
  CHECK(irregular.attention_pattern.size() == 4);  // no shorter period: one entry a layer
  CHECK_THAT(error_of(head + R"(, "layer_types": ["full_attention"]})"),
             Catch::Contains("'layer_types' has 1 entries, not one per layer (4)"));
  CHECK_THAT(error_of(head + R"(, "layer_types": ["full_attention", "linear_attention", "full_attention",
      "full_attention"]})"),
             Catch::Contains("'layer_types' holds 'linear_attention'"));
  // A window as long as the context is full attention.
  const ModelSpec wide = converted(R"({"architectures": ["Gemma3ForCausalLM"], "num_hidden_layers": 4,
      "sliding_window": 512, )" + kGemmaText +
                                   "}");
  CHECK(wide.attention_pattern.empty());
  CHECK(wide.sliding_window == 0);
}

TEST_CASE("Llama 4: text_config, NoPE layers full and the others chunked, MoE layers from moe_layers") {
  const std::string wrap = R"({"architectures": ["Llama4ForConditionalGeneration"], "text_config": {)";
  const ModelSpec m =
      converted(wrap + R"("num_hidden_layers": 8, "interleave_moe_layer_step": 2, )" + kLlama4Text + "}}");
  CHECK(m.attention_pattern ==
        std::vector<KeySpan>{
            {KeySpanKind::chunked, 64}, {KeySpanKind::chunked, 64}, {KeySpanKind::chunked, 64}, {}});
  CHECK(m.intermediate_size == 128);  // intermediate_size_mlp
  CHECK(m.moe.expert_intermediate_size == 32);
  CHECK(m.moe.shared_experts == 1);
  CHECK(m.moe.layer_step == 2);
  CHECK(m.qk_norm == QkNorm::l2);  // use_qk_norm default true; Llama4TextL2Norm has no weights
  CHECK_FALSE(m.tied_embeddings);
  // no_rope_layers given: 1 RoPE (chunked), 0 NoPE (full); moe_layers [1, 3, 5, 7] is every 2nd.
  const ModelSpec listed =
      converted(wrap + R"("num_hidden_layers": 8, "no_rope_layers": [1, 0, 1, 0, 1, 0, 1, 0],
      "moe_layers": [1, 3, 5, 7], "use_qk_norm": false, )" +
                kLlama4Text + "}}");
  CHECK(listed.attention_pattern == std::vector<KeySpan>{{KeySpanKind::chunked, 64}, {}});
  CHECK(listed.moe.layer_step == 2);
  CHECK(listed.qk_norm == QkNorm::none);
  CHECK_THAT(error_of(wrap + R"("num_hidden_layers": 8, "moe_layers": [0, 2], )" + kLlama4Text + "}}"),
             Catch::Contains("'text_config.moe_layers' places MoE layers the model format cannot express"));
  CHECK_THAT(
      error_of(wrap + kLlama4Text + "}}"),
      Catch::StartsWith("inline.json:1:70: error: missing required key 'text_config.num_hidden_layers' "
                        "(needed for Llama4ForConditionalGeneration)"));
  CHECK_THAT(error_of(R"({"architectures": ["Llama4ForConditionalGeneration"], "text_config": 3})"),
             Catch::Contains("'text_config' must be an object, got 3"));
}

TEST_CASE("gpt-oss: default layer_types, sinks, and mxfp4 experts as shipped") {
  const std::string oss =
      R"({"architectures": ["GptOssForCausalLM"], "num_hidden_layers": 4, "hidden_size": 64,
      "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "intermediate_size": 64,
      "vocab_size": 100, "max_position_embeddings": 1024, "num_local_experts": 8, "experts_per_token": 2)";
  const ModelSpec m = converted(oss + "}");
  CHECK(m.attention_pattern ==
        std::vector<KeySpan>{{KeySpanKind::sliding, 128}, {}});  // GptOssConfig defaults
  CHECK(m.attention_sinks);
  CHECK(m.linear_bias == LinearBias::all);  // attention_bias default true
  CHECK(m.moe.experts_per_token == 2);
  CHECK_FALSE(m.shipped_weights);
  const ModelSpec q = converted(oss + R"(, "quantization_config": {"quant_method": "mxfp4"}})");
  REQUIRE(q.shipped_weights);
  CHECK(q.shipped_weights->dtype == Dtype::bf16);
  REQUIRE(q.shipped_expert_weights);
  CHECK(q.shipped_expert_weights->dtype == Dtype::mxfp4);
}

TEST_CASE("quantization_config: fp8 blocks, per-tensor fp8, and a method the format does not read") {
  const std::string llama =
      R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
      "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 512)";
  // Llama has no quantization reader; DeepSeek has (the published V3 file: tests/hf/deepseek-v3.json).
  CHECK_FALSE(converted(llama + R"(, "quantization_config": {"quant_method": "fp8"}})").shipped_weights);
  const std::string oss =
      R"({"architectures": ["GptOssForCausalLM"], "num_hidden_layers": 2, "hidden_size": 64,
      "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 16, "intermediate_size": 64,
      "vocab_size": 100, "max_position_embeddings": 1024, "num_local_experts": 8, "num_experts_per_tok": 2)";
  const ModelSpec tensor = converted(oss + R"(, "quantization_config": {"quant_method": "fp8"}})");
  REQUIRE(tensor.shipped_weights);
  CHECK(tensor.shipped_weights->dtype == Dtype::fp8);
  CHECK_FALSE(tensor.shipped_weights->group_size);
  const ModelSpec block =
      converted(oss + R"(, "quantization_config": {"quant_method": "fp8", "weight_block_size": [64, 32]}})");
  CHECK(block.shipped_weights->block_rows == 64);
  CHECK(block.shipped_weights->group_size == 32);
  CHECK(block.shipped_weights->scale_bits == 32);
  CHECK_THAT(
      error_of(oss + R"(, "quantization_config": {"quant_method": "fp8", "weight_block_size": [64]}})"),
      Catch::Contains("'quantization_config.weight_block_size' must be [rows, columns]"));
  const std::string awq = yaml_of(oss + R"(, "quantization_config": {"quant_method": "awq"}})");
  CHECK(awq.find("quantization_config (quant_method 'awq') is not read") != std::string::npos);
  CHECK(awq.find("weights_as_shipped") == std::string::npos);
}

TEST_CASE("Qwen3: QK-norm, head_dim defaults to 128, MoE without a shared expert") {
  const ModelSpec m = converted(R"({"architectures": ["Qwen3MoeForCausalLM"], "hidden_size": 64,
      "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "intermediate_size": 128,
      "vocab_size": 100, "max_position_embeddings": 512, "num_experts": 8, "num_experts_per_tok": 2,
      "moe_intermediate_size": 16, "mlp_only_layers": []})");
  CHECK(m.qk_norm == QkNorm::rmsnorm);
  CHECK(m.head_dim == 128);  // Qwen3Config default, not 64 / 4
  CHECK(m.linear_bias == LinearBias::none);
  CHECK(m.moe.shared_experts == 0);
  CHECK(moe_layer_count(m) == 2);
}

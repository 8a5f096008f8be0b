// `infersim import-hf` (io/hf/hf_import.hpp). The config.json files in tests/hf/ are written from the
// published Hugging Face files (tests/hf/README.md); each converts to YAML that the shipped loader
// reads back field for field as the hand-written model_configs/*.yaml. Bad inputs name the file, the
// line and the key or architecture.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/formulas/params.hpp"
#include "io/config/config_error.hpp"
#include "io/config/model_loader.hpp"
#include "io/hf/hf_import.hpp"
#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using namespace infersim;

namespace {

std::string hf_path(const std::string& file) { return test::source_path("tests/hf/" + file); }

ModelSpec imported(const std::string& file) {
  return load_model_text(import_hf_config_file(hf_path(file)), "imported.yaml");
}

ModelSpec converted(const std::string& json) {
  return load_model_text(hf_config_to_yaml(json, {"inline.json", "inline"}), "inline.yaml");
}

std::string error_of(const std::string& json) {
  try {
    (void)hf_config_to_yaml(json, {"inline.json", "inline"});
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

std::string file_error_of(const std::string& path) {
  try {
    (void)import_hf_config_file(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

// Every ModelSpec field except name, source and description.
void check_same(const ModelSpec& a, const ModelSpec& b) {
  CHECK(a.layers == b.layers);
  CHECK(a.hidden_size == b.hidden_size);
  CHECK(a.attention_heads == b.attention_heads);
  CHECK(a.kv_heads == b.kv_heads);
  CHECK(a.head_dim == b.head_dim);
  CHECK(a.intermediate_size == b.intermediate_size);
  CHECK(a.mlp == b.mlp);
  CHECK(a.activation == b.activation);
  CHECK(a.norm == b.norm);
  CHECK(a.linear_bias == b.linear_bias);
  CHECK(a.parallel_blocks == b.parallel_blocks);
  CHECK(a.position_embedding == b.position_embedding);
  CHECK(a.vocab_size == b.vocab_size);
  CHECK(a.tied_embeddings == b.tied_embeddings);
  CHECK(a.max_context == b.max_context);
  CHECK(a.sliding_window == b.sliding_window);
  CHECK(a.attention == b.attention);
  CHECK(a.mla.q_lora_rank == b.mla.q_lora_rank);
  CHECK(a.mla.kv_lora_rank == b.mla.kv_lora_rank);
  CHECK(a.mla.qk_nope_head_dim == b.mla.qk_nope_head_dim);
  CHECK(a.mla.qk_rope_head_dim == b.mla.qk_rope_head_dim);
  CHECK(a.mla.v_head_dim == b.mla.v_head_dim);
  CHECK(a.moe.experts == b.moe.experts);
  CHECK(a.moe.experts_per_token == b.moe.experts_per_token);
  CHECK(a.moe.expert_intermediate_size == b.moe.expert_intermediate_size);
  CHECK(a.moe.shared_experts == b.moe.shared_experts);
  CHECK(a.moe.shared_expert_intermediate_size == b.moe.shared_expert_intermediate_size);
  CHECK(a.moe.shared_expert_gate == b.moe.shared_expert_gate);
  CHECK(a.moe.first_dense_layers == b.moe.first_dense_layers);
  CHECK(a.moe.layer_step == b.moe.layer_step);
  CHECK(a.moe.expert_parallel == b.moe.expert_parallel);
  CHECK(a.attention_pattern == b.attention_pattern);
  CHECK(a.qk_norm == b.qk_norm);
  CHECK(a.attention_sinks == b.attention_sinks);
  CHECK(a.shipped_weights == b.shipped_weights);
  CHECK(a.shipped_expert_weights == b.shipped_expert_weights);
}

// A scratch directory per test process (ctest runs test cases in parallel processes).
std::filesystem::path scratch_dir() {
  const auto dir = std::filesystem::temp_directory_path() / ("infersim_hf_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("The imported Llama-3-8B config loads as the shipped llama-3-8b.yaml, field by field") {
  const auto path = scratch_dir() / "llama-3-8b-imported.yaml";
  std::ofstream(path) << import_hf_config_file(hf_path("meta-llama-3-8b.json"));
  const ModelSpec from_hf = load_model(path.string());
  check_same(from_hf, load_model(test::source_path("model_configs/llama-3-8b.yaml")));
  CHECK(from_hf.source == hf_path("meta-llama-3-8b.json"));
  CHECK(from_hf.description.find("LlamaForCausalLM") != std::string::npos);
  std::filesystem::remove_all(path.parent_path());
}

TEST_CASE("Each family's config.json converts to the shipped hand-written model, field by field") {
  const std::pair<const char*, const char*> cases[] = {
      {"mistral-7b-v0.1.json", "mistral-7b.yaml"},           // MistralForCausalLM, sliding window
      {"falcon-7b.json", "falcon-7b.yaml"},                  // FalconForCausalLM, FalconConfig defaults
      {"mixtral-8x7b-v0.1.json", "mixtral-8x7b.yaml"},       // MixtralForCausalLM, MoE
      {"qwen1.5-moe-a2.7b.json", "qwen1.5-moe-a2.7b.yaml"},  // Qwen2MoeForCausalLM, gated shared expert
      {"deepseek-v3.json", "deepseek-v3.yaml"},              // DeepseekV3ForCausalLM, MLA + MoE
  };
  for (const auto& [json, yaml] : cases) {
    INFO(json);
    check_same(imported(json), load_model(test::source_path(std::string("model_configs/") + yaml)));
  }
}

// The config.json of each architecture added for per-layer attention (tests/hf/README.md) and the
// shipped model it describes.
constexpr std::pair<const char*, const char*> kLayeredCases[] = {
    {"llama-3.1-8b.json", "llama-3.1-8b"},                             // LlamaForCausalLM, rope llama3
    {"llama-3.2-1b-instruct.json", "llama-3.2-1b"},                    // tied, head_dim 64
    {"llama-4-scout-17b-16e-instruct.json", "llama-4-scout-17b-16e"},  // Llama4ForConditionalGeneration
    {"llama-4-maverick-17b-128e-instruct.json", "llama-4-maverick-17b-128e"},  // interleaved dense / MoE
    {"qwen2.5-7b-instruct.json", "qwen2.5-7b"},                                // Qwen2ForCausalLM
    {"qwen3-8b.json", "qwen3-8b"},                                             // Qwen3ForCausalLM
    {"qwen3-30b-a3b.json", "qwen3-30b-a3b"},                                   // Qwen3MoeForCausalLM
    {"qwen3-235b-a22b.json", "qwen3-235b-a22b"},
    {"gpt-oss-120b.json", "gpt-oss-120b"},  // GptOssForCausalLM
    {"gpt-oss-20b.json", "gpt-oss-20b"},
    {"gemma-3-27b-it.json", "gemma-3-27b"},  // Gemma3ForConditionalGeneration
    {"mistral-small-3.1-24b-instruct-2503.json",
     "mistral-small-3.1-24b"},  // Mistral3ForConditionalGeneration
};

TEST_CASE("Each new architecture's config.json converts to the shipped model, field by field") {
  for (const auto& [json, model] : kLayeredCases) {
    INFO(json);
    check_same(imported(json),
               load_model(test::source_path(std::string("model_configs/") + model + ".yaml")));
  }
}

TEST_CASE("Imported MoE and MLA models count the published parameters") {
  // Mixtral model card: 46,702,792,704 total, 12,879,925,248 active.
  const ModelSpec mixtral = imported("mixtral-8x7b-v0.1.json");
  CHECK(params_total(mixtral) == 46'702'792'704.0);
  CHECK(params_active(mixtral) == 12'879'925'248.0);
  // DeepSeek-V3 report: 671B total, 37B active (main model, no MTP module).
  const ModelSpec deepseek = imported("deepseek-v3.json");
  CHECK(params_total(deepseek) == Approx(671e9).epsilon(0.01));
  CHECK(params_active(deepseek) == Approx(37e9).epsilon(0.03));
  // Qwen1.5-MoE-A2.7B model card: 14.3B total, 2.7B activated.
  const ModelSpec qwen = imported("qwen1.5-moe-a2.7b.json");
  CHECK(params_total(qwen) == Approx(14.3e9).epsilon(0.005));
  CHECK(params_active(qwen) == Approx(2.7e9).epsilon(0.01));
}

TEST_CASE("GPT-NeoX (Pythia-1B) converts, its parallel blocks counting one LayerNorm of its two") {
  const ModelSpec m = imported("pythia-1b.json");
  CHECK(m.kv_heads == 8);
  CHECK(m.head_dim == 256);  // 2048 / 8
  CHECK(m.mlp == MlpKind::plain);
  CHECK(m.norm == NormKind::layernorm);
  CHECK(m.linear_bias == LinearBias::all);
  CHECK(m.parallel_blocks);
  CHECK_FALSE(m.tied_embeddings);
  // Pythia paper (Biderman et al. 2023) Table 1: 1,011,781,632 parameters. The format's parallel
  // block has one LayerNorm (2h) where GPT-NeoX keeps two: 16 layers x 2 x 2048 = 65,536 fewer.
  CHECK(params_total(m) == 1'011'781'632.0 - 65'536.0);
  const std::string yaml = import_hf_config_file(hf_path("pythia-1b.json"));
  CHECK(yaml.find("two LayerNorms") != std::string::npos);
  CHECK(yaml.find("rotary_pct 0.25") != std::string::npos);
}

TEST_CASE("Absent switches take the transformers config class defaults") {
  const std::string falcon = R"({"architectures": ["FalconForCausalLM"], "hidden_size": 64,
      "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100})";
  const ModelSpec f = converted(falcon);
  CHECK(f.kv_heads == 1);                // multi_query default true
  CHECK(f.parallel_blocks);              // parallel_attn default true
  CHECK(f.tied_embeddings);              // PretrainedConfig default true
  CHECK(f.max_context == 2048);          // max_position_embeddings default
  CHECK(f.intermediate_size == 4 * 64);  // ffn_hidden_size default
  CHECK(f.position_embedding == PositionEmbedding::rotary);
  CHECK(f.linear_bias == LinearBias::none);
  CHECK(hf_config_to_yaml(falcon, {"f.json", "f"}).find("FalconConfig default") != std::string::npos);

  const ModelSpec mha = converted(R"({"architectures": ["FalconForCausalLM"], "hidden_size": 64,
      "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100, "multi_query": false})");
  CHECK(mha.kv_heads == 4);  // num_kv_heads default num_attention_heads
  const ModelSpec big = converted(R"({"architectures": ["FalconForCausalLM"], "hidden_size": 64,
      "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 100, "new_decoder_architecture": true,
      "num_kv_heads": 2, "parallel_attn": false})");
  CHECK(big.kv_heads == 2);
  CHECK(big.parallel_blocks);  // the new architecture is always parallel

  const std::string llama =
      R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
      "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 512)";
  CHECK(converted(llama + "}").kv_heads == 4);
  CHECK(converted(llama + R"(, "attention_bias": true})").linear_bias == LinearBias::qkv);

  const ModelSpec qwen2 = converted(R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64,
      "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "intermediate_size": 128,
      "vocab_size": 100, "max_position_embeddings": 512, "tie_word_embeddings": true,
      "use_sliding_window": false, "sliding_window": 4096})");
  CHECK(qwen2.linear_bias == LinearBias::qkv);  // Qwen2Attention: q/k/v biases
  CHECK(qwen2.kv_heads == 2);
  CHECK(qwen2.tied_embeddings);
  CHECK(qwen2.sliding_window == 0);  // use_sliding_window false
  CHECK_FALSE(is_moe(qwen2));
}

TEST_CASE("Sliding windows: Mistral's default, null, and a window as long as the context") {
  const std::string mistral = R"({"architectures": ["MistralForCausalLM"], "hidden_size": 64,
      "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "intermediate_size": 128,
      "vocab_size": 100, "max_position_embeddings": 8192)";
  CHECK(converted(mistral + "}").sliding_window == 4096);  // MistralConfig default
  CHECK(converted(mistral + R"(, "sliding_window": null})").sliding_window == 0);
  CHECK(converted(mistral + R"(, "sliding_window": 8192})").sliding_window == 0);
  CHECK(converted(mistral + R"(, "sliding_window": 1024})").sliding_window == 1024);
}

TEST_CASE("DeepSeek variants: uncompressed queries and MoE layer placement") {
  const std::string lite = R"({"architectures": ["DeepseekV2ForCausalLM"], "hidden_size": 64,
      "num_attention_heads": 4, "num_hidden_layers": 5, "intermediate_size": 128, "vocab_size": 100,
      "max_position_embeddings": 512, "q_lora_rank": null, "kv_lora_rank": 16, "qk_nope_head_dim": 8,
      "qk_rope_head_dim": 4, "v_head_dim": 8, "n_routed_experts": 8, "num_experts_per_tok": 2,
      "moe_intermediate_size": 32, "n_shared_experts": 2, )";
  const ModelSpec m = converted(lite + R"("first_k_dense_replace": 1})");
  CHECK(m.attention == AttentionKind::mla);
  CHECK(m.mla.q_lora_rank == 0);
  CHECK(m.moe.shared_experts == 2);
  CHECK(m.moe.shared_expert_intermediate_size == 32);
  CHECK(moe_layer_count(m) == 4);  // layers 1-4
  // DeepSeek: MoE where i >= first_k_dense_replace and i % moe_layer_freq == 0. first 1, freq 2:
  // layers 2 and 4, which the format's (i - 1 + 1) % 2 == 0 also picks.
  CHECK(moe_layer_count(converted(lite + R"("first_k_dense_replace": 1, "moe_layer_freq": 2})")) == 2);
  // first 2, freq 2: layers 2 and 4 again, but the format would pick 3 (i - 2 + 1 = 2): refused.
  CHECK_THAT(error_of(lite + R"("first_k_dense_replace": 2, "moe_layer_freq": 2})"),
             Catch::Contains("'moe_layer_freq' 2 with 'first_k_dense_replace' 2"));
}

TEST_CASE("Bad config.json files name the file, the position and what is wrong") {
  const std::string missing = hf_path("bad/missing_num_hidden_layers.json");
  CHECK_THAT(file_error_of(missing),
             Catch::StartsWith(missing + ":1:1: error: missing required key 'num_hidden_layers' (needed for "
                                         "LlamaForCausalLM)"));
  const std::string unknown = hf_path("bad/unknown_architecture.json");
  CHECK_THAT(file_error_of(unknown),
             Catch::StartsWith(unknown + ":3:20: error: unknown architecture "
                                         "'GPT2LMHeadModel' (infersim import-hf knows "
                                         "LlamaForCausalLM, "));
  const std::string yaml = hf_path("bad/not_json.json");
  CHECK_THAT(file_error_of(yaml), Catch::StartsWith(yaml + ":1:1: error: invalid JSON: syntax error"));
  const std::string truncated = hf_path("bad/truncated.json");
  CHECK_THAT(file_error_of(truncated),
             Catch::StartsWith(truncated + ":") && Catch::Contains("error: invalid JSON"));
  CHECK_THAT(file_error_of(hf_path("bad/no_such_file.json")), Catch::EndsWith(": error: no such file"));
}

TEST_CASE("Only strict JSON imports: each defect a JSON parser refuses is an error at its position") {
  const std::pair<const char*, const char*> bad[] = {
      {"bad/trailing_comma.json", ":27:1: error: invalid JSON: syntax error while parsing object key"},
      {"bad/concatenated_objects.json",
       ":28:1: error: invalid JSON: syntax error while parsing value - "
       "unexpected '{'; expected end of input"},
      {"bad/single_quotes.json", ":9:3: error: invalid JSON: syntax error while parsing object key"},
      {"bad/yaml_tag.json", ":10:18: error: invalid JSON: syntax error while parsing value"},
      {"bad/duplicate_key.json",
       ":17:3: error: duplicate key 'num_hidden_layers' (first at line 16, column "
       "3): a key may appear once in an object"},
  };
  for (const auto& [file, message] : bad) {
    const std::string path = hf_path(file);
    CHECK_THAT(file_error_of(path), Catch::StartsWith(path + message));
  }
  // Inline: bare keys, comments, a scalar or list at the top, a duplicate in a nested object, nesting.
  CHECK_THAT(error_of("{architectures: []}"), Catch::StartsWith("inline.json:1:2: error: invalid JSON"));
  CHECK_THAT(error_of("{\"a\": 1} // comment"), Catch::StartsWith("inline.json:1:10: error: invalid JSON"));
  CHECK_THAT(error_of("[1, 2]"), Catch::StartsWith("inline.json:1:1: error: not a JSON object"));
  CHECK_THAT(error_of("\n  \"x\""), Catch::StartsWith("inline.json:2:3: error: not a JSON object"));
  CHECK_THAT(error_of("{\"rope_scaling\": {\"type\": \"a\", \"type\": \"b\"}}"),
             Catch::StartsWith("inline.json:1:32: error: duplicate key 'type' (first at line 1, column 19)"));
  CHECK_THAT(error_of("{\"a\": 1, \"b\": {\"a\": 2}}"),
             Catch::Contains("missing required key 'architectures'"));
  CHECK_THAT(error_of("{\"a\":" + std::string(70, '[') + std::string(70, ']') + "}"),
             Catch::Contains("nesting deeper than 64 levels"));
  CHECK_THAT(error_of(""), Catch::StartsWith("inline.json:1:1: error: invalid JSON"));
}

TEST_CASE("Positions of values after escaped quotes, and a leading byte order mark is skipped") {
  const std::string head =
      R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
  "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 512, "note": "a \"q\" \\",
  "num_hidden_layers": "2"})";
  CHECK_THAT(error_of(head), Catch::StartsWith("inline.json:3:24: error: 'num_hidden_layers' must be"));
  CHECK_THAT(error_of("\xEF\xBB\xBF" + head), Catch::StartsWith("inline.json:3:24: error:"));
  const std::string bom = hf_path("meta-llama-3-8b-bom.json");
  REQUIRE(test::read_file(bom).rfind("\xEF\xBB\xBF{", 0) == 0);
  check_same(imported("meta-llama-3-8b-bom.json"), imported("meta-llama-3-8b.json"));
}

TEST_CASE("Values of the wrong type or out of the format's reach are errors naming the key") {
  const std::string head =
      R"({"architectures": ["Qwen2ForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
      "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 512, )";
  CHECK_THAT(error_of(head + R"("num_hidden_layers": "2"})"),
             Catch::Contains("'num_hidden_layers' must be an integer in [1, 1000000000], got \"2\""));
  CHECK_THAT(error_of(head + R"("num_hidden_layers": 2.5})"), Catch::Contains("got 2.5"));
  CHECK_THAT(error_of(head + R"("num_hidden_layers": null})"),
             Catch::Contains("missing required key 'num_hidden_layers'"));
  CHECK_THAT(error_of(head + R"("num_hidden_layers": 2, "use_sliding_window": true})"),
             Catch::Contains("'use_sliding_window' true"));
  CHECK_THAT(error_of(head + R"("num_hidden_layers": 2, "hidden_act": "tanh"})"),
             Catch::Contains("'hidden_act' is 'tanh'"));
  CHECK_THAT(error_of(head + R"("num_hidden_layers": 2, "num_key_value_heads": 3})"),
             Catch::StartsWith(
                 "inline.json: error: converts to a model infersim cannot load: 'kv_heads' (3) must divide"));
  const std::string moe =
      R"({"architectures": ["Qwen2MoeForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
      "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 512,
      "num_experts": 4, "num_experts_per_tok": 2, "moe_intermediate_size": 32, "mlp_only_layers": [1]})";
  CHECK_THAT(error_of(moe), Catch::Contains("'mlp_only_layers'"));
  CHECK_THAT(error_of(R"({"model_type": "gpt2"})"), Catch::Contains("unknown architecture 'gpt2'"));
  CHECK_THAT(error_of("{}"), Catch::Contains("missing required key 'architectures'"));
}

TEST_CASE("The source path is quoted so that any file name survives the round trip") {
  const std::string json =
      R"({"architectures": ["LlamaForCausalLM"], "hidden_size": 64, "num_attention_heads": 4,
      "num_hidden_layers": 2, "intermediate_size": 128, "vocab_size": 100, "max_position_embeddings": 512})";
  const std::string odd = "dir with \"quotes\"\\and # hash/config.json";
  const ModelSpec m = load_model_text(hf_config_to_yaml(json, {odd, "odd: name"}), "odd.yaml");
  CHECK(m.source == odd);
  CHECK(m.description.rfind("odd: name (LlamaForCausalLM", 0) == 0);
}

namespace {

using infersim::test::Run;

Run run(const std::string& args) { return infersim::test::run_infersim(args); }

std::string without_model_line(const std::string& json) {
  std::istringstream lines(json);
  std::string line, kept;
  while (std::getline(lines, line)) {
    if (line.find("\"model\"") == std::string::npos) kept += line + "\n";
  }
  return kept;
}

}  // namespace

TEST_CASE("infersim import-hf: stdout, -o, and the same estimate as the shipped Llama-3-8B") {
  const Run to_stdout = run("import-hf " + hf_path("mixtral-8x7b-v0.1.json"));
  REQUIRE(to_stdout.exit_code == 0);
  CHECK(to_stdout.out.find("\nmoe:\n  experts: 8") != std::string::npos);

  const auto dir = scratch_dir();
  const std::string out = (dir / "llama3.yaml").string();
  const Run written = run("import-hf " + hf_path("meta-llama-3-8b.json") + " -o " + out);
  REQUIRE(written.exit_code == 0);
  CHECK(written.out.empty());
  CHECK(load_model(out).description.rfind("llama3 (LlamaForCausalLM", 0) == 0);  // named after -o
  const std::string args = " -g h100-sxm -b 8 --input 2048 --output 256 --format json";
  const Run mine = run("--config-dir " + test::source_path("") + " estimate -m " + out + args);
  const Run shipped = run("--config-dir " + test::source_path("") + " estimate -m llama-3-8b" + args);
  REQUIRE(mine.exit_code == 0);
  REQUIRE(shipped.exit_code == 0);
  CHECK(without_model_line(mine.out) == without_model_line(shipped.out));
  std::filesystem::remove_all(dir);
}

TEST_CASE("infersim import-hf of each new architecture gives the shipped model's estimate") {
  const auto dir = scratch_dir();
  const std::string data = "--config-dir " + test::source_path("") + " estimate -m ";
  const std::string args = " -g h200-sxm -b 8 --input 2048 --output 256 --format json";
  for (const auto& [json, model] : kLayeredCases) {
    INFO(json);
    const std::string out = (dir / (std::string(model) + ".yaml")).string();
    REQUIRE(run("import-hf " + hf_path(json) + " -o " + out).exit_code == 0);
    const Run mine = run(data + out + args);
    const Run shipped = run(data + model + args);
    REQUIRE(mine.exit_code == 0);
    REQUIRE(shipped.exit_code == 0);
    CHECK(without_model_line(mine.out) == without_model_line(shipped.out));
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("infersim import-hf: bad input exits 2, and -o never replaces the config.json") {
  const auto dir = scratch_dir();
  const std::string copy = (dir / "config.json").string();
  std::filesystem::copy_file(hf_path("falcon-7b.json"), copy,
                             std::filesystem::copy_options::overwrite_existing);
  const Run same = run("import-hf " + copy + " -o " + copy);
  CHECK(same.exit_code == 2);
  CHECK(same.err.find("output '" + copy + "' is the input configuration file '" + copy + "'") !=
        std::string::npos);
  std::stringstream kept;
  kept << std::ifstream(copy).rdbuf();
  CHECK(kept.str().find("\"FalconForCausalLM\"") != std::string::npos);

  const Run unknown =
      run("import-hf " + hf_path("bad/unknown_architecture.json") + " -o " + (dir / "x.yaml").string());
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown architecture 'GPT2LMHeadModel'") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "x.yaml"));
  CHECK(run("import-hf").exit_code == 2);  // CONFIG is required
  std::filesystem::remove_all(dir);
}

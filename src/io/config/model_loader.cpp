#include "io/config/model_loader.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "io/config/model_loader_parts.hpp"
#include "io/config/yaml_map.hpp"

namespace infersim {

namespace {

// Plausibility bounds: far above any published model, low enough to catch a typo or a unit slip.
constexpr long long kMaxLayers = 10'000;
constexpr long long kMaxWidth = 1'000'000;
constexpr long long kMaxHeads = 100'000;
constexpr long long kMaxVocab = 100'000'000;
constexpr long long kMaxContext = 1'000'000'000;
// Heads x per-head width stays far inside int (the core multiplies them as int): 10^8, ~100x DeepSeek-V3.
constexpr long long kMaxHeadsTimesWidth = 100'000'000;

void check_head_product(const YamlMap& y, std::string_view key, std::string_view label, long long heads,
                        long long width) {
  if (heads * width > kMaxHeadsTimesWidth) {
    throw ConfigError(y.file(), y.mark(key),
                      fmt::format("'attention_heads' x '{}' must be at most {}, got {} x {}", label,
                                  kMaxHeadsTimesWidth, heads, width));
  }
}

void read_shape(YamlMap& y, ModelSpec& m) {
  m.layers = static_cast<int>(y.integer("layers", 1, kMaxLayers));
  m.hidden_size = static_cast<int>(y.integer("hidden_size", 1, kMaxWidth));
  m.attention_heads = static_cast<int>(y.integer("attention_heads", 1, kMaxHeads));
  m.kv_heads = static_cast<int>(y.integer("kv_heads", 1, m.attention_heads));
  if (m.attention_heads % m.kv_heads != 0) {
    throw ConfigError(
        y.file(), y.mark("kv_heads"),
        fmt::format("'kv_heads' ({}) must divide 'attention_heads' ({})", m.kv_heads, m.attention_heads));
  }
  if (auto head_dim = y.optional_integer("head_dim", 1, kMaxWidth)) {
    m.head_dim = static_cast<int>(*head_dim);
  } else if (m.hidden_size % m.attention_heads != 0) {
    throw ConfigError(y.file(), y.mark("attention_heads"),
                      fmt::format("'attention_heads' ({}) must divide 'hidden_size' ({}) when "
                                  "'head_dim' is not given",
                                  m.attention_heads, m.hidden_size));
  } else {
    m.head_dim = m.hidden_size / m.attention_heads;
  }
  check_head_product(y, "head_dim", "head_dim", m.attention_heads, m.head_dim);
  m.intermediate_size = static_cast<int>(y.integer("intermediate_size", 1, 10 * kMaxWidth));
  m.vocab_size = static_cast<int>(y.integer("vocab_size", 1, kMaxVocab));
  m.max_context = y.integer("max_context", 1, kMaxContext);
  m.sliding_window = y.optional_integer("sliding_window", 1, m.max_context).value_or(0);
}

void read_architecture(YamlMap& y, ModelSpec& m) {
  m.mlp = static_cast<MlpKind>(y.choice("mlp", {"gated", "plain"}));
  m.activation = static_cast<Activation>(y.choice("activation", {"silu", "gelu", "relu"}));
  m.norm = static_cast<NormKind>(y.choice("norm", {"rmsnorm", "layernorm"}));
  m.linear_bias = static_cast<LinearBias>(y.choice("linear_bias", {"none", "qkv", "all"}));
  m.parallel_blocks = y.boolean("parallel_blocks");
  m.position_embedding =
      static_cast<PositionEmbedding>(y.choice("position_embedding", {"rotary", "learned", "alibi"}));
  m.tied_embeddings = y.boolean("tied_embeddings");
}

void read_mla(YamlMap& y, ModelSpec& m) {
  m.attention =
      static_cast<AttentionKind>(y.has("attention") ? y.choice("attention", {"standard", "mla"}) : 0);
  if (m.attention != AttentionKind::mla) {
    if (y.has("mla")) throw ConfigError(y.file(), y.mark("mla"), "'mla' is given but 'attention' is not mla");
    return;
  }
  YamlMap a =
      y.mapping("mla", {"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"});
  m.mla.q_lora_rank = static_cast<int>(a.has("q_lora_rank") ? a.integer("q_lora_rank", 0, kMaxWidth) : 0);
  m.mla.kv_lora_rank = static_cast<int>(a.integer("kv_lora_rank", 1, kMaxWidth));
  m.mla.qk_nope_head_dim = static_cast<int>(a.integer("qk_nope_head_dim", 1, kMaxWidth));
  m.mla.qk_rope_head_dim = static_cast<int>(a.integer("qk_rope_head_dim", 1, kMaxWidth));
  m.mla.v_head_dim = static_cast<int>(a.integer("v_head_dim", 1, kMaxWidth));
  for (std::string_view key : {"qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"}) {
    check_head_product(a, key, "mla." + std::string(key), m.attention_heads, a.integer(key, 1, kMaxWidth));
  }
}

void read_moe(YamlMap& y, ModelSpec& m) {
  if (!y.has("moe")) return;
  YamlMap e = y.mapping(
      "moe", {"experts", "experts_per_token", "expert_intermediate_size", "shared_experts",
              "shared_expert_intermediate_size", "shared_expert_gate", "first_dense_layers", "layer_step"});
  MoeSpec& moe = m.moe;
  moe.experts = static_cast<int>(e.integer("experts", 1, kMaxHeads));
  moe.experts_per_token = static_cast<int>(e.integer("experts_per_token", 1, moe.experts));
  moe.expert_intermediate_size = static_cast<int>(e.integer("expert_intermediate_size", 1, 10 * kMaxWidth));
  moe.shared_experts =
      static_cast<int>(e.has("shared_experts") ? e.integer("shared_experts", 0, kMaxHeads) : 0);
  if (moe.shared_experts > 0) {
    moe.shared_expert_intermediate_size =
        static_cast<int>(e.integer("shared_expert_intermediate_size", 1, 10 * kMaxWidth));
  } else if (e.has("shared_expert_intermediate_size")) {
    throw ConfigError(y.file(), e.mark("shared_expert_intermediate_size"),
                      "'moe.shared_expert_intermediate_size' is given but 'moe.shared_experts' is 0");
  }
  moe.shared_expert_gate = e.has("shared_expert_gate") && e.boolean("shared_expert_gate");
  moe.first_dense_layers =
      static_cast<int>(e.has("first_dense_layers") ? e.integer("first_dense_layers", 0, m.layers - 1) : 0);
  moe.layer_step = static_cast<int>(e.has("layer_step") ? e.integer("layer_step", 1, m.layers) : 1);
}

}  // namespace

ModelSpec load_model(const std::string& path) { return load_model_text(read_config_file(path), path); }

ModelSpec load_model_text(const std::string& text, const std::string& path) {
  YamlMap y(parse_yaml_mapping(text, path), path, "",
            {"source",
             "description",
             "layers",
             "hidden_size",
             "attention_heads",
             "kv_heads",
             "head_dim",
             "intermediate_size",
             "mlp",
             "activation",
             "norm",
             "linear_bias",
             "parallel_blocks",
             "position_embedding",
             "vocab_size",
             "tied_embeddings",
             "max_context",
             "sliding_window",
             "attention_pattern",
             "qk_norm",
             "attention_sinks",
             "attention",
             "mla",
             "moe",
             "weights_as_shipped"});
  ModelSpec m;
  m.name = std::filesystem::path(path).stem().string();
  m.source = y.text("source");
  m.description = y.text("description");
  read_shape(y, m);
  read_architecture(y, m);
  read_layer_attention(y, m);
  read_mla(y, m);
  read_moe(y, m);
  read_weights_as_shipped(y, m);
  return m;
}

}  // namespace infersim

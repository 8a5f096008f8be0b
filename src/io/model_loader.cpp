#include "io/model_loader.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "io/yaml_map.hpp"

namespace infersim {

namespace {

// Plausibility bounds: far above any published model, low enough to catch a typo or a unit slip.
constexpr long long kMaxLayers = 10'000;
constexpr long long kMaxWidth = 1'000'000;
constexpr long long kMaxHeads = 100'000;
constexpr long long kMaxVocab = 100'000'000;
constexpr long long kMaxContext = 1'000'000'000;

void read_shape(YamlMap& y, ModelSpec& m) {
  m.layers = static_cast<int>(y.integer("layers", 1, kMaxLayers));
  m.hidden_size = static_cast<int>(y.integer("hidden_size", 1, kMaxWidth));
  m.attention_heads = static_cast<int>(y.integer("attention_heads", 1, kMaxHeads));
  m.kv_heads = static_cast<int>(y.integer("kv_heads", 1, m.attention_heads));
  if (m.attention_heads % m.kv_heads != 0) {
    throw ConfigError(y.file(), y.mark("kv_heads"), fmt::format("'kv_heads' ({}) must divide 'attention_heads' ({})",
                                                      m.kv_heads, m.attention_heads));
  }
  if (auto head_dim = y.optional_integer("head_dim", 1, kMaxWidth)) {
    m.head_dim = static_cast<int>(*head_dim);
  } else if (m.hidden_size % m.attention_heads != 0) {
    throw ConfigError(y.file(), y.mark("attention_heads"), fmt::format("'attention_heads' ({}) must divide 'hidden_size' ({}) when "
                                                      "'head_dim' is not given", m.attention_heads, m.hidden_size));
  } else {
    m.head_dim = m.hidden_size / m.attention_heads;
  }
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
  m.position_embedding = static_cast<PositionEmbedding>(y.choice("position_embedding", {"rotary", "learned", "alibi"}));
  m.tied_embeddings = y.boolean("tied_embeddings");
}

}  // namespace

ModelSpec load_model(const std::string& path) {
  YamlMap y(load_yaml_mapping(path), path, "",
            {"source", "description", "layers", "hidden_size", "attention_heads", "kv_heads", "head_dim",
             "intermediate_size", "mlp", "activation", "norm", "linear_bias", "parallel_blocks",
             "position_embedding", "vocab_size", "tied_embeddings", "max_context", "sliding_window"});
  ModelSpec m;
  m.name = std::filesystem::path(path).stem().string();
  m.source = y.text("source");
  m.description = y.text("description");
  read_shape(y, m);
  read_architecture(y, m);
  return m;
}

}  // namespace infersim

#pragma once
// A decoder-only transformer as plain data, filled and validated by io/model_loader.
// Sizes are counts (layers, heads, elements); nothing here has a physical unit.
#include <string>

namespace infersim {

enum class MlpKind { gated, plain };         // gated: gate, up, down (SwiGLU); plain: up, down
enum class Activation { silu, gelu, relu };
enum class NormKind { rmsnorm, layernorm };
enum class LinearBias { none, qkv, all };
enum class PositionEmbedding { rotary, learned, alibi };

struct ModelSpec {
  std::string name;         // file stem, e.g. "llama-2-7b"
  std::string description;  // one line
  std::string source;       // the published config it came from
  int layers = 0;
  int hidden_size = 0;
  int attention_heads = 0;
  int kv_heads = 0;
  int head_dim = 0;  // resolved: hidden_size / attention_heads when the file leaves it out
  int intermediate_size = 0;
  MlpKind mlp = MlpKind::gated;
  Activation activation = Activation::silu;
  NormKind norm = NormKind::rmsnorm;
  LinearBias linear_bias = LinearBias::none;
  bool parallel_blocks = false;  // attention and MLP share one norm and one residual add (Falcon)
  PositionEmbedding position_embedding = PositionEmbedding::rotary;
  int vocab_size = 0;
  bool tied_embeddings = false;
  long long max_context = 0;
  long long sliding_window = 0;  // 0: full attention
};

[[nodiscard]] constexpr int q_width(const ModelSpec& m) { return m.attention_heads * m.head_dim; }
[[nodiscard]] constexpr int kv_width(const ModelSpec& m) { return m.kv_heads * m.head_dim; }

}  // namespace infersim

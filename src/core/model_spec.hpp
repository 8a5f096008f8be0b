#pragma once
// A decoder-only transformer as plain data, filled and validated by io/model_loader.
// Sizes are counts (layers, heads, elements); nothing here has a physical unit.
#include <optional>
#include <string>
#include <vector>

#include "core/dtype.hpp"
#include "core/key_span.hpp"

namespace infersim {

enum class MlpKind { gated, plain };  // gated: gate, up, down (SwiGLU); plain: up, down
enum class Activation { silu, gelu, relu };
enum class NormKind { rmsnorm, layernorm };
enum class LinearBias { none, qkv, all };
enum class PositionEmbedding { rotary, learned, alibi };
enum class AttentionKind { standard, mla };
// A norm over each head's query and key before attention: none; an RMSNorm with a learned scale of
// head_dim each for q and k (Qwen3, Gemma 3); an L2 norm without weights (Llama 4's Llama4TextL2Norm).
enum class QkNorm { none, rmsnorm, l2 };

// Multi-head latent attention (DeepSeek-V2 paper, 2024, §2.1): low-rank query and key/value
// projections; the cache holds the kv latent plus one decoupled rotary key per token and layer.
struct MlaSpec {
  int q_lora_rank = 0;  // 0: queries are not compressed
  int kv_lora_rank = 0;
  int qk_nope_head_dim = 0;
  int qk_rope_head_dim = 0;
  int v_head_dim = 0;
  friend bool operator==(const MlaSpec&, const MlaSpec&) = default;
};

// Mixture-of-Experts MLP (Shazeer et al. 2017; Mixtral, Jiang et al. 2024; DeepSeek-V3 report 2024).
struct MoeSpec {
  int experts = 0;  // routed experts; 0: every MLP is dense
  int experts_per_token = 0;
  int expert_intermediate_size = 0;
  int shared_experts = 0;
  int shared_expert_intermediate_size = 0;  // per shared expert
  bool shared_expert_gate = false;          // Qwen2-MoE: sigmoid gate, hidden_size parameters
  int first_dense_layers = 0;
  int layer_step = 1;
  int expert_parallel = 1;  // in a device shard: the ways experts are split (experts holds the local ones)
  friend bool operator==(const MoeSpec&, const MoeSpec&) = default;
};

// A weight storage format as a published checkpoint ships it: the dtype, and its scale layout where it
// is not the dtype's default (core/formulas/quant.hpp). io/config/scenario_text composes the scenario's
// StorageFormat from it when no --weights is given.
struct ShippedFormat {
  Dtype dtype = Dtype::bf16;
  std::optional<int> group_size;  // inputs sharing one scale (--group-size)
  std::optional<int> scale_bits;  // bits of one scale (--scale-dtype)
  int block_rows = 1;             // output rows sharing that scale too (DeepSeek-V3: 128 x 128 blocks)
  friend bool operator==(const ShippedFormat&, const ShippedFormat&) = default;
};

// Routed experts of the whole model (a shard holds experts / expert_parallel of them).
[[nodiscard]] constexpr int global_experts(const MoeSpec& e) { return e.experts * e.expert_parallel; }

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
  long long sliding_window = 0;  // 0: full attention; every layer (attention_pattern empty)
  // Per-layer attention, repeating from layer 0: layer i attends with attention_pattern[i % size]
  // (Gemma 3: five sliding-1024 layers, then one full). Empty: every layer as sliding_window says. A
  // pipeline stage's shard holds the pattern rotated to its first layer (core/layout.hpp).
  std::vector<KeySpan> attention_pattern;
  QkNorm qk_norm = QkNorm::none;  // a norm over each head's query and key (Qwen3, Gemma 3, Llama 4)
  bool attention_sinks = false;   // one learned logit per head in the softmax's denominator (gpt-oss)
  AttentionKind attention = AttentionKind::standard;
  MlaSpec mla;
  MoeSpec moe;
  // The checkpoint's storage formats (weights_as_shipped), used when the scenario names none: every
  // matrix the weight format applies to, and the routed experts' where they differ (gpt-oss: mxfp4).
  std::optional<ShippedFormat> shipped_weights;
  std::optional<ShippedFormat> shipped_expert_weights;
  // Every field (no floating-point ones: equal values are equal bits).
  friend bool operator==(const ModelSpec&, const ModelSpec&) = default;
};

[[nodiscard]] constexpr bool is_moe(const ModelSpec& m) { return m.moe.experts > 0; }

// Layers whose MLP is a Mixture-of-Experts: i >= first_dense_layers and (i - first_dense_layers + 1)
// a multiple of layer_step (Qwen2-MoE's decoder_sparse_step; DeepSeek-V3's first_k_dense_replace).
[[nodiscard]] constexpr int moe_layer_count(const ModelSpec& m) {
  if (!is_moe(m) || m.layers <= m.moe.first_dense_layers) return 0;
  return (m.layers - m.moe.first_dense_layers) / m.moe.layer_step;
}
[[nodiscard]] constexpr int dense_layer_count(const ModelSpec& m) { return m.layers - moe_layer_count(m); }

// The key span of layer i (0-based, of this spec's layers).
[[nodiscard]] inline KeySpan layer_key_span(const ModelSpec& m, int i) {
  if (m.attention_pattern.empty()) {
    if (m.sliding_window > 0) return {KeySpanKind::sliding, m.sliding_window};
    return {};
  }
  return m.attention_pattern[static_cast<std::size_t>(i) % m.attention_pattern.size()];
}

// The spans of the model's layers 0..layers-1, grouped by span in order of first appearance. Throws
// InputError past kMaxSpanGroups distinct spans (the loader refuses such a pattern first).
[[nodiscard]] SpanGroups span_groups(const ModelSpec& m);

// The model as StreamingLLM runs it with a cache of `cache_tokens` = S + W tokens a sequence: every
// layer's span as streaming_span gives it (core/key_span.hpp). Throws InputError where a chunked layer's
// chunk is longer than the cache (why_invalid names it first).
[[nodiscard]] ModelSpec streaming_model(const ModelSpec& m, long long cache_tokens);

[[nodiscard]] constexpr int q_width(const ModelSpec& m) { return m.attention_heads * m.head_dim; }
[[nodiscard]] constexpr int kv_width(const ModelSpec& m) { return m.kv_heads * m.head_dim; }

}  // namespace infersim

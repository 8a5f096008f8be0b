// The parallel-block families: Falcon (transformers FalconConfig / FalconAttention) and GPT-NeoX
// (GPTNeoXConfig). Both use LayerNorm, a plain GELU MLP and, usually, attention and MLP side by side.
#include <fmt/format.h>

#include "io/hf/hf_read.hpp"

namespace infersim::hf {

namespace {

// FalconAttention: K/V heads are num_kv_heads with new_decoder_architecture or without multi_query,
// else 1 (multi-query); FalconConfig defaults num_kv_heads to num_attention_heads.
void read_falcon_kv_heads(const HfConfig& c, HfModel& m, bool new_architecture) {
  ModelSpec& s = m.spec;
  if (!new_architecture && c.flag("multi_query", true)) {
    s.kv_heads = 1;
    record(m, "kv_heads",
           c.has("multi_query") ? "multi_query true: one K/V head"
                                : "multi_query absent: FalconConfig default true, one K/V head");
  } else if (c.has("num_kv_heads")) {
    s.kv_heads = take(c, m, "kv_heads", "num_kv_heads");
  } else {
    s.kv_heads = s.attention_heads;
    record(m, "kv_heads", "num_kv_heads absent: FalconConfig default num_attention_heads");
  }
}

// new_decoder_architecture (Falcon-40B/180B) always runs attention and MLP in parallel, each behind
// its own LayerNorm unless num_ln_in_parallel_attn is 1; the older layout shares one (parallel_attn).
void read_falcon_blocks(const HfConfig& c, HfModel& m, bool new_architecture) {
  if (!new_architecture) {
    m.spec.parallel_blocks = take_flag(c, m, "parallel_blocks", "parallel_attn", true,
                                       "parallel_attn absent: FalconConfig default true");
    return;
  }
  m.spec.parallel_blocks = true;
  record(m, "parallel_blocks", "new_decoder_architecture true: attention and MLP in parallel");
  if (c.optional_integer("num_ln_in_parallel_attn").value_or(2) == 2) {
    m.notes.push_back(
        "Falcon's new decoder architecture has two LayerNorms a layer (ln_attn, ln_mlp); "
        "parallel_blocks counts one, 2 x hidden_size parameters a layer fewer.");
  }
}

}  // namespace

void read_falcon(const HfConfig& c, HfModel& m) {
  ModelSpec& s = m.spec;
  s.layers = take(c, m, "layers", "num_hidden_layers");
  s.hidden_size = take(c, m, "hidden_size", "hidden_size", 1, HfConfig::kMaxCount / 4);  // 4 x it: an int
  s.attention_heads = take(c, m, "attention_heads", "num_attention_heads");
  s.vocab_size = take(c, m, "vocab_size", "vocab_size");
  const bool new_architecture = c.flag("new_decoder_architecture", false);
  read_falcon_kv_heads(c, m, new_architecture);
  s.head_dim = s.hidden_size / s.attention_heads;  // FalconConfig.head_dim rounds down
  if (s.hidden_size % s.attention_heads != 0) record(m, "head_dim", "hidden_size // num_attention_heads");
  if (c.has("ffn_hidden_size")) {
    s.intermediate_size = take(c, m, "intermediate_size", "ffn_hidden_size");
  } else {
    s.intermediate_size = 4 * s.hidden_size;
    record(m, "intermediate_size", "ffn_hidden_size absent: FalconConfig default 4 * hidden_size");
  }
  s.mlp = MlpKind::plain;
  record(m, "mlp", "FalconMLP: dense_h_to_4h, dense_4h_to_h");
  s.activation = take_activation(c, m, "activation", "gelu");
  s.norm = NormKind::layernorm;
  record(m, "norm", "LayerNorm (layer_norm_epsilon)");
  s.linear_bias = take_flag(c, m, "linear_bias", "bias", false, "bias absent: FalconConfig default false")
                      ? LinearBias::all
                      : LinearBias::none;
  read_falcon_blocks(c, m, new_architecture);
  s.position_embedding =
      take_flag(c, m, "position_embedding", "alibi", false, "alibi absent: FalconConfig default false, RoPE")
          ? PositionEmbedding::alibi
          : PositionEmbedding::rotary;
  s.tied_embeddings =
      take_flag(c, m, "tied_embeddings", "tie_word_embeddings", true,
                "tie_word_embeddings absent: transformers default true (lm_head = word_embeddings)");
  if (c.has("max_position_embeddings")) {
    s.max_context = take(c, m, "max_context", "max_position_embeddings");
  } else {
    s.max_context = 2048;
    record(m, "max_context", "max_position_embeddings absent: FalconConfig default 2048");
  }
}

void read_gpt_neox(const HfConfig& c, HfModel& m) {
  ModelSpec& s = m.spec;
  s.layers = take(c, m, "layers", "num_hidden_layers");
  s.hidden_size = take(c, m, "hidden_size", "hidden_size");
  s.attention_heads = take(c, m, "attention_heads", "num_attention_heads");
  s.kv_heads = s.attention_heads;
  record(m, "kv_heads", "GPT-NeoX attention is multi-head: = num_attention_heads");
  take_head_dim(c, m);
  s.intermediate_size = take(c, m, "intermediate_size", "intermediate_size");
  s.vocab_size = take(c, m, "vocab_size", "vocab_size");
  s.max_context = take(c, m, "max_context", "max_position_embeddings");
  s.mlp = MlpKind::plain;
  record(m, "mlp", "GPTNeoXMLP: dense_h_to_4h, dense_4h_to_h");
  s.activation = take_activation(c, m, "hidden_act", "gelu");
  s.norm = NormKind::layernorm;
  record(m, "norm", "LayerNorm (layer_norm_eps)");
  s.linear_bias = LinearBias::all;
  record(m, "linear_bias", "query_key_value, dense and both MLP matrices have biases");
  if (!c.flag("attention_bias", true))
    m.notes.push_back("attention_bias false: 'all' also counts attention biases.");
  s.parallel_blocks = take_flag(c, m, "parallel_blocks", "use_parallel_residual", true,
                                "use_parallel_residual absent: GPTNeoXConfig default true");
  if (s.parallel_blocks) {
    m.notes.push_back(
        "GPT-NeoX's parallel blocks keep two LayerNorms a layer (input_layernorm, "
        "post_attention_layernorm); parallel_blocks counts one, 2 x hidden_size parameters a layer fewer.");
  }
  s.position_embedding = PositionEmbedding::rotary;
  record(m, "position_embedding", "RoPE (rotary_emb_base)");
  const double rotary_pct = c.optional_real("rotary_pct").value_or(0.25);
  if (rotary_pct < 1.0) {
    m.notes.push_back(
        fmt::format("rotary_pct {}: RoPE turns part of each head; the rotary operator is counted "
                    "over whole heads (a small elementwise overcount).",
                    rotary_pct));
  }
  s.tied_embeddings = take_flag(c, m, "tied_embeddings", "tie_word_embeddings", false,
                                "tie_word_embeddings absent: GPTNeoXConfig default false");
}

}  // namespace infersim::hf

#pragma once
// A whole decoder forward pass on the reference CPU kernels (the validation suite): a Llama-style model built
// from a core ModelSpec with deterministic random fp32 weights, batch 1. Prefill runs a prompt from an empty
// KV cache and fills it; decode runs one token against the cache. Per layer: RMSNorm, fused QKV projection,
// RoPE, causal attention (ref::attention_prefill / ref::attention_decode), output projection, residual,
// RMSNorm, SiLU-gated MLP, residual; then the final norm and the LM head on the last position. Every
// projection is ref::linear on an nn.Linear-layout weight: an OpenBLAS GEMM in prefill, a GEMV (the gemv
// suite family) in decode. Only what it implements is accepted: check_supported() refuses the rest rather
// than run something else under the model's name.
#include <cstdint>
#include <vector>

#include "core/model_spec.hpp"
#include "ref/base/work_counts.hpp"
#include "ref/cpu/aligned.hpp"

namespace infersim::ref {

// RoPE base. ModelSpec carries none and the timing does not depend on it; Llama 2's value
// (Touvron et al. 2023, 10000 as in Su et al. 2021).
inline constexpr double kRopeTheta = 10000.0;
inline constexpr float kNormEps = 1e-5f;

// Throws std::invalid_argument naming the first feature of `m` this decoder does not implement. It
// implements: RMSNorm, rotary positions, a SiLU-gated dense MLP, sequential pre-norm blocks, standard
// MHA / GQA / MQA attention over the full context, no linear biases, an even head_dim.
void check_supported(const ModelSpec& m);

// Rotary embedding in place, rotate-half form (GPT-NeoX, Hugging Face Llama): in each of `heads`
// heads of head_dim values, the pair (x_i, x_{i+head_dim/2}), i < head_dim/2, turns by the angle
// pos * theta^(-2i/head_dim) (Su et al. 2021, RoFormer, eq. 34).
void apply_rope(float* x, int heads, int head_dim, int pos, double theta);

struct LayerWeights {
  Floats attn_norm;  // [h]
  Floats qkv;        // [(q_width + 2 kv_width) x h], nn.Linear layout: Q rows, K rows, V rows
  Floats o;          // [h x q_width], nn.Linear layout
  Floats mlp_norm;   // [h]
  Floats gate_up;    // [2f x h], nn.Linear layout: gate rows [0, f), up rows [f, 2f)
  Floats down;       // [h x f], nn.Linear layout
};

struct DecoderWeights {
  Floats embedding;  // [vocab x h]
  std::vector<LayerWeights> layers;
  Floats final_norm;  // [h]
  Floats lm_head;     // [vocab x h]; empty when the embeddings are tied
  [[nodiscard]] const float* head() const { return lm_head.empty() ? embedding.data() : lm_head.data(); }
};

// Deterministic in `seed`: matrices uniform in +-1/sqrt(fan_in) (activations keep their scale
// through the layers), norm scales in 1 +- 0.1, embedding rows in +-1. Checks the model first.
[[nodiscard]] DecoderWeights random_weights(const ModelSpec& m, std::uint64_t seed);

class Decoder {
 public:
  // max_tokens: KV cache capacity (positions 0 .. max_tokens-1); threads: our kernels' threads
  // (OpenBLAS keeps the count it was given).
  Decoder(const ModelSpec& m, int max_tokens, std::uint64_t seed, int threads);

  // Runs tokens[0..n) from position 0, writes their K and V at positions 0..n-1, returns the last
  // token's logits [vocab]. Throws std::invalid_argument on an empty prompt, one over max_tokens or a
  // token outside the vocabulary.
  const Floats& prefill(const std::vector<int>& tokens);

  // One decode step: `token` at position pos attends to positions 0..pos (the cache must hold
  // 0..pos-1, e.g. from a prefill of pos tokens, else std::invalid_argument); writes its K and V at
  // pos; returns its logits. Repeating a step at the same pos recomputes it (what the timing does).
  const Floats& decode(int token, int pos);

  [[nodiscard]] const ModelSpec& model() const { return m_; }
  [[nodiscard]] const DecoderWeights& weights() const { return w_; }
  [[nodiscard]] int max_tokens() const { return max_tokens_; }

 private:
  struct LayerCache {
    Floats k, v;  // [kv_heads x max_tokens x head_dim]
  };
  // Scratch, sized on first use for a token count and kept, so repeated runs allocate nothing.
  struct Buffers {
    Floats x, xn, qkv, q_heads, out_heads, attn, proj, gate_up, act;
  };

  void check_token(int token) const;
  void embed(const std::vector<int>& tokens);
  void prefill_layer(int layer, int tokens);
  void decode_layer(int layer, int pos);
  void write_kv(int layer, const float* qkv_row, int pos);
  void add_residual(int rows);
  void mlp(int layer, int rows);
  const Floats& head_logits(int rows);

  ModelSpec m_;
  DecoderWeights w_;
  int max_tokens_;
  int threads_;
  int filled_ = 0;  // positions 0..filled_-1 of the cache hold this sequence's K and V
  std::vector<LayerCache> cache_;
  Buffers b_;
  Floats logits_;
};

// The work of one pass as the engine counts it (core operator lists, fp32 weights, activations and
// KV cache, one sequence): a prefill of `tokens` tokens; a decode step that attends `context` keys
// (its own included, so the step after a prefill of n tokens has context n + 1).
[[nodiscard]] Work model_prefill_work(const ModelSpec& m, int tokens);
[[nodiscard]] Work model_decode_work(const ModelSpec& m, int context);

}  // namespace infersim::ref

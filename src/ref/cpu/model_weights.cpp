// What the reference decoder accepts, and its random weights.
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "core/errors.hpp"
#include "ref/cpu/model_forward.hpp"
#include "ref/cpu/random.hpp"

namespace infersim::ref {

namespace {

[[noreturn]] void refuse(const ModelSpec& m, const std::string& what) {
  throw InputError("reference decoder: model '" + m.name + "' " + what);
}

std::size_t elements(double n) { return static_cast<std::size_t>(n); }

// n values uniform in [-bound, bound).
Floats uniform(std::size_t n, float bound, std::uint64_t seed) {
  Floats values = random_floats(n, seed);
  for (float& v : values) v *= bound;
  return values;
}

// A weight of fan_in inputs: +-1/sqrt(fan_in), so each output keeps about the scale of one input.
Floats matrix(double rows, double cols, int fan_in, std::uint64_t seed) {
  return uniform(elements(rows * cols), 1.0f / std::sqrt(static_cast<float>(fan_in)), seed);
}

Floats norm_scale(int n, std::uint64_t seed) {
  Floats values = uniform(elements(n), 0.1f, seed);
  for (float& v : values) v += 1.0f;
  return values;
}

}  // namespace

void check_supported(const ModelSpec& m) {
  if (m.layers <= 0 || m.hidden_size <= 0 || m.attention_heads <= 0 || m.kv_heads <= 0 || m.head_dim <= 0 ||
      m.intermediate_size <= 0 || m.vocab_size <= 0)
    refuse(m, "has a size that is not positive");
  if (m.attention_heads % m.kv_heads != 0) refuse(m, "has attention_heads not a multiple of kv_heads");
  if (is_moe(m)) refuse(m, "has Mixture-of-Experts MLPs; only dense MLPs are implemented");
  if (m.attention != AttentionKind::standard)
    refuse(m, "uses multi-head latent attention; only standard MHA/GQA/MQA attention is implemented");
  if (m.parallel_blocks)
    refuse(m, "has parallel attention/MLP blocks; only sequential blocks are implemented");
  if (m.norm != NormKind::rmsnorm) refuse(m, "uses LayerNorm; only RMSNorm is implemented");
  if (m.mlp != MlpKind::gated || m.activation != Activation::silu)
    refuse(m, "has a non-SiLU-gated MLP; only the SiLU-gated MLP (SwiGLU) is implemented");
  if (m.linear_bias != LinearBias::none)
    refuse(m, "has linear biases; only bias-free projections are implemented");
  if (m.position_embedding != PositionEmbedding::rotary)
    refuse(m, "uses learned or ALiBi positions; only rotary positions are implemented");
  if (m.head_dim % 2 != 0) refuse(m, "has an odd head_dim; rotary positions need an even one");
  if (m.sliding_window > 0) refuse(m, "uses sliding-window attention; only full attention is implemented");
}

DecoderWeights random_weights(const ModelSpec& m, std::uint64_t seed) {
  check_supported(m);
  const double h = m.hidden_size;
  const double f = m.intermediate_size;
  const double qkv = q_width(m) + 2.0 * kv_width(m);
  std::uint64_t stream = seed * 1000;  // one seed per tensor, in a fixed order
  DecoderWeights w;
  w.embedding = uniform(elements(m.vocab_size * h), 1.0f, ++stream);
  w.layers.resize(static_cast<std::size_t>(m.layers));
  for (LayerWeights& layer : w.layers) {
    layer.attn_norm = norm_scale(m.hidden_size, ++stream);
    layer.qkv = matrix(qkv, h, m.hidden_size, ++stream);
    layer.o = matrix(h, q_width(m), q_width(m), ++stream);
    layer.mlp_norm = norm_scale(m.hidden_size, ++stream);
    layer.gate_up = matrix(2.0 * f, h, m.hidden_size, ++stream);
    layer.down = matrix(h, f, m.intermediate_size, ++stream);
  }
  w.final_norm = norm_scale(m.hidden_size, ++stream);
  if (!m.tied_embeddings) w.lm_head = matrix(m.vocab_size, h, m.hidden_size, ++stream);
  return w;
}

}  // namespace infersim::ref

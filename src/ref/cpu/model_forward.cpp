#include "ref/cpu/model_forward.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>

#include "ref/cpu/attention.hpp"
#include "ref/cpu/blas.hpp"
#include "ref/cpu/layers.hpp"
#include "ref/cpu/parallel.hpp"

namespace infersim::ref {

namespace {

std::size_t at(long long i) { return static_cast<std::size_t>(i); }

// Runs task(kv_head, inner_threads) for every KV head: heads over the threads when there are enough
// of them, else each head's kernel gets the threads itself (MQA).
template <class Task>
void for_kv_heads(int kv_heads, int threads, const Task& task) {
  const int outer = std::min(threads, kv_heads);
  const int inner = std::max(1, threads / outer);
  parallel_for(kv_heads, outer, [&](int g) { task(g, inner); });
}

// SwiGLU's elementwise half (Shazeer 2020): silu(gate) * up, silu(g) = g / (1 + e^-g).
void silu_times_up(const float* gate, const float* up, float* out, int n) {
  for (int i = 0; i < n; ++i) out[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

}  // namespace

void apply_rope(float* x, int heads, int head_dim, int pos, double theta) {
  const int half = head_dim / 2;
  for (int i = 0; i < half; ++i) {
    const double angle = pos * std::pow(theta, -2.0 * i / head_dim);
    const auto c = static_cast<float>(std::cos(angle));
    const auto s = static_cast<float>(std::sin(angle));
    for (int head = 0; head < heads; ++head) {
      float* pair = x + at(head) * head_dim;
      const float a = pair[i];
      const float b = pair[i + half];
      pair[i] = a * c - b * s;
      pair[i + half] = b * c + a * s;
    }
  }
}

Decoder::Decoder(const ModelSpec& m, int max_tokens, std::uint64_t seed, int threads)
    : m_(m), w_(random_weights(m, seed)), max_tokens_(max_tokens), threads_(std::max(1, threads)) {
  if (max_tokens <= 0) throw std::invalid_argument("reference decoder: max_tokens must be positive");
  const std::size_t kv = at(m.kv_heads) * at(max_tokens) * at(m.head_dim);
  cache_.resize(at(m.layers));
  for (LayerCache& c : cache_) {
    c.k.assign(kv, 0.0f);
    c.v.assign(kv, 0.0f);
  }
  logits_.resize(at(m.vocab_size));
}

void Decoder::check_token(int token) const {
  if (token < 0 || token >= m_.vocab_size)
    throw std::invalid_argument("reference decoder: token " + std::to_string(token) +
                                " is outside the vocabulary of " + std::to_string(m_.vocab_size));
}

void Decoder::embed(const std::vector<int>& tokens) {
  const std::size_t h = at(m_.hidden_size);
  b_.x.resize(tokens.size() * h);
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    check_token(tokens[t]);
    std::copy_n(w_.embedding.data() + at(tokens[t]) * h, h, b_.x.data() + t * h);
  }
}

// K and V of one token (its row of the QKV projection, rotary applied) into the cache at pos.
void Decoder::write_kv(int layer, const float* qkv_row, int pos) {
  const int dh = m_.head_dim;
  const float* k = qkv_row + q_width(m_);
  const float* v = k + kv_width(m_);
  for (int g = 0; g < m_.kv_heads; ++g) {
    const std::size_t slot = (at(g) * at(max_tokens_) + at(pos)) * at(dh);
    std::copy_n(k + at(g) * dh, dh, cache_[at(layer)].k.data() + slot);
    std::copy_n(v + at(g) * dh, dh, cache_[at(layer)].v.data() + slot);
  }
}

void Decoder::add_residual(int rows) {
  const std::size_t h = at(m_.hidden_size);
  parallel_for(rows, rows > 1 ? threads_ : 1, [&](int r) {
    float* x = b_.x.data() + at(r) * h;
    const float* y = b_.proj.data() + at(r) * h;
    for (std::size_t i = 0; i < h; ++i) x[i] += y[i];
  });
}

const Floats& Decoder::prefill(const std::vector<int>& tokens) {
  const int s = static_cast<int>(tokens.size());
  if (s <= 0 || s > max_tokens_)
    throw std::invalid_argument("reference decoder: a prefill needs 1 to " + std::to_string(max_tokens_) +
                                " tokens, got " + std::to_string(tokens.size()));
  embed(tokens);
  for (int layer = 0; layer < m_.layers; ++layer) prefill_layer(layer, s);
  filled_ = s;
  return head_logits(s);
}

const Floats& Decoder::decode(int token, int pos) {
  if (pos < 0 || pos >= max_tokens_)
    throw std::invalid_argument("reference decoder: position " + std::to_string(pos) +
                                " is outside the KV cache of " + std::to_string(max_tokens_) + " tokens");
  if (pos > filled_)
    throw std::invalid_argument("reference decoder: position " + std::to_string(pos) +
                                " needs positions 0.." + std::to_string(pos - 1) +
                                " in the KV cache, which holds " + std::to_string(filled_));
  embed({token});
  for (int layer = 0; layer < m_.layers; ++layer) decode_layer(layer, pos);
  filled_ = std::max(filled_, pos + 1);
  return head_logits(1);
}

// Final norm of the last of `rows` rows, then the LM head as a GEMV.
const Floats& Decoder::head_logits(int rows) {
  const std::size_t h = at(m_.hidden_size);
  b_.xn.resize(std::max(b_.xn.size(), h));
  rmsnorm(b_.x.data() + at(rows - 1) * h, w_.final_norm.data(), b_.xn.data(), 1, m_.hidden_size, kNormEps, 1);
  linear(b_.xn.data(), w_.head(), logits_.data(), 1, m_.vocab_size, m_.hidden_size);
  return logits_;
}

void Decoder::prefill_layer(int layer, int s) {
  const LayerWeights& w = w_.layers[at(layer)];
  const int h = m_.hidden_size, dh = m_.head_dim, H = m_.attention_heads, Hkv = m_.kv_heads;
  const int group = H / Hkv, qkv_width = q_width(m_) + 2 * kv_width(m_);
  const std::size_t rows = at(s);
  b_.xn.resize(rows * h);
  b_.qkv.resize(rows * qkv_width);
  b_.q_heads.resize(rows * q_width(m_));
  b_.out_heads.resize(rows * q_width(m_));
  b_.attn.resize(rows * q_width(m_));
  b_.proj.resize(rows * h);
  rmsnorm(b_.x.data(), w.attn_norm.data(), b_.xn.data(), s, h, kNormEps, threads_);
  linear(b_.xn.data(), w.qkv.data(), b_.qkv.data(), s, qkv_width, h);
  // Rotary on Q and K of each token, K and V into the cache, Q to head-major [H x s x dh].
  parallel_for(s, threads_, [&](int t) {
    float* row = b_.qkv.data() + at(t) * qkv_width;
    apply_rope(row, H, dh, t, kRopeTheta);
    apply_rope(row + q_width(m_), Hkv, dh, t, kRopeTheta);
    write_kv(layer, row, t);
    for (int head = 0; head < H; ++head)
      std::copy_n(row + at(head) * dh, dh, b_.q_heads.data() + (at(head) * rows + at(t)) * dh);
  });
  const LayerCache& c = cache_[at(layer)];
  for_kv_heads(Hkv, threads_, [&](int g, int inner) {
    const std::size_t q_off = at(g) * group * rows * dh, kv_off = at(g) * at(max_tokens_) * dh;
    attention_prefill({1, group, 1, dh}, s, b_.q_heads.data() + q_off, c.k.data() + kv_off,
                      c.v.data() + kv_off, b_.out_heads.data() + q_off, inner);
  });
  parallel_for(s, threads_, [&](int t) {  // back to token-major [s x H*dh] for the output projection
    for (int head = 0; head < H; ++head)
      std::copy_n(b_.out_heads.data() + (at(head) * rows + at(t)) * dh, dh,
                  b_.attn.data() + at(t) * q_width(m_) + at(head) * dh);
  });
  linear(b_.attn.data(), w.o.data(), b_.proj.data(), s, h, q_width(m_));
  add_residual(s);
  rmsnorm(b_.x.data(), w.mlp_norm.data(), b_.xn.data(), s, h, kNormEps, threads_);
  mlp(layer, s);
  add_residual(s);
}

// SiLU-gated MLP of the normed rows xn into proj: gate and up in one projection, SwiGLU, down.
void Decoder::mlp(int layer, int rows) {
  const LayerWeights& w = w_.layers[at(layer)];
  const int h = m_.hidden_size, f = m_.intermediate_size;
  b_.gate_up.resize(std::max(b_.gate_up.size(), at(rows) * 2 * at(f)));
  b_.act.resize(std::max(b_.act.size(), at(rows) * at(f)));
  linear(b_.xn.data(), w.gate_up.data(), b_.gate_up.data(), rows, 2 * f, h);
  parallel_for(rows, rows > 1 ? threads_ : 1, [&](int r) {
    const float* gate = b_.gate_up.data() + at(r) * 2 * at(f);
    silu_times_up(gate, gate + f, b_.act.data() + at(r) * at(f), f);
  });
  linear(b_.act.data(), w.down.data(), b_.proj.data(), rows, h, f);
}

void Decoder::decode_layer(int layer, int pos) {
  const LayerWeights& w = w_.layers[at(layer)];
  const int h = m_.hidden_size, dh = m_.head_dim, H = m_.attention_heads, Hkv = m_.kv_heads;
  const int group = H / Hkv, qkv_width = q_width(m_) + 2 * kv_width(m_);
  b_.xn.resize(std::max(b_.xn.size(), at(h)));
  b_.qkv.resize(std::max(b_.qkv.size(), at(qkv_width)));
  b_.attn.resize(std::max(b_.attn.size(), at(q_width(m_))));
  b_.proj.resize(std::max(b_.proj.size(), at(h)));
  rmsnorm(b_.x.data(), w.attn_norm.data(), b_.xn.data(), 1, h, kNormEps, 1);
  linear(b_.xn.data(), w.qkv.data(), b_.qkv.data(), 1, qkv_width, h);
  apply_rope(b_.qkv.data(), H, dh, pos, kRopeTheta);
  apply_rope(b_.qkv.data() + q_width(m_), Hkv, dh, pos, kRopeTheta);
  write_kv(layer, b_.qkv.data(), pos);
  const LayerCache& c = cache_[at(layer)];
  for_kv_heads(Hkv, threads_, [&](int g, int inner) {  // batch 1: q and out are [H x dh] already
    const std::size_t q_off = at(g) * group * dh, kv_off = at(g) * at(max_tokens_) * dh;
    attention_decode({1, group, 1, dh}, pos + 1, b_.qkv.data() + q_off, c.k.data() + kv_off,
                     c.v.data() + kv_off, b_.attn.data() + q_off, inner);
  });
  linear(b_.attn.data(), w.o.data(), b_.proj.data(), 1, h, q_width(m_));
  add_residual(1);
  rmsnorm(b_.x.data(), w.mlp_norm.data(), b_.xn.data(), 1, h, kNormEps, 1);
  mlp(layer, 1);
  add_residual(1);
}

}  // namespace infersim::ref

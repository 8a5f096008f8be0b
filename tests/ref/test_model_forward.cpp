// The reference decoder (ref/model_forward.hpp): RoPE by hand, a naive double-precision forward pass,
// decode-after-prefill against a longer prefill (KV cache, positions, attention), refusals, and its
// work counts against closed forms.
#include <catch2/catch.hpp>
#include <cmath>
#include <span>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "io/config/model_loader.hpp"
#include "ref/cpu/model_forward.hpp"

using namespace infersim;
using namespace infersim::ref;

namespace {

// A Llama-style model small enough for naive loops; q_width (heads * head_dim) differs from hidden.
ModelSpec tiny(int layers, int heads, int kv_heads) {
  ModelSpec m;
  m.name = "tiny";
  m.layers = layers;
  m.hidden_size = 24;
  m.attention_heads = heads;
  m.kv_heads = kv_heads;
  m.head_dim = 8;
  m.intermediate_size = 40;
  m.vocab_size = 37;
  m.max_context = 128;
  return m;
}

std::vector<int> tokens(int n, int vocab) {
  std::vector<int> ids;
  for (int i = 0; i < n; ++i) ids.push_back((11 * i + 5) % vocab);
  return ids;
}

std::vector<int> first(const std::vector<int>& ids, int n) { return {ids.begin(), ids.begin() + n}; }

// Logits within fp32 accumulation error of each other: 1e-4 relative, 1e-4 absolute (logits are O(1)).
void require_same_logits(std::span<const float> actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("logit " << i);
    REQUIRE(actual[i] == Approx(expected[i]).epsilon(1e-4).margin(1e-4));
  }
}

std::vector<double> widen(std::span<const float> v) { return {v.begin(), v.end()}; }

using Rows = std::vector<std::vector<double>>;

Rows rmsnorm_rows(const Rows& x, std::span<const float> w) {
  Rows y = x;
  for (auto& row : y) {
    double sum_sq = 0.0;
    for (double v : row) sum_sq += v * v;
    const double inv = 1.0 / std::sqrt(sum_sq / row.size() + kNormEps);
    for (std::size_t i = 0; i < row.size(); ++i) row[i] *= inv * w[i];
  }
  return y;
}

// y[t][o] = sum_i x[t][i] W[o][i], W [out x in] (nn.Linear).
Rows matmul(const Rows& x, std::span<const float> w, int out) {
  Rows y(x.size(), std::vector<double>(out, 0.0));
  const std::size_t in = x[0].size();
  for (std::size_t t = 0; t < x.size(); ++t)
    for (int o = 0; o < out; ++o)
      for (std::size_t i = 0; i < in; ++i) y[t][o] += x[t][i] * w[o * in + i];
  return y;
}

void rope_naive(std::vector<double>& row, int offset, int heads, int dh, int pos) {
  for (int head = 0; head < heads; ++head)
    for (int i = 0; i < dh / 2; ++i) {
      const double angle = pos * std::pow(kRopeTheta, -2.0 * i / dh);
      double& a = row[offset + head * dh + i];
      double& b = row[offset + head * dh + i + dh / 2];
      const double a0 = a, b0 = b;
      a = a0 * std::cos(angle) - b0 * std::sin(angle);
      b = b0 * std::cos(angle) + a0 * std::sin(angle);
    }
}

// Causal attention over the rows of qkv (Q | K | V per token), query head h reading KV head h / group.
Rows attention_naive(const Rows& qkv, const ModelSpec& m) {
  const int dh = m.head_dim, H = m.attention_heads, group = H / m.kv_heads;
  const int k0 = H * dh, v0 = k0 + m.kv_heads * dh;
  Rows out(qkv.size(), std::vector<double>(H * dh, 0.0));
  for (std::size_t t = 0; t < qkv.size(); ++t)
    for (int h = 0; h < H; ++h) {
      const int g = h / group;
      std::vector<double> p(t + 1);
      double max = -1e300, sum = 0.0;
      for (std::size_t j = 0; j <= t; ++j) {
        double dot = 0.0;
        for (int d = 0; d < dh; ++d) dot += qkv[t][h * dh + d] * qkv[j][k0 + g * dh + d];
        max = std::max(max, p[j] = dot / std::sqrt(double(dh)));
      }
      for (double& x : p) sum += (x = std::exp(x - max));
      for (std::size_t j = 0; j <= t; ++j)
        for (int d = 0; d < dh; ++d) out[t][h * dh + d] += p[j] / sum * qkv[j][v0 + g * dh + d];
    }
  return out;
}

// The whole forward pass in double, textbook loops; the last token's logits.
std::vector<double> naive_logits(const ModelSpec& m, const DecoderWeights& w, const std::vector<int>& ids) {
  const int h = m.hidden_size, f = m.intermediate_size, qkv_width = q_width(m) + 2 * kv_width(m);
  Rows x;
  for (int id : ids) x.emplace_back(w.embedding.begin() + id * h, w.embedding.begin() + (id + 1) * h);
  for (const LayerWeights& layer : w.layers) {
    Rows qkv = matmul(rmsnorm_rows(x, layer.attn_norm), layer.qkv, qkv_width);
    for (std::size_t t = 0; t < qkv.size(); ++t) {
      rope_naive(qkv[t], 0, m.attention_heads, m.head_dim, static_cast<int>(t));
      rope_naive(qkv[t], q_width(m), m.kv_heads, m.head_dim, static_cast<int>(t));
    }
    const Rows o = matmul(attention_naive(qkv, m), layer.o, h);
    for (std::size_t t = 0; t < x.size(); ++t)
      for (int i = 0; i < h; ++i) x[t][i] += o[t][i];
    Rows gu = matmul(rmsnorm_rows(x, layer.mlp_norm), layer.gate_up, 2 * f);
    for (auto& row : gu) {
      for (int i = 0; i < f; ++i) row[i] = row[i] / (1.0 + std::exp(-row[i])) * row[f + i];
      row.resize(f);
    }
    const Rows y = matmul(gu, layer.down, h);
    for (std::size_t t = 0; t < x.size(); ++t)
      for (int i = 0; i < h; ++i) x[t][i] += y[t][i];
  }
  const Rows last = rmsnorm_rows({x.back()}, w.final_norm);
  std::vector<double> logits(m.vocab_size, 0.0);
  for (int v = 0; v < m.vocab_size; ++v)
    for (int i = 0; i < h; ++i) logits[v] += last[0][i] * w.head()[v * h + i];
  return logits;
}

}  // namespace

TEST_CASE("apply_rope turns each (x_i, x_i+dh/2) pair by pos * 10000^(-2i/dh)") {
  // dh 2, pos 1: one pair at angle 1 rad, (1, 0) -> (cos 1, sin 1) = (0.5403023, 0.8414710).
  std::vector<float> x = {1.0f, 0.0f};
  apply_rope(x.data(), 1, 2, 1, kRopeTheta);
  CHECK(x[0] == Approx(0.5403023));
  CHECK(x[1] == Approx(0.8414710));
  // dh 4, pos 2, two heads: pair (x0, x2) turns by 2 rad, pair (x1, x3) by 2 * 10000^(-1/2) = 0.02 rad.
  // (1, 1, 0, 0) -> (cos 2, cos 0.02, sin 2, sin 0.02) = (-0.4161468, 0.9998000, 0.9092974, 0.0199987).
  std::vector<float> y = {1, 1, 0, 0, 1, 1, 0, 0};
  apply_rope(y.data(), 2, 4, 2, kRopeTheta);
  for (int head = 0; head < 2; ++head) {
    CHECK(y[head * 4 + 0] == Approx(-0.4161468));
    CHECK(y[head * 4 + 1] == Approx(0.9998000));
    CHECK(y[head * 4 + 2] == Approx(0.9092974));
    CHECK(y[head * 4 + 3] == Approx(0.0199987));
  }
  std::vector<float> z = {0.3f, -0.7f};  // position 0 is the identity
  apply_rope(z.data(), 1, 2, 0, kRopeTheta);
  CHECK(z == std::vector<float>{0.3f, -0.7f});
}

TEST_CASE("prefill logits match a naive double-precision forward pass") {
  for (const auto& [layers, heads, kv_heads] :
       {std::tuple{1, 3, 3}, std::tuple{2, 4, 2}, std::tuple{2, 4, 1}}) {
    const ModelSpec m = tiny(layers, heads, kv_heads);
    Decoder decoder(m, 16, 7, 2);
    for (int n : {1, 2, 9}) {
      INFO(layers << " layers, " << heads << "/" << kv_heads << " heads, " << n << " tokens");
      const std::vector<int> ids = tokens(n, m.vocab_size);
      require_same_logits(decoder.prefill(ids), naive_logits(m, decoder.weights(), ids));
    }
  }
}

TEST_CASE("decode of token n after a prefill of n tokens equals the last logits of a prefill of n + 1") {
  // Crosses the prefill kernel's 64-row tiles (n 63..65) and runs three decode steps in a row; MHA,
  // GQA and MQA; one and two threads.
  for (const auto& [heads, kv_heads, threads] :
       {std::tuple{4, 4, 1}, std::tuple{4, 2, 2}, std::tuple{4, 1, 2}}) {
    const ModelSpec m = tiny(2, heads, kv_heads);
    Decoder decoder(m, 80, 3, threads);
    const std::vector<int> ids = tokens(80, m.vocab_size);
    for (int n : {1, 5, 63, 64, 65, 70}) {
      INFO(heads << "/" << kv_heads << " heads, " << threads << " threads, n = " << n);
      (void)decoder.prefill(first(ids, n));
      for (int step = 0; step < 3; ++step) {
        const Floats decoded = decoder.decode(ids[n + step], n + step);
        Decoder longer(m, 80, 3, threads);
        require_same_logits(decoded, widen(longer.prefill(first(ids, n + step + 1))));
      }
    }
  }
}

TEST_CASE("the decoder refuses what it does not implement, and bad positions and tokens") {
  const auto refused = [](ModelSpec m, const std::string& what) {
    INFO(what);
    CHECK_THROWS_WITH(check_supported(m), Catch::Contains(what));
  };
  ModelSpec moe = tiny(1, 4, 2);
  moe.moe.experts = 8;
  moe.moe.experts_per_token = 2;
  refused(moe, "Mixture-of-Experts");
  ModelSpec mla = tiny(1, 4, 2);
  mla.attention = AttentionKind::mla;
  refused(mla, "latent attention");
  ModelSpec parallel = tiny(1, 4, 2);
  parallel.parallel_blocks = true;
  refused(parallel, "parallel attention/MLP blocks");
  ModelSpec layernorm = tiny(1, 4, 2);
  layernorm.norm = NormKind::layernorm;
  refused(layernorm, "LayerNorm");
  ModelSpec gelu = tiny(1, 4, 2);
  gelu.mlp = MlpKind::plain;
  gelu.activation = Activation::gelu;
  refused(gelu, "SiLU-gated");
  ModelSpec bias = tiny(1, 4, 2);
  bias.linear_bias = LinearBias::qkv;
  refused(bias, "biases");
  ModelSpec learned = tiny(1, 4, 2);
  learned.position_embedding = PositionEmbedding::learned;
  refused(learned, "rotary");
  ModelSpec window = tiny(1, 4, 2);
  window.sliding_window = 16;
  refused(window, "sliding-window");
  CHECK_THROWS_AS(Decoder(moe, 8, 1, 1), InputError);  // a model it does not implement: bad input, exit 2

  Decoder decoder(tiny(1, 4, 2), 8, 1, 1);
  CHECK_THROWS_WITH(decoder.decode(1, 0 + 1), Catch::Contains("needs positions 0..0"));
  CHECK_THROWS_AS(decoder.prefill({}), std::invalid_argument);
  CHECK_THROWS_AS(decoder.prefill(tokens(9, 37)), std::invalid_argument);
  CHECK_THROWS_WITH(decoder.prefill({1, 37}), Catch::Contains("outside the vocabulary"));
  (void)decoder.prefill(tokens(8, 37));
  CHECK_THROWS_WITH(decoder.decode(1, 8), Catch::Contains("outside the KV cache"));
}

TEST_CASE("ref-tiny is supported, and its work counts are the closed forms of a dense decoder") {
  const ModelSpec m = load_model(std::string(INFERSIM_SOURCE_DIR) + "/model_configs/ref-tiny.yaml");
  CHECK_NOTHROW(check_supported(m));
  const double L = m.layers, h = m.hidden_size, f = m.intermediate_size, V = m.vocab_size;
  const double qw = q_width(m), kvw = kv_width(m), H = m.attention_heads, dh = m.head_dim;
  // Matrix parameters a step multiplies by: per layer Q, K, V, O and the three MLP matrices; the LM head.
  const double layer_params = h * (qw + 2 * kvw) + qw * h + 3 * h * f;
  const double head_params = V * h;
  // Decode at context t: 2 FLOPs per parameter, 4*H*dh per attended key (QK^T and AV) per layer; fp32
  // weights read once, K and V (2 * kvw values) read per key per layer. The rest (softmax, norms,
  // rotary, residuals; activation vectors of 8 KiB) is 0.1-0.2 % of either count.
  const double t = 1000;
  const Work decode = model_decode_work(m, static_cast<int>(t));
  CHECK(decode.flops == Approx(2 * (L * layer_params + head_params) + L * t * 4 * H * dh).epsilon(3e-3));
  CHECK(decode.bytes == Approx(4 * (L * layer_params + head_params) + L * t * 2 * kvw * 4).epsilon(3e-3));
  CHECK(decode.bytes > 1.0 * (1 << 30));  // the weights of a step are far above any last-level cache
  // Prefill of s tokens: the layer matrices for every token, the LM head for the last; s(s+1)/2 causal pairs.
  const double s = 256;
  const Work prefill = model_prefill_work(m, static_cast<int>(s));
  CHECK(prefill.flops ==
        Approx(2 * (L * layer_params * s + head_params) + L * s * (s + 1) / 2 * 4 * H * dh).epsilon(2e-3));
}

#include "ref_cuda/host_reference.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace infersim::ref_cuda::host {

namespace {

std::size_t at(std::size_t row, std::size_t cols, std::size_t col) { return row * cols + col; }

}  // namespace

std::vector<float> exact_values(std::size_t n, std::uint32_t seed, float scale) {
  std::vector<float> out(n);
  std::uint64_t state = 0x9e3779b97f4a7c15ull * (seed + 1);
  for (float& x : out) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;  // Knuth's MMIX LCG
    const auto j = static_cast<int>((state >> 33) % 129) - 64;
    x = scale * static_cast<float>(j) / 64.0f;
  }
  return out;
}

std::vector<float> gemm(int m, int n, int k, const std::vector<float>& a, const std::vector<float>& b) {
  std::vector<float> c(static_cast<std::size_t>(m) * n);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j) {
      double sum = 0.0;
      for (int p = 0; p < k; ++p) sum += double{a[at(i, k, p)]} * b[at(p, n, j)];
      c[at(i, n, j)] = static_cast<float>(sum);
    }
  return c;
}

std::vector<float> linear(int rows, int n_out, int k_in, const std::vector<float>& x,
                          const std::vector<float>& w) {
  std::vector<float> y(static_cast<std::size_t>(rows) * n_out);
  for (int r = 0; r < rows; ++r)
    for (int o = 0; o < n_out; ++o) {
      double sum = 0.0;
      for (int p = 0; p < k_in; ++p) sum += double{x[at(r, k_in, p)]} * w[at(o, k_in, p)];
      y[at(r, n_out, o)] = static_cast<float>(sum);
    }
  return y;
}

std::vector<float> attention(const ref::AttentionShape& s, int q_tokens, int kv_tokens,
                             const std::vector<float>& q, const std::vector<float>& k,
                             const std::vector<float>& v) {
  const auto dh = static_cast<std::size_t>(s.head_dim);
  std::vector<float> out(q.size());
  std::vector<double> score(static_cast<std::size_t>(kv_tokens));
  const double scale = 1.0 / std::sqrt(static_cast<double>(s.head_dim));
  for (int b = 0; b < s.batch; ++b)
    for (int h = 0; h < s.heads; ++h) {
      const int kvh = h / (s.heads / s.kv_heads);
      const std::size_t q_head = (static_cast<std::size_t>(b) * s.heads + h) * q_tokens;
      const std::size_t kv_head = (static_cast<std::size_t>(b) * s.kv_heads + kvh) * kv_tokens;
      for (int i = 0; i < q_tokens; ++i) {
        const int visible = kv_tokens - q_tokens + i + 1;
        double max_score = -std::numeric_limits<double>::infinity();
        for (int j = 0; j < visible; ++j) {
          double dot = 0.0;
          for (std::size_t d = 0; d < dh; ++d)
            dot += double{q[(q_head + i) * dh + d]} * k[(kv_head + j) * dh + d];
          score[j] = dot * scale;
          max_score = std::max(max_score, score[j]);
        }
        double sum = 0.0;
        for (int j = 0; j < visible; ++j) sum += score[j] = std::exp(score[j] - max_score);
        for (std::size_t d = 0; d < dh; ++d) {
          double o = 0.0;
          for (int j = 0; j < visible; ++j) o += score[j] * v[(kv_head + j) * dh + d];
          out[(q_head + i) * dh + d] = static_cast<float>(o / sum);
        }
      }
    }
  return out;
}

std::vector<float> rmsnorm(int rows, int hidden, const std::vector<float>& x,
                           const std::vector<float>& weight, float eps) {
  std::vector<float> y(x.size());
  for (int r = 0; r < rows; ++r) {
    double squares = 0.0;
    for (int i = 0; i < hidden; ++i) squares += double{x[at(r, hidden, i)]} * x[at(r, hidden, i)];
    const double inv_rms = 1.0 / std::sqrt(squares / hidden + eps);
    for (int i = 0; i < hidden; ++i)
      y[at(r, hidden, i)] = static_cast<float>(x[at(r, hidden, i)] * inv_rms * weight[i]);
  }
  return y;
}

std::vector<float> silu_mul(int tokens, int ffn, const std::vector<float>& gate_up) {
  std::vector<float> out(static_cast<std::size_t>(tokens) * ffn);
  for (int t = 0; t < tokens; ++t)
    for (int i = 0; i < ffn; ++i) {
      const double g = gate_up[at(t, 2 * static_cast<std::size_t>(ffn), i)];
      const double u = gate_up[at(t, 2 * static_cast<std::size_t>(ffn), static_cast<std::size_t>(ffn) + i)];
      out[at(t, ffn, i)] = static_cast<float>(g / (1.0 + std::exp(-g)) * u);
    }
  return out;
}

std::vector<float> triad(const std::vector<float>& b, const std::vector<float>& c, float scalar) {
  std::vector<float> a(b.size());
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = b[i] + scalar * c[i];
  return a;
}

double relative_error(const std::vector<float>& got, const std::vector<float>& want) {
  if (got.size() != want.size()) throw std::invalid_argument("relative_error: sizes differ");
  double worst = 0.0, scale = 0.0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!std::isfinite(got[i])) return std::numeric_limits<double>::infinity();  // max() would drop a NaN
    worst = std::max(worst, std::abs(double{got[i]} - want[i]));
    scale = std::max(scale, std::abs(double{want[i]}));
  }
  if (scale == 0.0) return worst == 0.0 ? 0.0 : std::numeric_limits<double>::infinity();
  return worst / scale;
}

}  // namespace infersim::ref_cuda::host

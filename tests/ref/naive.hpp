#pragma once
// Naive double-precision references for the reference kernels: textbook loops, no tiling, no
// threads, softmax over the full score row. Layouts as in src/ref/*.hpp.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <span>
#include <vector>

#include "ref/cpu/attention.hpp"

namespace infersim::ref::test {

// Every element within 1e-4 relative (1e-5 absolute near zero) of the reference.
inline void require_close(std::span<const float> actual, const std::vector<double>& expected) {
  REQUIRE(actual.size() == expected.size());
  for (std::size_t i = 0; i < actual.size(); ++i) {
    INFO("element " << i);
    REQUIRE(actual[i] == Approx(expected[i]).epsilon(1e-4).margin(1e-5));
  }
}

// C[m x n] = A[m x k] B[k x n]
inline std::vector<double> naive_gemm(int m, int n, int k, std::span<const float> a,
                                      std::span<const float> b) {
  std::vector<double> c(static_cast<std::size_t>(m) * n, 0.0);
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < n; ++j)
      for (int l = 0; l < k; ++l) c[i * n + j] += double(a[i * k + l]) * b[l * n + j];
  return c;
}

// out[h][d] for one query row per head: softmax(q_h . k_j / sqrt(dh)) over keys j < keys, times v.
// q points at H rows of dh with row stride q_stride; k, v index [kv_head][key][d] with key stride.
struct NaiveAttention {
  AttentionShape s;
  int tokens;  // keys stored per (batch, KV head)

  std::vector<double> row(const float* q, const float* k, const float* v, int kv_head, int keys) const {
    const int dh = s.head_dim;
    const float* kh = k + static_cast<std::size_t>(kv_head) * tokens * dh;
    const float* vh = v + static_cast<std::size_t>(kv_head) * tokens * dh;
    std::vector<double> p(keys);
    for (int j = 0; j < keys; ++j) {
      double dot = 0.0;
      for (int d = 0; d < dh; ++d) dot += double(q[d]) * kh[j * dh + d];
      p[j] = dot / std::sqrt(double(dh));
    }
    const double m = *std::max_element(p.begin(), p.end());
    double sum = 0.0;
    for (double& x : p) sum += (x = std::exp(x - m));
    std::vector<double> out(dh, 0.0);
    for (int j = 0; j < keys; ++j)
      for (int d = 0; d < dh; ++d) out[d] += p[j] / sum * vh[j * dh + d];
    return out;
  }
};

}  // namespace infersim::ref::test

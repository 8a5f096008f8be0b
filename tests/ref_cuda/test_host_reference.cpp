// The CPU references that `infersim-ref-cuda --check` judges the GPU kernels by, held against the
// reference CPU kernels of src/ref (independent implementations: tiled, online softmax, OpenBLAS), so
// a GPU session can trust a failed check to mean a GPU kernel bug.
#include <catch2/catch.hpp>
#include <limits>
#include <vector>

#include "ref/cpu/attention.hpp"
#include "ref/cpu/blas.hpp"
#include "ref/cpu/layers.hpp"
#include "ref_cuda/host_reference.hpp"

namespace host = infersim::ref_cuda::host;
using infersim::ref::AttentionShape;

TEST_CASE("exact_values are multiples of 1/64 in [-scale, scale]", "[ref_cuda]") {
  const auto v = host::exact_values(1000, 3, 4.0f);
  bool exact = true, in_range = true;
  for (float x : v) {
    exact = exact && x * 16.0f == static_cast<float>(static_cast<int>(x * 16.0f));
    in_range = in_range && x >= -4.0f && x <= 4.0f;
  }
  CHECK(exact);
  CHECK(in_range);
  CHECK(host::exact_values(1000, 3, 4.0f) == v);  // deterministic
  CHECK(host::exact_values(1000, 4, 4.0f) != v);
}

TEST_CASE("relative_error is scaled by the largest reference value and fails on NaN", "[ref_cuda]") {
  CHECK(host::relative_error({1.0f, 2.5f}, {1.0f, 2.0f}) == Approx(0.25));
  CHECK(host::relative_error({0.0f}, {0.0f}) == 0.0);
  CHECK(host::relative_error({std::numeric_limits<float>::quiet_NaN(), 2.0f}, {1.0f, 2.0f}) > 1.0);
  CHECK_THROWS(host::relative_error({1.0f}, {1.0f, 2.0f}));
}

TEST_CASE("host gemm and linear match OpenBLAS", "[ref_cuda]") {
  const int m = 7, n = 5, k = 9;
  const auto a = host::exact_values(m * k, 1, 1.0f), b = host::exact_values(k * n, 2, 1.0f);
  std::vector<float> c(m * n);
  infersim::ref::gemm(m, n, k, a.data(), b.data(), c.data());
  CHECK(host::relative_error(host::gemm(m, n, k, a, b), c) < 1e-6);
  // linear(x, W) = x W^T: W^T as a row-major [k x n] matrix.
  const auto w = host::exact_values(n * k, 3, 1.0f);
  std::vector<float> wt(k * n);
  for (int o = 0; o < n; ++o)
    for (int p = 0; p < k; ++p) wt[p * n + o] = w[o * k + p];
  infersim::ref::gemm(m, n, k, a.data(), wt.data(), c.data());
  CHECK(host::relative_error(host::linear(m, n, k, a, w), c) < 1e-6);
}

TEST_CASE("host attention matches the CPU decode and prefill kernels", "[ref_cuda]") {
  for (const AttentionShape s :
       {AttentionShape{2, 4, 4, 16}, AttentionShape{1, 8, 2, 32}, AttentionShape{2, 4, 1, 8}}) {
    const int t = 37;
    const auto q1 = host::exact_values(s.batch * s.heads * s.head_dim, 4, 4.0f);
    const auto k = host::exact_values(s.batch * s.kv_heads * t * s.head_dim, 5, 1.0f);
    const auto v = host::exact_values(k.size(), 6, 1.0f);
    std::vector<float> out(q1.size());
    infersim::ref::attention_decode(s, t, q1.data(), k.data(), v.data(), out.data(), 1);
    CHECK(host::relative_error(host::attention(s, 1, t, q1, k, v), out) < 1e-5);

    const auto q = host::exact_values(s.batch * s.heads * t * s.head_dim, 7, 4.0f);
    out.assign(q.size(), 0.0f);
    infersim::ref::attention_prefill(s, t, q.data(), k.data(), v.data(), out.data(), 1);
    CHECK(host::relative_error(host::attention(s, t, t, q, k, v), out) < 1e-5);
  }
}

TEST_CASE("host rmsnorm, silu_mul and triad match the CPU kernels", "[ref_cuda]") {
  const int rows = 3, hidden = 50;
  const auto x = host::exact_values(rows * hidden, 8, 1.0f), w = host::exact_values(hidden, 9, 1.0f);
  std::vector<float> y(x.size());
  infersim::ref::rmsnorm(x.data(), w.data(), y.data(), rows, hidden, 1e-5f, 1);
  CHECK(host::relative_error(host::rmsnorm(rows, hidden, x, w, 1e-5f), y) < 1e-5);

  // silu(g) * u for g = 0 and g = 2 (silu(2) = 2 / (1 + e^-2) = 1.7615942), u = 3.
  const auto act = host::silu_mul(1, 2, {0.0f, 2.0f, 3.0f, 3.0f});
  CHECK(act[0] == 0.0f);
  CHECK(act[1] == Approx(3.0 * 1.7615942));

  const auto b = host::exact_values(101, 10, 1.0f), c = host::exact_values(101, 11, 1.0f);
  std::vector<float> a(b.size());
  infersim::ref::triad(a.data(), b.data(), c.data(), 3.0f, a.size(), 1);
  CHECK(host::relative_error(host::triad(b, c, 3.0f), a) == 0.0);
}

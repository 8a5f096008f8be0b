// RMSNorm, the SiLU-gated MLP, the triad and parallel_for against naive loops.
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>

#include "ref/cpu/layers.hpp"
#include "ref/cpu/parallel.hpp"
#include "ref/cpu/random.hpp"
#include "ref/naive.hpp"

using namespace infersim::ref;

TEST_CASE("parallel_for runs every index exactly once, whatever the thread count") {
  for (int threads : {1, 2, 3, 16}) {
    std::vector<std::atomic<int>> hits(10);
    parallel_for(10, threads, [&](int i) { hits[i]++; });
    for (const auto& h : hits) REQUIRE(h.load() == 1);
  }
}

TEST_CASE("rmsnorm matches x / sqrt(mean(x^2) + eps) * w") {
  const int rows = 7, hidden = 33;
  const float eps = 1e-5f;
  const auto x = random_floats(rows * hidden, 1);
  const auto w = random_floats(hidden, 2);
  std::vector<float> y(x.size());
  rmsnorm(x.data(), w.data(), y.data(), rows, hidden, eps, 3);
  std::vector<double> expected;
  for (int r = 0; r < rows; ++r) {
    double sum_sq = 0.0;
    for (int i = 0; i < hidden; ++i) sum_sq += double(x[r * hidden + i]) * x[r * hidden + i];
    const double inv = 1.0 / std::sqrt(sum_sq / hidden + eps);
    for (int i = 0; i < hidden; ++i) expected.push_back(x[r * hidden + i] * inv * w[i]);
  }
  test::require_close(y, expected);
}

TEST_CASE("rmsnorm with streaming stores matches the cached one, aligned or not") {
  const int rows = 5, hidden = 4096 + 5;  // rows start at every 16-byte phase: head, body and tail
  const auto x = random_floats(rows * hidden + 1, 11);
  const auto w = random_floats(hidden, 12);
  for (int shift : {0, 1}) {
    std::vector<float> cached(rows * hidden + 1), streamed(rows * hidden + 1);
    rmsnorm(x.data() + shift, w.data(), cached.data() + shift, rows, hidden, 1e-5f, 2, Stores::cached);
    rmsnorm(x.data() + shift, w.data(), streamed.data() + shift, rows, hidden, 1e-5f, 2, Stores::streaming);
    REQUIRE(streamed == cached);
  }
}

TEST_CASE("gated_mlp matches (silu(x Wg) * (x Wu)) Wd") {
  const int tokens = 5, hidden = 12, ffn = 20;
  const auto x = random_floats(tokens * hidden, 3);
  const auto gate_up = random_floats(hidden * 2 * ffn, 4);
  const auto down = random_floats(ffn * hidden, 5);
  std::vector<float> scratch(tokens * 2 * ffn), y(tokens * hidden);
  gated_mlp({gate_up.data(), down.data(), hidden, ffn}, x.data(), tokens, scratch.data(), y.data(), 2);
  const auto gu = test::naive_gemm(tokens, 2 * ffn, hidden, x, gate_up);
  std::vector<float> act(tokens * ffn);  // rounded to float, as the kernel stores it
  for (int t = 0; t < tokens; ++t)
    for (int i = 0; i < ffn; ++i) {
      const double g = gu[t * 2 * ffn + i], u = gu[t * 2 * ffn + ffn + i];
      act[t * ffn + i] = static_cast<float>(g / (1.0 + std::exp(-g)) * u);
    }
  test::require_close(y, test::naive_gemm(tokens, hidden, ffn, act, down));
}

TEST_CASE("triad computes a = b + s*c over chunks that do not divide evenly") {
  const std::size_t n = 1001;
  const auto b = random_floats(n, 6);
  const auto c = random_floats(n, 7);
  std::vector<float> a(n, 0.0f);
  triad(a.data(), b.data(), c.data(), 3.0f, n, 3);
  std::vector<double> expected(n);
  for (std::size_t i = 0; i < n; ++i) expected[i] = b[i] + 3.0 * c[i];
  test::require_close(a, expected);
  for (int shift : {0, 1, 3}) {  // streaming stores from every 16-byte phase
    std::vector<float> streamed(n, 0.0f);
    triad(streamed.data() + shift, b.data() + shift, c.data() + shift, 3.0f, n - shift, 2, Stores::streaming);
    for (std::size_t i = shift; i < n; ++i) REQUIRE(streamed[i] == Approx(expected[i]).epsilon(1e-6));
  }
}

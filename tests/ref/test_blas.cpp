// GEMM and linear (GEMV / skinny GEMM) through OpenBLAS against the naive triple loop.
#include <catch2/catch.hpp>
#include <chrono>
#include <vector>

#include "ref/cpu/blas.hpp"
#include "ref/cpu/random.hpp"
#include "ref/naive.hpp"

using namespace infersim::ref;

TEST_CASE("gemm matches the triple loop at odd sizes") {
  const int m = 37, n = 29, k = 23;
  const auto a = random_floats(m * k, 1);
  const auto b = random_floats(k * n, 2);
  std::vector<float> c(m * n, 99.0f);  // beta = 0: old contents must not leak in
  gemm(m, n, k, a.data(), b.data(), c.data());
  test::require_close(c, test::naive_gemm(m, n, k, a, b));
}

TEST_CASE("linear computes x W^T with W in the nn.Linear layout, as GEMV and as skinny GEMM") {
  const int n_out = 33, k_in = 47;
  const auto w = random_floats(n_out * k_in, 3);
  // W^T as a [k_in x n_out] matrix, so the naive GEMM gives the reference.
  std::vector<float> wt(k_in * n_out);
  for (int o = 0; o < n_out; ++o)
    for (int i = 0; i < k_in; ++i) wt[i * n_out + o] = w[o * k_in + i];
  for (int rows : {1, 5}) {
    INFO("rows " << rows);
    const auto x = random_floats(rows * k_in, 4);
    std::vector<float> y(rows * n_out);
    linear(x.data(), w.data(), y.data(), rows, n_out, k_in);
    test::require_close(y, test::naive_gemm(rows, n_out, k_in, x, wt));
  }
}

TEST_CASE("blas_info names the core OpenBLAS picked and a positive thread count") {
  const BlasInfo info = blas_info();
  CHECK_FALSE(info.core.empty());
  CHECK(info.threads >= 1);
}

TEST_CASE("let_blas_threads_park waits out kBlasParkS after the last BLAS call, and no longer") {
  using Clock = std::chrono::steady_clock;
  const std::vector<float> tiny(64, 1.0f);
  std::vector<float> out(64);
  const auto before_call = Clock::now();  // the call's end, which the wait counts from, is later
  gemm(8, 8, 8, tiny.data(), tiny.data(), out.data());
  let_blas_threads_park();
  const auto parked = Clock::now();
  CHECK(std::chrono::duration<double>(parked - before_call).count() >= kBlasParkS);
  // Nothing called since: the window has passed, so a second wait returns without sleeping it again.
  let_blas_threads_park();
  CHECK(std::chrono::duration<double>(Clock::now() - parked).count() < kBlasParkS);
}

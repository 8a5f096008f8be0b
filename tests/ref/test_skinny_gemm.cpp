// The weight-streaming decode kernel (ref/cpu/skinny_gemm.hpp) against the naive triple loop, at sizes
// that leave remainders in every blocking (W rows, X rows, vector lanes).
#include <catch2/catch.hpp>

#include "ref/cpu/random.hpp"
#include "ref/cpu/skinny_gemm.hpp"
#include "ref/naive.hpp"

using namespace infersim::ref;

TEST_CASE("stream_linear and decode_linear compute x W^T for 1 to 17 rows") {
  const int n_out = 37, k_in = 83;  // 37 = 9 blocks of 4 + 1; 83 = 5 vectors of 16 + 3
  const auto w = random_floats(n_out * k_in, 5);
  std::vector<float> wt(k_in * n_out);
  for (int o = 0; o < n_out; ++o)
    for (int i = 0; i < k_in; ++i) wt[i * n_out + o] = w[o * k_in + i];
  for (int rows : {1, 2, 3, 5, 8, 16, 17}) {
    INFO("rows " << rows);
    const auto x = random_floats(rows * k_in, 6);
    const auto expected = test::naive_gemm(rows, n_out, k_in, x, wt);
    for (int threads : {1, 3}) {
      std::vector<float> y(rows * n_out, 99.0f);
      stream_linear(x.data(), w.data(), y.data(), rows, n_out, k_in, threads);
      test::require_close(y, expected);
    }
    std::vector<float> y(rows * n_out, 99.0f);
    decode_linear(x.data(), w.data(), y.data(), rows, n_out, k_in, 2);
    test::require_close(y, expected);
  }
}

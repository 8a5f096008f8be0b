#include "ref/cpu/skinny_gemm.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>

#include "ref/cpu/blas.hpp"
#include "ref/cpu/parallel.hpp"
#include "ref/cpu/vector_ops.hpp"

namespace infersim::ref {

namespace {

constexpr int kBlock = 4;  // W rows and X rows per tile: 4 x 4 accumulators of 16 lanes
constexpr int kLanes = 16;
using Lanes = float __attribute__((vector_size(kLanes * sizeof(float))));

// The 4 x 4 dot products of rows w[i] and x[r] over k elements into out[r][i]. Rows past the end of
// W or X are passed as repeats of a valid row by the caller and their results discarded.
INFERSIM_REF_HOT void dot_tile(const float* const* w, const float* const* x, int k,
                               float (&out)[kBlock][kBlock]) {
  Lanes acc[kBlock][kBlock] = {};
  int d = 0;
  for (; d + kLanes <= k; d += kLanes) {
    Lanes wv[kBlock];
    for (int i = 0; i < kBlock; ++i) std::memcpy(&wv[i], w[i] + d, sizeof(Lanes));  // unaligned loads
    for (int r = 0; r < kBlock; ++r) {
      Lanes xv;
      std::memcpy(&xv, x[r] + d, sizeof xv);
      for (int i = 0; i < kBlock; ++i) acc[r][i] += xv * wv[i];
    }
  }
  for (int r = 0; r < kBlock; ++r)
    for (int i = 0; i < kBlock; ++i) {
      float sum = 0.0f;
      for (int l = 0; l < kLanes; ++l) sum += acc[r][i][l];
      for (int e = d; e < k; ++e) sum += x[r][e] * w[i][e];
      out[r][i] = sum;
    }
}

}  // namespace

void stream_linear(const float* x, const float* w, float* y, int rows, int n_out, int k_in, int threads) {
  const auto row = [k_in](const float* base, int i) { return base + static_cast<std::size_t>(i) * k_in; };
  const int w_blocks = (n_out + kBlock - 1) / kBlock;
  parallel_for(w_blocks, threads, [&](int b) {
    const int j0 = b * kBlock;
    const float* w_rows[kBlock];
    for (int i = 0; i < kBlock; ++i) w_rows[i] = row(w, std::min(j0 + i, n_out - 1));
    for (int r0 = 0; r0 < rows; r0 += kBlock) {
      const float* x_rows[kBlock];
      for (int r = 0; r < kBlock; ++r) x_rows[r] = row(x, std::min(r0 + r, rows - 1));
      float out[kBlock][kBlock];
      dot_tile(w_rows, x_rows, k_in, out);
      for (int r = 0; r < std::min(kBlock, rows - r0); ++r)
        for (int i = 0; i < std::min(kBlock, n_out - j0); ++i)
          y[static_cast<std::size_t>(r0 + r) * n_out + j0 + i] = out[r][i];
    }
  });
}

void decode_linear(const float* x, const float* w, float* y, int rows, int n_out, int k_in, int threads) {
  if (rows >= 2 && rows <= kStreamLinearMaxRows) {
    stream_linear(x, w, y, rows, n_out, k_in, threads);
    return;
  }
  linear(x, w, y, rows, n_out, k_in);
}

}  // namespace infersim::ref

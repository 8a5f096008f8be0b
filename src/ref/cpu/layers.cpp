#include "ref/cpu/layers.hpp"

#include <cmath>

#include "ref/cpu/blas.hpp"
#include "ref/cpu/parallel.hpp"
#include "ref/cpu/vector_ops.hpp"

namespace infersim::ref {

namespace {

// Sum of squares in four 16-lane accumulators (one chain would wait on the FMA latency), then the
// scaled row; the row, 16 KiB at hidden 4096, is read from L1 the second time.
INFERSIM_REF_HOT void rmsnorm_row(const float* in, const float* weight, float* out, int hidden, float eps,
                                  Stores stores) {
  using detail::kLanes;
  using detail::Lanes;
  Lanes acc[4] = {};
  int i = 0;
  for (; i + 4 * kLanes <= hidden; i += 4 * kLanes)
    for (int c = 0; c < 4; ++c) {
      Lanes x;
      detail::load_lanes(x, in + i + c * kLanes);
      acc[c] += x * x;
    }
  const Lanes sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  float squares = detail::lane_sum(sum);
  for (; i < hidden; ++i) squares += in[i] * in[i];
  const float inv_rms = 1.0f / std::sqrt(squares / static_cast<float>(hidden) + eps);
  int e = 0;
  if (stores == Stores::streaming) {
    for (; e < hidden && !detail::aligned16(out + e); ++e) out[e] = in[e] * inv_rms * weight[e];
    for (; e + kLanes <= hidden; e += kLanes) {
      Lanes x, w;
      detail::load_lanes(x, in + e);
      detail::load_lanes(w, weight + e);
      const Lanes y = x * inv_rms * w;
      detail::stream_store(out + e, y);
    }
  }
#pragma omp simd
  for (int j = e; j < hidden; ++j) out[j] = in[j] * inv_rms * weight[j];
}

// a[i] = b[i] + s * c[i] over [0, n), the stores streaming or cached.
INFERSIM_REF_HOT void triad_range(float* a, const float* b, const float* c, float s, std::size_t n,
                                  Stores stores) {
  std::size_t e = 0;
  if (stores == Stores::streaming) {
    for (; e < n && !detail::aligned16(a + e); ++e) a[e] = b[e] + s * c[e];
    for (; e + detail::kLanes <= n; e += detail::kLanes) {
      detail::Lanes x, y;
      detail::load_lanes(x, b + e);
      detail::load_lanes(y, c + e);
      const detail::Lanes sum = x + y * s;
      detail::stream_store(a + e, sum);
    }
  }
#pragma omp simd
  for (std::size_t i = e; i < n; ++i) a[i] = b[i] + s * c[i];
}

// silu(gate) * up, written over gate.
INFERSIM_REF_HOT void silu_times_up(float* gate, const float* up, int n) {
  for (int i = 0; i < n; ++i) gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

}  // namespace

void rmsnorm(const float* x, const float* weight, float* y, int rows, int hidden, float eps, int threads,
             Stores stores) {
  parallel_for(rows, threads, [&](int r) {
    const std::size_t offset = static_cast<std::size_t>(r) * hidden;
    rmsnorm_row(x + offset, weight, y + offset, hidden, eps, stores);
    if (stores == Stores::streaming) detail::store_fence();
  });
}

void gated_mlp(const GatedMlp& mlp, const float* x, int tokens, float* scratch, float* y, int threads) {
  const int f = mlp.ffn;
  gemm(tokens, 2 * f, mlp.hidden, x, mlp.gate_up, scratch);
  // silu(g) * u overwrites the gate half of each row; the down GEMM reads it with row stride 2f.
  parallel_for(tokens, threads, [&](int t) {
    float* gate = scratch + static_cast<std::size_t>(t) * 2 * f;
    silu_times_up(gate, gate + f, f);
  });
  gemm(tokens, mlp.hidden, f, scratch, 2 * f, mlp.down, mlp.hidden, y, mlp.hidden);
}

void triad(float* a, const float* b, const float* c, float s, std::size_t n, int threads, Stores stores) {
  // Equal contiguous chunks, one per thread: the STREAM layout.
  parallel_for(threads, threads, [&](int w) {
    const std::size_t begin = n * w / threads;
    const std::size_t end = n * (w + 1) / threads;
    triad_range(a + begin, b + begin, c + begin, s, end - begin, stores);
    if (stores == Stores::streaming) detail::store_fence();
  });
}

}  // namespace infersim::ref

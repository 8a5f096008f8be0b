#include "ref/layers.hpp"

#include <cmath>

#include "ref/blas.hpp"
#include "ref/parallel.hpp"
#include "ref/vector_ops.hpp"

namespace infersim::ref {

namespace {

INFERSIM_REF_HOT void rmsnorm_row(const float* in, const float* weight, float* out, int hidden, float eps) {
  const float inv_rms = 1.0f / std::sqrt(detail::dot(in, in, hidden) / static_cast<float>(hidden) + eps);
#pragma omp simd
  for (int i = 0; i < hidden; ++i) out[i] = in[i] * inv_rms * weight[i];
}

// silu(gate) * up, written over gate.
INFERSIM_REF_HOT void silu_times_up(float* gate, const float* up, int n) {
  for (int i = 0; i < n; ++i) gate[i] = gate[i] / (1.0f + std::exp(-gate[i])) * up[i];
}

}  // namespace

void rmsnorm(const float* x, const float* weight, float* y, int rows, int hidden, float eps, int threads) {
  parallel_for(rows, threads, [&](int r) {
    const std::size_t offset = static_cast<std::size_t>(r) * hidden;
    rmsnorm_row(x + offset, weight, y + offset, hidden, eps);
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

void triad(float* a, const float* b, const float* c, float s, std::size_t n, int threads) {
  // Equal contiguous chunks, one per thread: the STREAM layout.
  parallel_for(threads, threads, [&](int w) {
    const std::size_t begin = n * w / threads;
    const std::size_t end = n * (w + 1) / threads;
#pragma omp simd
    for (std::size_t i = begin; i < end; ++i) a[i] = b[i] + s * c[i];
  });
}

}  // namespace infersim::ref

#pragma once
// Inner loops shared by the attention and norm kernels. `omp simd` (built with -fopenmp-simd, no
// OpenMP runtime) lets the compiler reassociate the reductions into vector lanes.
#include <algorithm>
#include <cmath>
#include <limits>

// The kernels' hot functions are compiled for AVX-512 (x86-64-v4), AVX2 + FMA (v3) and baseline
// x86-64, the loader picking one per host (GCC function multiversioning): one portable binary that
// uses the vector width the host has, as OpenBLAS's DYNAMIC_ARCH does for the GEMMs.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define INFERSIM_REF_HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define INFERSIM_REF_HOT
#endif

namespace infersim::ref::detail {

inline float dot(const float* a, const float* b, int n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

// y += alpha * x
inline void axpy(float alpha, const float* x, float* y, int n) {
#pragma omp simd
  for (int i = 0; i < n; ++i) y[i] += alpha * x[i];
}

inline void scale(float alpha, float* y, int n) {
#pragma omp simd
  for (int i = 0; i < n; ++i) y[i] *= alpha;
}

inline float max_of(const float* x, int n) {
  float m = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : m)
  for (int i = 0; i < n; ++i) m = std::max(m, x[i]);
  return m;
}

// x[i] <- exp(x[i] - shift); returns the sum of the results.
inline float exp_shifted(float* x, float shift, int n) {
  float sum = 0.0f;
  for (int i = 0; i < n; ++i) {
    x[i] = std::exp(x[i] - shift);
    sum += x[i];
  }
  return sum;
}

// Softmax in place, max-subtracted so exp never overflows (Milakov & Gimelshein 2018, "Online
// normalizer calculation for softmax", the safe form).
inline void softmax(float* x, int n) {
  const float sum = exp_shifted(x, max_of(x, n), n);
  scale(1.0f / sum, x, n);
}

}  // namespace infersim::ref::detail

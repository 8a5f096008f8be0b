#pragma once
// Inner loops shared by the attention and norm kernels. `omp simd` (built with -fopenmp-simd, no
// OpenMP runtime) lets the compiler reassociate the reductions into vector lanes.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#if defined(__SSE__)
#include <xmmintrin.h>
#endif

// The kernels' hot functions are compiled for AVX-512 (x86-64-v4), AVX2 + FMA (v3) and baseline
// x86-64, the loader picking one per host (GCC function multiversioning): one portable binary that
// uses the vector width the host has, as OpenBLAS's DYNAMIC_ARCH does for the GEMMs.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define INFERSIM_REF_HOT __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define INFERSIM_REF_HOT
#endif

// The helpers below are forced inline: a call from a hot function would otherwise run the helper's own
// baseline (SSE2) copy, since only the hot functions are compiled once per target.
#if defined(__GNUC__)
#define INFERSIM_REF_INLINE [[gnu::always_inline]] inline
#else
#define INFERSIM_REF_INLINE inline
#endif

namespace infersim::ref::detail {

INFERSIM_REF_INLINE float dot(const float* a, const float* b, int n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

using Lanes = float __attribute__((vector_size(16 * sizeof(float))));  // one zmm, two ymm or four xmm
inline constexpr int kLanes = 16;

// Sum of the 16 lanes by halving (16 -> 8 -> 4 -> scalar): a few extract-and-add instructions, where a
// lane-by-lane loop is compiled as 16 scalar adds through the stack.
INFERSIM_REF_INLINE float lane_sum(const Lanes& v) {
  using Half = float __attribute__((vector_size(8 * sizeof(float))));
  using Quarter = float __attribute__((vector_size(4 * sizeof(float))));
  Half lo, hi;
  std::memcpy(&lo, &v, sizeof lo);
  std::memcpy(&hi, reinterpret_cast<const char*>(&v) + sizeof lo, sizeof hi);
  const Half h = lo + hi;
  Quarter qlo, qhi;
  std::memcpy(&qlo, &h, sizeof qlo);
  std::memcpy(&qhi, reinterpret_cast<const char*>(&h) + sizeof qlo, sizeof qhi);
  const Quarter q = qlo + qhi;
  return (q[0] + q[2]) + (q[1] + q[3]);
}

// Unaligned load (the vector types are passed by reference: by value their ABI differs per target).
INFERSIM_REF_INLINE void load_lanes(Lanes& v, const float* p) { std::memcpy(&v, p, sizeof v); }

// Stores 16 floats at p with non-temporal stores (four 16-byte ones: the SSE instruction every x86-64
// has; the write-combining buffers merge them into whole lines). p must be 16-byte aligned. Plain
// stores where the target has no SSE. The caller issues store_fence() before another thread reads.
INFERSIM_REF_INLINE void stream_store(float* p, const Lanes& v) {
#if defined(__SSE__)
  for (int c = 0; c < 4; ++c) {
    __m128 x;
    std::memcpy(&x, reinterpret_cast<const char*>(&v) + c * sizeof x, sizeof x);
    _mm_stream_ps(p + 4 * c, x);
  }
#else
  std::memcpy(p, &v, sizeof v);
#endif
}

// Orders this thread's non-temporal stores before whatever it does next (they are weakly ordered).
INFERSIM_REF_INLINE void store_fence() {
#if defined(__SSE__)
  _mm_sfence();
#endif
}

// Whether p may be passed to stream_store.
inline bool aligned16(const float* p) { return reinterpret_cast<std::uintptr_t>(p) % 16 == 0; }

// Four dot products a.b0 .. a.b3 into out[0..3]: four independent accumulator chains hide the FMA
// latency that a single reduction waits on, and a is loaded once for all four.
INFERSIM_REF_INLINE void dot4(const float* a, const float* b0, const float* b1, const float* b2,
                              const float* b3, int n, float* out) {
  Lanes s0{}, s1{}, s2{}, s3{};
  int i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    Lanes x, y0, y1, y2, y3;
    load_lanes(x, a + i);
    load_lanes(y0, b0 + i);
    load_lanes(y1, b1 + i);
    load_lanes(y2, b2 + i);
    load_lanes(y3, b3 + i);
    s0 += x * y0;
    s1 += x * y1;
    s2 += x * y2;
    s3 += x * y3;
  }
  out[0] = lane_sum(s0);
  out[1] = lane_sum(s1);
  out[2] = lane_sum(s2);
  out[3] = lane_sum(s3);
  for (; i < n; ++i) {
    out[0] += a[i] * b0[i];
    out[1] += a[i] * b1[i];
    out[2] += a[i] * b2[i];
    out[3] += a[i] * b3[i];
  }
}

// e^x for x <= 88 in plain arithmetic, so that `omp simd` loops vectorise it (std::exp stays a scalar
// libm call without -ffast-math). Cephes expf (S. L. Moshier, Cephes Math Library, expf.c): x = n ln2 + r
// with |r| <= ln2/2, ln2 split in two for an exact product, e^r by its degree-7 minimax polynomial,
// 2^n put into the exponent bits. Relative error about 2 ulp; x below -87.3 returns e^-87.3 (~1e-38)
// rather than 0, which is harmless where it is used (a weight multiplying an all-zero state).
INFERSIM_REF_INLINE float exp_poly(float x) {
  x = std::min(88.0f, std::max(-87.3f, x));
  constexpr float kRound = 12582912.0f;  // 1.5 * 2^23: adding and subtracting it rounds to an integer
  const float n = (x * 1.44269504088896341f + kRound) - kRound;
  float r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float er = p * r * r + r + 1.0f;
  const auto bits = static_cast<std::uint32_t>(static_cast<std::int32_t>(n) + 127) << 23;
  return er * std::bit_cast<float>(bits);
}

// y += alpha * x
INFERSIM_REF_INLINE void axpy(float alpha, const float* x, float* y, int n) {
#pragma omp simd
  for (int i = 0; i < n; ++i) y[i] += alpha * x[i];
}

// acc[0, n) += sum_j p[j] * rows[j * stride + (0, n)] for j < count: the P.V product of attention.
// Chunks of 128 (then 64) outputs stay in eight (four) 16-lane registers across all the rows, so each
// row element is loaded once and acc once per chunk (an axpy per row would load and store acc for
// every row); eight independent chains cover the FMA latency at two FMAs per cycle.
template <int kVectors>
INFERSIM_REF_INLINE void accumulate_chunk(const float* p, const float* rows, int count, int stride,
                                          float* acc) {
  Lanes a[kVectors];
  for (int c = 0; c < kVectors; ++c) load_lanes(a[c], acc + c * kLanes);
  for (int j = 0; j < count; ++j) {
    const float* row = rows + static_cast<std::size_t>(j) * stride;
    const float w = p[j];
    for (int c = 0; c < kVectors; ++c) {
      Lanes x;
      load_lanes(x, row + c * kLanes);
      a[c] += x * w;  // the scalar is broadcast
    }
  }
  for (int c = 0; c < kVectors; ++c) std::memcpy(acc + c * kLanes, &a[c], sizeof(Lanes));
}

INFERSIM_REF_INLINE void accumulate_rows(const float* p, const float* rows, int count, int stride, float* acc,
                                         int n) {
  int d = 0;
  for (; d + 8 * kLanes <= n; d += 8 * kLanes) accumulate_chunk<8>(p, rows + d, count, stride, acc + d);
  for (; d + 4 * kLanes <= n; d += 4 * kLanes) accumulate_chunk<4>(p, rows + d, count, stride, acc + d);
  for (int j = 0; j < count && d < n; ++j) {
    const float* row = rows + static_cast<std::size_t>(j) * stride;
    const float w = p[j];
#pragma omp simd
    for (int e = d; e < n; ++e) acc[e] += w * row[e];
  }
}

INFERSIM_REF_INLINE void scale(float alpha, float* y, int n) {
#pragma omp simd
  for (int i = 0; i < n; ++i) y[i] *= alpha;
}

INFERSIM_REF_INLINE float max_of(const float* x, int n) {
  float m = -std::numeric_limits<float>::infinity();
#pragma omp simd reduction(max : m)
  for (int i = 0; i < n; ++i) m = x[i] > m ? x[i] : m;  // std::max's reference return blocks vectorising
  return m;
}

// x[i] <- exp(x[i] - shift); returns the sum of the results.
INFERSIM_REF_INLINE float exp_shifted(float* x, float shift, int n) {
  float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
  for (int i = 0; i < n; ++i) {
    x[i] = exp_poly(x[i] - shift);
    sum += x[i];
  }
  return sum;
}

// Softmax in place, max-subtracted so exp never overflows (Milakov & Gimelshein 2018, "Online
// normalizer calculation for softmax", the safe form).
INFERSIM_REF_INLINE void softmax(float* x, int n) {
  const float sum = exp_shifted(x, max_of(x, n), n);
  scale(1.0f / sum, x, n);
}

}  // namespace infersim::ref::detail

#pragma once
// The non-attention kernels of a decoder layer, fp32, row-major, plus the STREAM triad that measures
// memory bandwidth. `threads` counts every thread used, the caller's included.
#include <cstddef>

namespace infersim::ref {

// How a kernel writes its output: through the caches (the default: the next kernel reads it), or with
// streaming (non-temporal) stores, which skip the read-for-ownership a cached store makes of every
// output line it misses, so an output far larger than the last-level cache costs its bytes once rather
// than twice (STREAM as Intel builds it; glibc's memcpy above its non-temporal threshold).
enum class Stores { cached, streaming };

// y = x / sqrt(mean(x^2) + eps) * weight, per row of x [rows x hidden] (Zhang & Sennrich 2019).
void rmsnorm(const float* x, const float* weight, float* y, int rows, int hidden, float eps, int threads,
             Stores stores = Stores::cached);

// SiLU-gated MLP (SwiGLU, Shazeer 2020, as in Llama): y = (silu(x Wg) * (x Wu)) Wd.
// gate_up [hidden x 2*ffn] holds Wg in columns [0, ffn) and Wu in [ffn, 2*ffn), so one GEMM computes
// both; down is [ffn x hidden]. scratch holds tokens x 2*ffn floats (the caller owns it, so timing
// measures no allocation). Both GEMMs run on OpenBLAS's threads, the SiLU product on ours.
struct GatedMlp {
  const float* gate_up = nullptr;
  const float* down = nullptr;
  int hidden = 0;
  int ffn = 0;
};
void gated_mlp(const GatedMlp& mlp, const float* x, int tokens, float* scratch, float* y, int threads);

// STREAM triad a[i] = b[i] + s * c[i] (McCalpin, STREAM benchmark).
void triad(float* a, const float* b, const float* c, float s, std::size_t n, int threads,
           Stores stores = Stores::cached);

}  // namespace infersim::ref

#pragma once
// Dense fp32 matrix products through OpenBLAS (CBLAS). All matrices are row-major.
#include <string>

namespace infersim::ref {

// C[m x n] = A[m x k] * B[k x n]; lda, ldb, ldc are the row strides in elements.
void gemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc);

// Packed operands: lda = k, ldb = ldc = n.
inline void gemm(int m, int n, int k, const float* a, const float* b, float* c) {
  gemm(m, n, k, a, k, b, n, c, n);
}

// Y[rows x n_out] = X[rows x k_in] * W^T, W stored [n_out x k_in] (the nn.Linear layout). One row is a
// decode step's GEMV (cblas_sgemv); a few rows are the skinny GEMM of batched decode (cblas_sgemm).
void linear(const float* x, const float* w, float* y, int rows, int n_out, int k_in);

// What OpenBLAS chose at run time: its kernel set ("core", e.g. "Haswell", "Prescott") and threads.
struct BlasInfo {
  std::string core;
  int threads = 0;
};
[[nodiscard]] BlasInfo blas_info();

// Sets OpenBLAS's own thread count (openblas_set_num_threads); the core type is left to OpenBLAS.
void set_blas_threads(int threads);

// Waits until OpenBLAS's worker threads have gone to sleep. After each threaded call they poll for
// more work (a sched_yield loop) for thread_timeout = 2^28 TSC cycles, ~0.1 s at 2-3 GHz (OpenBLAS
// driver/others/blas_server.c, THREAD_TIMEOUT 28), holding a core that the next timed kernel needs:
// measured here, a triad right after an sgemm ran at 13 GB/s in one run of two, 23-25 GB/s after this
// wait. Sleeps until kBlasParkS, three times that window, after the last call through this header
// returned; not at all when there was none, or when that was longer ago.
inline constexpr double kBlasParkS = 0.3;
void let_blas_threads_park();

}  // namespace infersim::ref

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

}  // namespace infersim::ref

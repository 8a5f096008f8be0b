#pragma once
// cuBLAS GEMMs in the row-major layouts of the suite. A row-major X[r x c] is the column-major X^T,
// so C = A B is issued as C^T = B^T A^T. cublasGemmEx: bf16 and fp16 with fp32 accumulation
// (CUBLAS_COMPUTE_32F), tf32 as CUBLAS_COMPUTE_32F_FAST_TF32 on fp32 storage, fp32 as plain fp32.
#include <cublas_v2.h>

#include "ref_cuda/cases.hpp"

namespace infersim::ref_cuda {

class Blas {
 public:
  explicit Blas(cudaStream_t stream);
  Blas(const Blas&) = delete;
  Blas& operator=(const Blas&) = delete;
  ~Blas();

  // Row-major C[m x n] = A[m x k] B[k x n], every matrix of type p.
  void gemm(Precision p, int m, int n, int k, const void* a, const void* b, void* c) const;

  // A linear layer: row-major y[rows x n_out] = x[rows x k_in] W^T, W [n_out x k_in] row-major.
  void linear(Precision p, int rows, int n_out, int k_in, const void* x, const void* w, void* y) const;

 private:
  cublasHandle_t handle_{};
};

}  // namespace infersim::ref_cuda

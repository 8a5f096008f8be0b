#include "ref_cuda/gemm.hpp"

#include "ref_cuda/cuda_check.hpp"

namespace infersim::ref_cuda {

namespace {

cudaDataType_t storage_type(Precision p) {
  switch (p) {
    case Precision::bf16:
      return CUDA_R_16BF;
    case Precision::fp16:
      return CUDA_R_16F;
    case Precision::fp32:
    case Precision::tf32:
      return CUDA_R_32F;
  }
  return CUDA_R_32F;
}

cublasComputeType_t compute_type(Precision p) {
  return p == Precision::tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F;
}

// Column-major C[m x n] = op(A) op(B) with fp32 alpha = 1, beta = 0.
void gemm_ex(cublasHandle_t handle, Precision p, cublasOperation_t op_a, cublasOperation_t op_b, int m, int n,
             int k, const void* a, int lda, const void* b, int ldb, void* c, int ldc) {
  const float alpha = 1.0f, beta = 0.0f;
  const cudaDataType_t type = storage_type(p);
  check_cublas(cublasGemmEx(handle, op_a, op_b, m, n, k, &alpha, a, type, lda, b, type, ldb, &beta, c, type,
                            ldc, compute_type(p), CUBLAS_GEMM_DEFAULT),
               "cublasGemmEx");
}

}  // namespace

Blas::Blas(cudaStream_t stream) {
  check_cublas(cublasCreate(&handle_), "cublasCreate");
  check_cublas(cublasSetStream(handle_, stream), "cublasSetStream");
}

Blas::~Blas() { cublasDestroy(handle_); }

// C^T[n x m] = B^T[n x k] A^T[k x m]: column-major B^T is B with ld n, A^T is A with ld k.
void Blas::gemm(Precision p, int m, int n, int k, const void* a, const void* b, void* c) const {
  gemm_ex(handle_, p, CUBLAS_OP_N, CUBLAS_OP_N, n, m, k, b, n, a, k, c, n);
}

// y^T[n_out x rows] = W[n_out x k_in] x^T[k_in x rows]: column-major W^T is W with ld k_in (so op T),
// x^T is x with ld k_in, y^T is y with ld n_out.
void Blas::linear(Precision p, int rows, int n_out, int k_in, const void* x, const void* w, void* y) const {
  gemm_ex(handle_, p, CUBLAS_OP_T, CUBLAS_OP_N, n_out, rows, k_in, w, k_in, x, k_in, y, n_out);
}

}  // namespace infersim::ref_cuda

#pragma once
// Errors of the CUDA runtime and cuBLAS as C++ exceptions. NoDeviceError: no usable CUDA device or
// driver (the runner exits 2); CudaError: anything else (a bug or a broken machine: exit 1).
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

#include "core/errors.hpp"

namespace infersim::ref_cuda {

// No usable device: the machine's, not a bug (exit 2, as bad input).
class NoDeviceError : public InputError {
 public:
  using InputError::InputError;
};

class CudaError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline void check_cuda(cudaError_t status, const char* what) {
  if (status != cudaSuccess)
    throw CudaError(std::string(what) + ": " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) +
                    ")");
}

inline void check_cublas(cublasStatus_t status, const char* what) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw CudaError(std::string(what) + ": cuBLAS status " + std::to_string(static_cast<int>(status)));
}

// After a kernel launch: launch-configuration errors surface here, execution errors at the next sync.
inline void check_launch(const char* kernel) { check_cuda(cudaGetLastError(), kernel); }

}  // namespace infersim::ref_cuda

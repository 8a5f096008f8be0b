#pragma once
// The head layout of an attention case, shared by the CPU kernels (ref/cpu/attention.hpp), the CUDA
// kernels (src/ref_cuda) and the work counts both runners report (ref/base/work_counts.hpp).

namespace infersim::ref {

struct AttentionShape {
  int batch = 1;
  int heads = 1;     // query heads H
  int kv_heads = 1;  // KV heads Hkv; H % Hkv == 0
  int head_dim = 1;  // dh
};

}  // namespace infersim::ref

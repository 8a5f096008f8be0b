#pragma once
// The CUDA suite's cases: plain data, with their measured-CSV description (family, dtype, shape, the
// least FLOPs and bytes from ref/base/work_counts.hpp), known without a GPU (`--list-cases`).
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ref/base/attention_shape.hpp"
#include "ref/base/measured_csv.hpp"
#include "ref/base/work_counts.hpp"

namespace infersim::ref_cuda {

// Storage type of every tensor of a case; tf32 is fp32 storage with TF32 tensor-core math.
// bf16 and fp16 accumulate in fp32.
enum class Precision { fp32, tf32, bf16, fp16 };

[[nodiscard]] std::string_view precision_name(Precision p);  // the dtype column: "fp32", "bf16", ...
[[nodiscard]] double element_bytes(Precision p);

// ref/base/work_counts.hpp counts fp32 elements; every tensor of a case has one storage type, so its bytes
// scale with the element size and its FLOPs do not.
[[nodiscard]] ref::Work at_precision(const ref::Work& fp32_work, Precision p);

struct GemmCase {  // row-major C[m x n] = A[m x k] B[k x n]
  std::string name;
  Precision precision;
  int m, n, k;
};
struct LinearCase {  // decode GEMV / skinny GEMM: y[rows x n_out] = x[rows x k_in] W^T, W [n_out x k_in]
  std::string name;
  Precision precision;
  int rows, n_out, k_in;
};
struct DecodeCase {
  std::string name;
  Precision precision;
  ref::AttentionShape shape;
  int context;
};
struct PrefillCase {
  std::string name;
  Precision precision;
  ref::AttentionShape shape;
  int seq;
};
struct NormCase {
  std::string name;
  Precision precision;
  int rows, hidden;
};
struct MlpCase {  // gate_up linear, SiLU * up, down linear
  std::string name;
  Precision precision;
  int tokens, hidden, ffn;
};
struct TriadCase {  // fp32
  std::string name;
  std::size_t n;
};

using Case = std::variant<GemmCase, LinearCase, DecodeCase, PrefillCase, NormCase, MlpCase, TriadCase>;

struct CaseInfo {
  std::string name;
  KernelFamily family = KernelFamily::gemm;
  std::string dtype;
  std::string shape;  // key=value;... as infersim-ref-cpu writes it
  ref::Work work;
  bool cold = false;  // timed after an L2 flush (the decode families, as kernel_predict models them)
};

[[nodiscard]] CaseInfo describe(const Case& c);

// GPU-sized: memory-bound working sets of 0.5 to 3 GiB, far above the L2 (50 MiB on an H100).
[[nodiscard]] std::vector<Case> suite_cases(bool quick);

}  // namespace infersim::ref_cuda

#pragma once
// Straightforward CPU references for `infersim-ref-cuda --check`: the definitions, in double
// accumulation, row-major, same layouts as the CUDA kernels (kernels.hpp, gemm.hpp). Small shapes only.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "ref/base/attention_shape.hpp"

namespace infersim::ref_cuda::host {

// n values j / 64 for integers j in [-64, 64], times scale: exact in fp16, bf16 and tf32 when scale is
// a power of two, so the GPU and the reference see the same inputs.
[[nodiscard]] std::vector<float> exact_values(std::size_t n, std::uint32_t seed, float scale);

[[nodiscard]] std::vector<float> gemm(int m, int n, int k, const std::vector<float>& a,
                                      const std::vector<float>& b);
[[nodiscard]] std::vector<float> linear(int rows, int n_out, int k_in, const std::vector<float>& x,
                                        const std::vector<float>& w);

// Attention of q [batch, H, q_tokens, dh] over k, v [batch, Hkv, kv_tokens, dh]: query i sits at
// position kv_tokens - q_tokens + i and sees keys 0..position (decode: q_tokens 1; prefill: equal).
[[nodiscard]] std::vector<float> attention(const ref::AttentionShape& s, int q_tokens, int kv_tokens,
                                           const std::vector<float>& q, const std::vector<float>& k,
                                           const std::vector<float>& v);

[[nodiscard]] std::vector<float> rmsnorm(int rows, int hidden, const std::vector<float>& x,
                                         const std::vector<float>& weight, float eps);
[[nodiscard]] std::vector<float> silu_mul(int tokens, int ffn, const std::vector<float>& gate_up);
[[nodiscard]] std::vector<float> triad(const std::vector<float>& b, const std::vector<float>& c,
                                       float scalar);

// max |got - want| / max |want| (0 when want is all zero and got equals it); sizes must match.
[[nodiscard]] double relative_error(const std::vector<float>& got, const std::vector<float>& want);

}  // namespace infersim::ref_cuda::host

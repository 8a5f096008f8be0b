#pragma once
// The runner's own CUDA kernels (the GEMMs are cuBLAS, gemm.hpp). Launchers are plain host functions
// so host code compiled by the C++ compiler can call them; each enqueues on `stream` and returns.
// Element types: float, __nv_bfloat16 and __half where instantiated; arithmetic is fp32 throughout.
// Layouts are row-major and match the CPU reference kernels (ref/cpu/attention.hpp, ref/cpu/layers.hpp).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>

#include "ref/base/attention_shape.hpp"

namespace infersim::ref_cuda {

using bf16 = __nv_bfloat16;
using fp16 = __half;
using ref::AttentionShape;

// p[i] = scale * u(seed, i), u uniform in [-1, 1) from a counter hash: the same values on every run.
template <class T>
void fill_uniform(T* p, std::size_t n, std::uint32_t seed, float scale, cudaStream_t stream);

template <class T>
void convert_from_float(const float* in, T* out, std::size_t n, cudaStream_t stream);
template <class T>
void convert_to_float(const T* in, float* out, std::size_t n, cudaStream_t stream);

// Writes `value` to all n words.
void fill_words(std::uint32_t* p, std::size_t n, std::uint32_t value, cudaStream_t stream);

// Reads all n words, so the L2 ends up holding clean lines of p (cuda_timing.hpp: L2Flusher). Each warp
// stores the XOR of the words it read to sink[warp], so the loads are not optimised away; sink holds
// read_words_sink_size(n) words.
[[nodiscard]] std::size_t read_words_sink_size(std::size_t n);
void read_words(const std::uint32_t* p, std::size_t n, std::uint32_t* sink, cudaStream_t stream);

// y[r, :] = x[r, :] / sqrt(mean(x[r, :]^2) + eps) * weight; x, y [rows, hidden].
template <class T>
void rmsnorm(const T* x, const T* weight, T* y, int rows, int hidden, float eps, cudaStream_t stream);

// out[t, i] = silu(gate_up[t, i]) * gate_up[t, ffn + i]; gate_up [tokens, 2 ffn], out [tokens, ffn].
template <class T>
void silu_mul(const T* gate_up, T* out, int tokens, int ffn, cudaStream_t stream);

// STREAM triad a = b + scalar * c over n floats.
void triad(float* a, const float* b, const float* c, float scalar, std::size_t n, cudaStream_t stream);

// Decode attention, one step at context t: q, out [batch, H, dh]; k, v [batch, Hkv, t, dh]; query head
// h reads KV head h / (H / Hkv); scale 1/sqrt(dh). Flash-decoding: block (split, KV head, batch) reads
// its share of the context once for every query head of its group, keeping an online softmax; a second
// kernel combines the splits. workspace: decode_workspace_floats() floats.
struct DecodeSplit {
  int splits = 1;      // blocks along the context, none of them empty
  int chunk_keys = 0;  // keys per split, a multiple of 32
};
// About four blocks per SM, each split at least 256 keys long.
[[nodiscard]] DecodeSplit decode_split(const AttentionShape& shape, int context, int sm_count);
[[nodiscard]] std::size_t decode_workspace_floats(const AttentionShape& shape, const DecodeSplit& split);
template <class T>
void attention_decode(const AttentionShape& shape, int context, const T* q, const T* k, const T* v, T* out,
                      float* workspace, const DecodeSplit& split, cudaStream_t stream);

// Causal prefill of s tokens: q, out [batch, H, s, dh]; k, v [batch, Hkv, s, dh]; query i sees keys
// 0..i. FlashAttention-style: a block per (32-query tile, head, batch) walks the 32-key tiles up to the
// diagonal with an online softmax; tiles above it are skipped. head_dim 64 or 128.
template <class T>
void attention_prefill(const AttentionShape& shape, int seq, const T* q, const T* k, const T* v, T* out,
                       cudaStream_t stream);

// Throws std::invalid_argument for a shape the kernels do not support (sizes, H % Hkv, head_dim).
void check_decode_shape(const AttentionShape& shape, int context);
void check_prefill_shape(const AttentionShape& shape, int seq);

}  // namespace infersim::ref_cuda

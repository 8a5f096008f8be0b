// Elementwise and row-wise kernels: random fill, conversion, L2 eviction (a read pass), RMSNorm, SiLU
// gate, triad.
#include <algorithm>

#include "ref_cuda/cuda_check.hpp"
#include "ref_cuda/device_math.cuh"
#include "ref_cuda/kernels.hpp"

namespace infersim::ref_cuda {

namespace {

using device::from_float;
using device::to_float;

constexpr int kThreads = 256;

// Enough blocks to fill any current GPU several times over; the kernels below are grid-stride loops.
unsigned grid_for(std::size_t n) {
  const std::size_t blocks = (n + kThreads - 1) / kThreads;
  return static_cast<unsigned>(std::clamp<std::size_t>(blocks, 1, std::size_t{1} << 16));
}

__device__ __forceinline__ std::uint32_t hash32(std::uint32_t x) {  // lowbias32 (C. Wellons)
  x ^= x >> 16;
  x *= 0x7feb352du;
  x ^= x >> 15;
  x *= 0x846ca68bu;
  x ^= x >> 16;
  return x;
}

template <class T>
__global__ void fill_uniform_kernel(T* p, std::size_t n, std::uint32_t seed, float scale) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
       i += std::size_t{gridDim.x} * blockDim.x) {
    const std::uint32_t h =
        hash32(static_cast<std::uint32_t>(i) ^ hash32(seed + static_cast<std::uint32_t>(i >> 32)));
    const float u = static_cast<float>(h >> 8) * (1.0f / 8388608.0f) - 1.0f;  // 24 bits -> [-1, 1)
    p[i] = from_float<T>(scale * u);
  }
}

template <class In, class Out>
__global__ void convert_kernel(const In* in, Out* out, std::size_t n) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
       i += std::size_t{gridDim.x} * blockDim.x)
    out[i] = from_float<Out>(to_float(in[i]));
}

__global__ void fill_words_kernel(std::uint32_t* p, std::size_t n, std::uint32_t value) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
       i += std::size_t{gridDim.x} * blockDim.x)
    p[i] = value;
}

// kThreads is a multiple of 32 and every thread of a warp reaches the shuffles.
__global__ void read_words_kernel(const std::uint32_t* p, std::size_t n, std::uint32_t* sink) {
  const std::size_t first = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x;
  std::uint32_t bits = 0;
  for (std::size_t i = first; i < n; i += std::size_t{gridDim.x} * blockDim.x) bits ^= p[i];
  for (int offset = 16; offset > 0; offset /= 2) bits ^= __shfl_xor_sync(0xffffffffu, bits, offset);
  if (threadIdx.x % 32 == 0) sink[first / 32] = bits;
}

// One block per row: sum of squares reduced over the block, then the scaled row written.
template <class T>
__global__ void rmsnorm_kernel(const T* x, const T* weight, T* y, int hidden, float eps) {
  __shared__ float warp_sums[kThreads / 32];
  const T* row = x + static_cast<std::size_t>(blockIdx.x) * hidden;
  float sum = 0.0f;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x) {
    const float v = to_float(row[i]);
    sum += v * v;
  }
  sum = device::group_sum(sum, 32);
  if (threadIdx.x % 32 == 0) warp_sums[threadIdx.x / 32] = sum;
  __syncthreads();
  float total = 0.0f;
  for (int w = 0; w < kThreads / 32; ++w) total += warp_sums[w];
  const float inv_rms = rsqrtf(total / static_cast<float>(hidden) + eps);
  T* out = y + static_cast<std::size_t>(blockIdx.x) * hidden;
  for (int i = threadIdx.x; i < hidden; i += blockDim.x)
    out[i] = from_float<T>(to_float(row[i]) * inv_rms * to_float(weight[i]));
}

template <class T>
__global__ void silu_mul_kernel(const T* gate_up, T* out, int tokens, int ffn) {
  const std::size_t n = static_cast<std::size_t>(tokens) * ffn;
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n;
       i += std::size_t{gridDim.x} * blockDim.x) {
    const std::size_t t = i / ffn;
    const std::size_t j = i - t * ffn;
    const float g = to_float(gate_up[t * 2 * ffn + j]);
    const float u = to_float(gate_up[t * 2 * ffn + ffn + j]);
    out[i] = from_float<T>(g / (1.0f + expf(-g)) * u);
  }
}

__global__ void triad_kernel(float4* a, const float4* b, const float4* c, float scalar, std::size_t n4) {
  for (std::size_t i = blockIdx.x * std::size_t{blockDim.x} + threadIdx.x; i < n4;
       i += std::size_t{gridDim.x} * blockDim.x) {
    const float4 x = b[i];
    const float4 y = c[i];
    a[i] = make_float4(x.x + scalar * y.x, x.y + scalar * y.y, x.z + scalar * y.z, x.w + scalar * y.w);
  }
}

__global__ void triad_tail_kernel(float* a, const float* b, const float* c, float scalar, std::size_t begin,
                                  std::size_t n) {
  const std::size_t i = begin + threadIdx.x;
  if (i < n) a[i] = b[i] + scalar * c[i];
}

}  // namespace

template <class T>
void fill_uniform(T* p, std::size_t n, std::uint32_t seed, float scale, cudaStream_t stream) {
  fill_uniform_kernel<<<grid_for(n), kThreads, 0, stream>>>(p, n, seed, scale);
  check_launch("fill_uniform");
}

template <class T>
void convert_from_float(const float* in, T* out, std::size_t n, cudaStream_t stream) {
  convert_kernel<<<grid_for(n), kThreads, 0, stream>>>(in, out, n);
  check_launch("convert_from_float");
}

template <class T>
void convert_to_float(const T* in, float* out, std::size_t n, cudaStream_t stream) {
  convert_kernel<<<grid_for(n), kThreads, 0, stream>>>(in, out, n);
  check_launch("convert_to_float");
}

void fill_words(std::uint32_t* p, std::size_t n, std::uint32_t value, cudaStream_t stream) {
  fill_words_kernel<<<grid_for(n), kThreads, 0, stream>>>(p, n, value);
  check_launch("fill_words");
}

std::size_t read_words_sink_size(std::size_t n) { return std::size_t{grid_for(n)} * (kThreads / 32); }

void read_words(const std::uint32_t* p, std::size_t n, std::uint32_t* sink, cudaStream_t stream) {
  read_words_kernel<<<grid_for(n), kThreads, 0, stream>>>(p, n, sink);
  check_launch("read_words");
}

template <class T>
void rmsnorm(const T* x, const T* weight, T* y, int rows, int hidden, float eps, cudaStream_t stream) {
  if (rows <= 0 || hidden <= 0) return;
  rmsnorm_kernel<<<static_cast<unsigned>(rows), kThreads, 0, stream>>>(x, weight, y, hidden, eps);
  check_launch("rmsnorm");
}

template <class T>
void silu_mul(const T* gate_up, T* out, int tokens, int ffn, cudaStream_t stream) {
  silu_mul_kernel<<<grid_for(static_cast<std::size_t>(tokens) * ffn), kThreads, 0, stream>>>(gate_up, out,
                                                                                             tokens, ffn);
  check_launch("silu_mul");
}

// float4 over the first n - n % 4 elements (cudaMalloc pointers are 256-byte aligned), then the tail.
void triad(float* a, const float* b, const float* c, float scalar, std::size_t n, cudaStream_t stream) {
  const std::size_t n4 = n / 4;
  if (n4 > 0) {
    triad_kernel<<<grid_for(n4), kThreads, 0, stream>>>(reinterpret_cast<float4*>(a),
                                                        reinterpret_cast<const float4*>(b),
                                                        reinterpret_cast<const float4*>(c), scalar, n4);
    check_launch("triad");
  }
  if (n % 4 != 0) {
    triad_tail_kernel<<<1, 4, 0, stream>>>(a, b, c, scalar, n4 * 4, n);
    check_launch("triad_tail");
  }
}

template void fill_uniform<float>(float*, std::size_t, std::uint32_t, float, cudaStream_t);
template void fill_uniform<bf16>(bf16*, std::size_t, std::uint32_t, float, cudaStream_t);
template void fill_uniform<fp16>(fp16*, std::size_t, std::uint32_t, float, cudaStream_t);
template void convert_from_float<bf16>(const float*, bf16*, std::size_t, cudaStream_t);
template void convert_from_float<fp16>(const float*, fp16*, std::size_t, cudaStream_t);
template void convert_from_float<float>(const float*, float*, std::size_t, cudaStream_t);
template void convert_to_float<bf16>(const bf16*, float*, std::size_t, cudaStream_t);
template void convert_to_float<fp16>(const fp16*, float*, std::size_t, cudaStream_t);
template void convert_to_float<float>(const float*, float*, std::size_t, cudaStream_t);
template void rmsnorm<float>(const float*, const float*, float*, int, int, float, cudaStream_t);
template void rmsnorm<bf16>(const bf16*, const bf16*, bf16*, int, int, float, cudaStream_t);
template void silu_mul<float>(const float*, float*, int, int, cudaStream_t);
template void silu_mul<bf16>(const bf16*, bf16*, int, int, cudaStream_t);

}  // namespace infersim::ref_cuda

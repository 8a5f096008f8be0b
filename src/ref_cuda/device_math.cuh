#pragma once
// Device helpers shared by the .cu files: element conversion and warp reductions.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace infersim::ref_cuda::device {

__device__ __forceinline__ float to_float(float x) { return x; }
__device__ __forceinline__ float to_float(__nv_bfloat16 x) { return __bfloat162float(x); }
__device__ __forceinline__ float to_float(__half x) { return __half2float(x); }

template <class T>
__device__ __forceinline__ T from_float(float x);
template <>
__device__ __forceinline__ float from_float<float>(float x) {
  return x;
}
template <>
__device__ __forceinline__ __nv_bfloat16 from_float<__nv_bfloat16>(float x) {
  return __float2bfloat16(x);
}
template <>
__device__ __forceinline__ __half from_float<__half>(float x) {
  return __float2half(x);
}

// Reductions over `width` consecutive lanes (a power of two up to 32), result in every one of them.
__device__ __forceinline__ float group_max(float x, int width) {
  for (int offset = width / 2; offset > 0; offset /= 2) x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, offset));
  return x;
}
__device__ __forceinline__ float group_sum(float x, int width) {
  for (int offset = width / 2; offset > 0; offset /= 2) x += __shfl_xor_sync(0xffffffffu, x, offset);
  return x;
}

}  // namespace infersim::ref_cuda::device

namespace infersim::ref_cuda::device {

// Loads `count` consecutive elements of T from each of a and b (16-byte aligned; count * sizeof(T) a
// multiple of 16) with 16-byte loads, eight per thread in flight before any is used, and hands each
// element as a float to store_a(index, value) or store_b(index, value). Called by the whole block.
template <class T, class StoreA, class StoreB>
__device__ __forceinline__ void load_pair(const T* a, const T* b, int count, StoreA store_a, StoreB store_b) {
  constexpr int kPerVector = 16 / sizeof(T);
  constexpr int kInFlight = 8;
  const int vectors = count / kPerVector;
  const uint4* va = reinterpret_cast<const uint4*>(a);
  const uint4* vb = reinterpret_cast<const uint4*>(b);
  for (int base = 0; base < 2 * vectors; base += kInFlight * static_cast<int>(blockDim.x)) {
    uint4 r[kInFlight];
#pragma unroll
    for (int u = 0; u < kInFlight; ++u) {
      const int i = base + u * static_cast<int>(blockDim.x) + static_cast<int>(threadIdx.x);
      r[u] = i < vectors ? va[i] : i < 2 * vectors ? vb[i - vectors] : make_uint4(0, 0, 0, 0);
    }
#pragma unroll
    for (int u = 0; u < kInFlight; ++u) {
      const int i = base + u * static_cast<int>(blockDim.x) + static_cast<int>(threadIdx.x);
      T element[kPerVector];
      memcpy(element, &r[u], sizeof(uint4));
#pragma unroll
      for (int x = 0; x < kPerVector; ++x) {
        if (i < vectors) {
          store_a(i * kPerVector + x, to_float(element[x]));
        } else if (i < 2 * vectors) {
          store_b((i - vectors) * kPerVector + x, to_float(element[x]));
        }
      }
    }
  }
}

}  // namespace infersim::ref_cuda::device

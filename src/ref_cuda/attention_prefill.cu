// Causal prefill attention, FlashAttention-style (Dao et al. 2022) on CUDA cores in fp32: a block of
// 256 threads per (32-query tile, head, batch) keeps its scaled Q tile in shared memory and walks the
// 32-key tiles up to the diagonal: S = Q K^T (each thread a 2x2 block of scores, K stored transposed),
// then a row-wise online softmax and O = diag(alpha) O + P V with O in registers (8 threads per row).
// Tiles above the diagonal are never loaded. Written for clarity, not peak: no tensor cores.
#include <algorithm>
#include <stdexcept>

#include "ref_cuda/cuda_check.hpp"
#include "ref_cuda/device_math.cuh"
#include "ref_cuda/kernels.hpp"

namespace infersim::ref_cuda {

namespace {

using device::from_float;
using device::to_float;

constexpr int kTile = 32;  // queries per block and keys per step
constexpr int kThreads = 256;
constexpr int kThreadsPerRow = kThreads / kTile;  // 8: a row's softmax reduces over 8 adjacent lanes

struct PrefillDims {
  int heads, kv_heads, seq;
};

template <int kDh>
constexpr std::size_t shared_floats() {
  return static_cast<std::size_t>(kTile) * (kDh + 1)       // Q, padded
         + static_cast<std::size_t>(kDh) * (kTile + 1)     // K transposed, padded
         + static_cast<std::size_t>(kTile) * kDh           // V
         + static_cast<std::size_t>(kTile) * (kTile + 1);  // scores / probabilities
}

template <class T, int kDh>
__global__ void __launch_bounds__(kThreads)
    prefill_kernel(PrefillDims dims, const T* q, const T* k, const T* v, T* out) {
  static_assert(kDh % kThreadsPerRow == 0, "head_dim must split over the threads of a row");
  constexpr int kPerThread = kDh / kThreadsPerRow;
  extern __shared__ __align__(16) float smem[];  // read through float4
  float* qs = smem;                              // [kTile][kDh + 1]
  float* kt = qs + kTile * (kDh + 1);            // [kDh][kTile + 1]
  float* vs = kt + kDh * (kTile + 1);            // [kTile][kDh]
  float* ps = vs + kTile * kDh;                  // [kTile][kTile + 1]

  const int q_tile = gridDim.x - 1 - blockIdx.x;  // longest rows first: better tail balance
  const int h = blockIdx.y, b = blockIdx.z, tid = threadIdx.x;
  const int kvh = h / (dims.heads / dims.kv_heads);
  const std::size_t q_base = (static_cast<std::size_t>(b) * dims.heads + h) * dims.seq * kDh;
  const std::size_t kv_base = (static_cast<std::size_t>(b) * dims.kv_heads + kvh) * dims.seq * kDh;
  const int q0 = q_tile * kTile;
  const float scale = rsqrtf(static_cast<float>(kDh));

  const int q_rows = min(kTile, dims.seq - q0);
  const T* q_tile_at = q + q_base + static_cast<std::size_t>(q0) * kDh;  // q_rows rows, contiguous
  const int half = q_rows * kDh / 2;  // the tile as two halves: load_pair's two sources
  device::load_pair(
      q_tile_at, q_tile_at + half, half,
      [&](int i, float x) { qs[i / kDh * (kDh + 1) + i % kDh] = x * scale; },
      [&](int i, float x) { qs[(i + half) / kDh * (kDh + 1) + (i + half) % kDh] = x * scale; });
  for (int i = q_rows * kDh + tid; i < kTile * kDh; i += kThreads) qs[i / kDh * (kDh + 1) + i % kDh] = 0.0f;
  const int ti = tid / 16, tj = tid % 16;  // score block: rows ti, ti+16; cols tj, tj+16
  const int row = tid / kThreadsPerRow, sub = tid % kThreadsPerRow;  // output: row, d = sub + 8c
  float acc[kPerThread];
#pragma unroll
  for (int c = 0; c < kPerThread; ++c) acc[c] = 0.0f;
  float m = -INFINITY, l = 0.0f;

  for (int k_tile = 0; k_tile <= q_tile; ++k_tile) {
    const int k0 = k_tile * kTile;
    __syncthreads();  // Q is loaded / the previous K, V and P are consumed
    const int k_rows = min(kTile, dims.seq - k0);
    const std::size_t tile = kv_base + static_cast<std::size_t>(k0) * kDh;  // k_rows rows, contiguous
    device::load_pair(
        k + tile, v + tile, k_rows * kDh, [&](int i, float x) { kt[i % kDh * (kTile + 1) + i / kDh] = x; },
        [&](int i, float x) { vs[i] = x; });
    // Rows past seq: zeros, not stale (or never written) shared memory that P = 0 would multiply.
    for (int i = k_rows * kDh + tid; i < kTile * kDh; i += kThreads) {
      kt[i % kDh * (kTile + 1) + i / kDh] = 0.0f;
      vs[i] = 0.0f;
    }
    __syncthreads();
    float s00 = 0.0f, s01 = 0.0f, s10 = 0.0f, s11 = 0.0f;
#pragma unroll 8
    for (int d = 0; d < kDh; ++d) {
      const float a0 = qs[ti * (kDh + 1) + d], a1 = qs[(ti + 16) * (kDh + 1) + d];
      const float b0 = kt[d * (kTile + 1) + tj], b1 = kt[d * (kTile + 1) + tj + 16];
      s00 += a0 * b0;
      s01 += a0 * b1;
      s10 += a1 * b0;
      s11 += a1 * b1;
    }
    // Causal mask (key > query) and the padding past seq.
    const auto masked = [&](int r, int c) { return k0 + c > q0 + r || k0 + c >= dims.seq; };
    ps[ti * (kTile + 1) + tj] = masked(ti, tj) ? -INFINITY : s00;
    ps[ti * (kTile + 1) + tj + 16] = masked(ti, tj + 16) ? -INFINITY : s01;
    ps[(ti + 16) * (kTile + 1) + tj] = masked(ti + 16, tj) ? -INFINITY : s10;
    ps[(ti + 16) * (kTile + 1) + tj + 16] = masked(ti + 16, tj + 16) ? -INFINITY : s11;
    __syncthreads();

    // Online softmax of this row's 32 scores; the row's 8 threads are adjacent lanes of one warp.
    float* prow = ps + row * (kTile + 1);
    constexpr int kPerLane = kTile / kThreadsPerRow;
    float local_max = -INFINITY;
#pragma unroll
    for (int c = 0; c < kPerLane; ++c) local_max = fmaxf(local_max, prow[sub * kPerLane + c]);
    const float m_new = fmaxf(m, device::group_max(local_max, kThreadsPerRow));  // finite: key k0 is unmasked
    float local_sum = 0.0f;
#pragma unroll
    for (int c = 0; c < kPerLane; ++c) {
      const float p = expf(prow[sub * kPerLane + c] - m_new);
      prow[sub * kPerLane + c] = p;
      local_sum += p;
    }
    const float alpha = expf(m - m_new);
    l = l * alpha + device::group_sum(local_sum, kThreadsPerRow);
    m = m_new;
    __syncwarp();
#pragma unroll
    for (int c = 0; c < kPerThread; ++c) acc[c] *= alpha;
    for (int j = 0; j < kTile; ++j) {
      const float p = prow[j];
#pragma unroll
      for (int c = 0; c < kPerThread; ++c) acc[c] += p * vs[j * kDh + sub + kThreadsPerRow * c];
    }
  }
  if (q0 + row < dims.seq) {
    T* o = out + q_base + static_cast<std::size_t>(q0 + row) * kDh;
    const float inv_l = 1.0f / l;
#pragma unroll
    for (int c = 0; c < kPerThread; ++c) o[sub + kThreadsPerRow * c] = from_float<T>(acc[c] * inv_l);
  }
}

template <class T, int kDh>
void launch_prefill(const AttentionShape& s, int seq, const T* q, const T* k, const T* v, T* out,
                    cudaStream_t stream) {
  constexpr std::size_t smem = shared_floats<kDh>() * sizeof(float);
  static bool configured = false;  // once, so that timed launches make no extra driver calls
  if (!configured) {
    check_cuda(cudaFuncSetAttribute(prefill_kernel<T, kDh>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                    static_cast<int>(smem)),
               "cudaFuncSetAttribute");
    configured = true;
  }
  const dim3 grid(static_cast<unsigned>((seq + kTile - 1) / kTile), static_cast<unsigned>(s.heads),
                  static_cast<unsigned>(s.batch));
  prefill_kernel<T, kDh>
      <<<grid, kThreads, smem, stream>>>(PrefillDims{s.heads, s.kv_heads, seq}, q, k, v, out);
  check_launch("attention_prefill");
}

}  // namespace

void check_prefill_shape(const AttentionShape& s, int seq) {
  if (s.batch <= 0 || s.heads <= 0 || s.kv_heads <= 0 || s.head_dim <= 0 || seq <= 0)
    throw std::invalid_argument("attention_prefill: every size must be positive");
  if (s.heads % s.kv_heads != 0)
    throw std::invalid_argument("attention_prefill: heads must be a multiple of kv_heads");
  if (s.head_dim != 64 && s.head_dim != 128)
    throw std::invalid_argument("attention_prefill: head_dim must be 64 or 128");
}

template <class T>
void attention_prefill(const AttentionShape& s, int seq, const T* q, const T* k, const T* v, T* out,
                       cudaStream_t stream) {
  check_prefill_shape(s, seq);
  if (s.head_dim == 64) {
    launch_prefill<T, 64>(s, seq, q, k, v, out, stream);
  } else {
    launch_prefill<T, 128>(s, seq, q, k, v, out, stream);
  }
}

template void attention_prefill<float>(const AttentionShape&, int, const float*, const float*, const float*,
                                       float*, cudaStream_t);
template void attention_prefill<bf16>(const AttentionShape&, int, const bf16*, const bf16*, const bf16*,
                                      bf16*, cudaStream_t);

}  // namespace infersim::ref_cuda

// Decode attention over a KV cache (MHA, GQA, MQA), flash-decoding style: the context is cut into
// splits so that even batch 1 fills the GPU; each block (split, KV head, batch) stages 32-key tiles of
// K and V in shared memory once and scores them against every query head of its group, keeping an
// online softmax (running max m, sum l, unnormalised accumulator). A second kernel merges the splits:
// out = sum_s e^(m_s - M) acc_s / sum_s e^(m_s - M) l_s with M = max_s m_s.
#include <algorithm>
#include <stdexcept>
#include <string>

#include "ref_cuda/cuda_check.hpp"
#include "ref_cuda/device_math.cuh"
#include "ref_cuda/kernels.hpp"

namespace infersim::ref_cuda {

namespace {

using device::from_float;
using device::to_float;

constexpr int kTile = 32;  // keys per shared-memory tile: one warp lane per key in the softmax step
constexpr int kThreads = 128;
constexpr int kMinKeysPerSplit = 256;
constexpr int kHeadBlock = 4;  // query heads per thread: each K or V load from shared memory feeds 4
constexpr int kPad = 4;        // K row padding: float4 reads of 32 rows spread over all banks

struct DecodeDims {
  int heads, kv_heads, head_dim, context, chunk, splits;
};

std::size_t shared_floats(int group, int head_dim) {
  return static_cast<std::size_t>(group) * head_dim * 2 +
         static_cast<std::size_t>(kTile) * (2 * head_dim + kPad) + static_cast<std::size_t>(group) * kTile +
         3 * static_cast<std::size_t>(group);
}

// Partials per (batch, query head, split): acc [dh] in part, then m and l in part_ml [2].
template <class T>
__global__ void decode_partial_kernel(DecodeDims dims, const T* q, const T* k, const T* v, float* part,
                                      float* part_ml) {
  const int split = blockIdx.x, kvh = blockIdx.y, b = blockIdx.z;
  const int group = dims.heads / dims.kv_heads, dh = dims.head_dim, tid = threadIdx.x;
  extern __shared__ __align__(16) float smem[];  // read through float4
  float* qs = smem;                              // [group][dh], pre-scaled
  float* acc = qs + group * dh;                  // [group][dh]
  float* ks = acc + group * dh;                  // [kTile][dh + kPad]: lanes read different rows
  float* vs = ks + kTile * (dh + kPad);          // [kTile][dh]
  float* score = vs + kTile * dh;                // [group][kTile]
  float* m = score + group * kTile;              // [group]
  float* l = m + group;                          // [group]
  float* alpha = l + group;                      // [group]

  const float scale = rsqrtf(static_cast<float>(dh));
  const T* q_group =
      q + (static_cast<std::size_t>(b) * dims.heads + static_cast<std::size_t>(kvh) * group) * dh;
  for (int i = tid; i < group * dh; i += blockDim.x) {
    qs[i] = to_float(q_group[i]) * scale;
    acc[i] = 0.0f;
  }
  for (int g = tid; g < group; g += blockDim.x) {
    m[g] = -INFINITY;
    l[g] = 0.0f;
  }
  const std::size_t kv_base = (static_cast<std::size_t>(b) * dims.kv_heads + kvh) * dims.context * dh;
  const int begin = split * dims.chunk, end = min(dims.context, begin + dims.chunk);
  const int warp = tid / 32, lane = tid % 32, warps = blockDim.x / 32;
  const int head_blocks = (group + kHeadBlock - 1) / kHeadBlock;

  for (int t0 = begin; t0 < end; t0 += kTile) {
    const int n = min(kTile, end - t0);
    __syncthreads();                                                       // the previous tile is consumed
    const std::size_t tile = kv_base + static_cast<std::size_t>(t0) * dh;  // n rows, contiguous
    device::load_pair(
        k + tile, v + tile, n * dh, [&](int i, float x) { ks[i / dh * (dh + kPad) + i % dh] = x; },
        [&](int i, float x) { vs[i] = x; });
    __syncthreads();
    // Scores: a thread per (key, block of 4 heads), float4 along head_dim; heads past the group are
    // clamped to its last one, computed and not stored.
    for (int i = tid; i < head_blocks * kTile; i += blockDim.x) {
      const int hb = i / kTile, j = i - hb * kTile;
      float s[kHeadBlock] = {};
      if (j < n) {
        const float4* k_row = reinterpret_cast<const float4*>(ks + j * (dh + kPad));
        for (int d4 = 0; d4 < dh / 4; ++d4) {
          const float4 kv = k_row[d4];
#pragma unroll
          for (int u = 0; u < kHeadBlock; ++u) {
            const float4 qv =
                reinterpret_cast<const float4*>(qs + min(hb * kHeadBlock + u, group - 1) * dh)[d4];
            s[u] += qv.x * kv.x + qv.y * kv.y + qv.z * kv.z + qv.w * kv.w;
          }
        }
      }
#pragma unroll
      for (int u = 0; u < kHeadBlock; ++u)
        if (hb * kHeadBlock + u < group) score[(hb * kHeadBlock + u) * kTile + j] = j < n ? s[u] : -INFINITY;
    }
    __syncthreads();
    for (int g = warp; g < group; g += warps) {  // online softmax, one warp per query head
      const float s = score[g * kTile + lane];
      const float m_new = fmaxf(m[g], device::group_max(s, 32));  // finite: the tile has n >= 1 keys
      const float p = expf(s - m_new);
      const float sum = device::group_sum(p, 32);
      score[g * kTile + lane] = p;
      if (lane == 0) {
        alpha[g] = expf(m[g] - m_new);
        l[g] = l[g] * alpha[g] + sum;
        m[g] = m_new;
      }
    }
    __syncthreads();
    // acc = alpha acc + P V: a thread per (4 consecutive dims, block of 4 heads).
    for (int i = tid; i < head_blocks * (dh / 4); i += blockDim.x) {
      const int hb = i / (dh / 4), d4 = i - hb * (dh / 4);
      float4 a[kHeadBlock];
#pragma unroll
      for (int u = 0; u < kHeadBlock; ++u) {
        const int g = min(hb * kHeadBlock + u, group - 1);
        const float4 old = reinterpret_cast<const float4*>(acc + g * dh)[d4];
        a[u] = make_float4(old.x * alpha[g], old.y * alpha[g], old.z * alpha[g], old.w * alpha[g]);
      }
      for (int j = 0; j < n; ++j) {
        const float4 vv = reinterpret_cast<const float4*>(vs + j * dh)[d4];
#pragma unroll
        for (int u = 0; u < kHeadBlock; ++u) {
          const float p = score[min(hb * kHeadBlock + u, group - 1) * kTile + j];
          a[u].x += p * vv.x;
          a[u].y += p * vv.y;
          a[u].z += p * vv.z;
          a[u].w += p * vv.w;
        }
      }
#pragma unroll
      for (int u = 0; u < kHeadBlock; ++u)
        if (hb * kHeadBlock + u < group)
          reinterpret_cast<float4*>(acc + (hb * kHeadBlock + u) * dh)[d4] = a[u];
    }
  }
  __syncthreads();
  for (int i = tid; i < group * dh; i += blockDim.x) {
    const int g = i / dh, d = i - g * dh;
    const std::size_t row =
        (static_cast<std::size_t>(b) * dims.heads + kvh * group + g) * dims.splits + split;
    part[row * dh + d] = acc[i];
    if (d == 0) {
      part_ml[row * 2] = m[g];
      part_ml[row * 2 + 1] = l[g];
    }
  }
}

// One block per (batch, query head), one thread per output element.
template <class T>
__global__ void decode_combine_kernel(DecodeDims dims, const float* part, const float* part_ml, T* out) {
  const std::size_t bh = blockIdx.x;
  const float* ml = part_ml + bh * dims.splits * 2;
  float m_max = -INFINITY;
  for (int s = 0; s < dims.splits; ++s) m_max = fmaxf(m_max, ml[2 * s]);
  for (int d = threadIdx.x; d < dims.head_dim; d += blockDim.x) {
    float num = 0.0f, den = 0.0f;
    for (int s = 0; s < dims.splits; ++s) {
      const float w = expf(ml[2 * s] - m_max);
      num += w * part[(bh * dims.splits + s) * dims.head_dim + d];
      den += w * ml[2 * s + 1];
    }
    out[bh * dims.head_dim + d] = from_float<T>(num / den);
  }
}

}  // namespace

void check_decode_shape(const AttentionShape& s, int context) {
  if (s.batch <= 0 || s.heads <= 0 || s.kv_heads <= 0 || s.head_dim <= 0 || context <= 0)
    throw std::invalid_argument("attention_decode: every size must be positive");
  if (s.heads % s.kv_heads != 0)
    throw std::invalid_argument("attention_decode: heads must be a multiple of kv_heads");
  if (s.head_dim % 8 != 0 || s.head_dim > 1024)
    throw std::invalid_argument("attention_decode: head_dim must be a multiple of 8 up to 1024");
}

DecodeSplit decode_split(const AttentionShape& s, int context, int sm_count) {
  check_decode_shape(s, context);
  const int blocks = s.batch * s.kv_heads;
  const int wanted = (4 * std::max(sm_count, 1) + blocks - 1) / blocks;
  const int splits = std::clamp(wanted, 1, std::max(1, context / kMinKeysPerSplit));
  const int chunk = ((context + splits - 1) / splits + kTile - 1) / kTile * kTile;
  return {(context + chunk - 1) / chunk, chunk};  // rounding the chunk up may leave fewer splits
}

std::size_t decode_workspace_floats(const AttentionShape& s, const DecodeSplit& split) {
  return static_cast<std::size_t>(s.batch) * s.heads * split.splits * (s.head_dim + 2);
}

template <class T>
void attention_decode(const AttentionShape& s, int context, const T* q, const T* k, const T* v, T* out,
                      float* workspace, const DecodeSplit& split, cudaStream_t stream) {
  check_decode_shape(s, context);
  const int splits = split.splits;
  const DecodeDims dims{s.heads, s.kv_heads, s.head_dim, context, split.chunk_keys, splits};
  if (dims.chunk <= 0 || dims.chunk % kTile != 0 || (context + dims.chunk - 1) / dims.chunk != splits)
    throw std::invalid_argument("attention_decode: the split must come from decode_split()");
  const std::size_t smem = shared_floats(s.heads / s.kv_heads, s.head_dim) * sizeof(float);
  // Raised once per size, so that timed launches make no extra driver calls (one device per process).
  static std::size_t allowed = 48 * 1024;
  if (smem > allowed) {
    int device = 0, optin = 0;
    check_cuda(cudaGetDevice(&device), "cudaGetDevice");
    check_cuda(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device),
               "shared memory");
    if (smem > static_cast<std::size_t>(optin))
      throw std::invalid_argument("attention_decode: heads/kv_heads * head_dim too large for shared memory");
    check_cuda(cudaFuncSetAttribute(decode_partial_kernel<T>, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                    static_cast<int>(smem)),
               "cudaFuncSetAttribute");
    allowed = smem;
  }
  float* part = workspace;
  float* part_ml = workspace + static_cast<std::size_t>(s.batch) * s.heads * splits * s.head_dim;
  const dim3 grid(static_cast<unsigned>(splits), static_cast<unsigned>(s.kv_heads),
                  static_cast<unsigned>(s.batch));
  decode_partial_kernel<T><<<grid, kThreads, smem, stream>>>(dims, q, k, v, part, part_ml);
  check_launch("attention_decode partial");
  const unsigned threads = static_cast<unsigned>(std::min(s.head_dim, 256));
  decode_combine_kernel<T>
      <<<static_cast<unsigned>(s.batch * s.heads), threads, 0, stream>>>(dims, part, part_ml, out);
  check_launch("attention_decode combine");
}

template void attention_decode<float>(const AttentionShape&, int, const float*, const float*, const float*,
                                      float*, float*, const DecodeSplit&, cudaStream_t);
template void attention_decode<bf16>(const AttentionShape&, int, const bf16*, const bf16*, const bf16*, bf16*,
                                     float*, const DecodeSplit&, cudaStream_t);

}  // namespace infersim::ref_cuda

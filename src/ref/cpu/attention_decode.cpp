#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "ref/cpu/attention.hpp"
#include "ref/cpu/parallel.hpp"
#include "ref/cpu/vector_ops.hpp"

namespace infersim::ref {

void check_attention_shape(const AttentionShape& s, int tokens) {
  if (s.batch <= 0 || s.heads <= 0 || s.kv_heads <= 0 || s.head_dim <= 0 || tokens <= 0)
    throw std::invalid_argument("attention: every size must be positive");
  if (s.heads % s.kv_heads != 0)
    throw std::invalid_argument("attention: heads (" + std::to_string(s.heads) +
                                ") must be a multiple of kv_heads (" + std::to_string(s.kv_heads) + ")");
}

namespace {

// Keys per block: the block's K and V rows (16 KiB each at head_dim 128) stay in the 48 KiB L1 data
// cache while every head of the group uses them, so each is read from memory once and from L1 by the
// heads (with 128 keys the V block spilled to L2 and was re-read from it once per head).
constexpr int kKeyBlock = 32;

// Keys ahead of the ones being scored whose K and V rows are prefetched into L2: two blocks, 64 KiB
// at head_dim 128, about what DRAM delivers to one core while it computes a block.
constexpr int kPrefetchKeys = 2 * kKeyBlock;

// Asks for K and V rows [j0, j1) (clipped to t) to be brought into L2, one request per 64-byte line.
// Issued a few rows at a time between the dot products, so that DRAM works ahead while the core
// computes (the hardware prefetchers stop at 4 KiB page boundaries) without stalling on a burst of
// requests.
INFERSIM_REF_INLINE void prefetch_rows(const float* k, const float* v, int j0, int j1, int t, int dh) {
  const std::size_t begin = static_cast<std::size_t>(std::min(j0, t)) * dh;
  const std::size_t end = static_cast<std::size_t>(std::min(j1, t)) * dh;
  constexpr std::size_t kLineFloats = 64 / sizeof(float);
  for (std::size_t e = begin; e < end; e += kLineFloats) {
    __builtin_prefetch(k + e, 0, 2);
    __builtin_prefetch(v + e, 0, 2);
  }
}

// s[i * kKeyBlock + j] = scale * q_i . k_j for the group's query heads i and the block's keys j. Four
// keys at a time: each K row is loaded from DRAM once and reused from L1 by every head of the group.
// k and v point at the block's first key j0 of t; rows kPrefetchKeys ahead are prefetched as it goes.
INFERSIM_REF_INLINE void block_scores(int group, int cols, int dh, float scale, const float* q,
                                      const float* k, const float* v, int j0, int t, float* s) {
  const auto row = [dh](const float* base, int i) { return base + static_cast<std::size_t>(i) * dh; };
  int j = 0;
  for (; j + 4 <= cols; j += 4) {
    prefetch_rows(k, v, j + kPrefetchKeys, j + kPrefetchKeys + 4, t - j0, dh);
    for (int i = 0; i < group; ++i) {
      float sums[4];
      detail::dot4(row(q, i), row(k, j), row(k, j + 1), row(k, j + 2), row(k, j + 3), dh, sums);
      for (int c = 0; c < 4; ++c) s[i * kKeyBlock + j + c] = scale * sums[c];
    }
  }
  for (; j < cols; ++j)
    for (int i = 0; i < group; ++i) s[i * kKeyBlock + j] = scale * detail::dot(row(q, i), row(k, j), dh);
}

// One (batch, KV head) pair: the `group` query heads q[group x dh] against k, v [t x dh], one block of
// keys at a time with the online softmax (running max m and normaliser l per head; Milakov &
// Gimelshein 2018; the split-K decode of FlashDecoding, Dao et al. 2023, on one core), so K and V are
// each read once, block by block, and out [group x dh] is the unnormalised accumulator until the end.
INFERSIM_REF_HOT void decode_group(int group, int t, int dh, const float* q, const float* k, const float* v,
                                   float* out) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  std::vector<float> scores(static_cast<std::size_t>(group) * kKeyBlock);
  std::vector<float> m(static_cast<std::size_t>(group), -std::numeric_limits<float>::infinity());
  std::vector<float> l(static_cast<std::size_t>(group), 0.0f);
  std::fill(out, out + static_cast<std::size_t>(group) * dh, 0.0f);
  for (int j0 = 0; j0 < t; j0 += kKeyBlock) {
    const int cols = std::min(kKeyBlock, t - j0);
    const std::size_t offset = static_cast<std::size_t>(j0) * dh;
    block_scores(group, cols, dh, scale, q, k + offset, v + offset, j0, t, scores.data());
    for (int i = 0; i < group; ++i) {
      float* s = scores.data() + static_cast<std::size_t>(i) * kKeyBlock;
      float* acc = out + static_cast<std::size_t>(i) * dh;
      const float m_new = std::max(m[i], detail::max_of(s, cols));
      const float correction = detail::exp_poly(m[i] - m_new);  // ~0 on the first block (m = -inf)
      l[i] = l[i] * correction + detail::exp_shifted(s, m_new, cols);
      m[i] = m_new;
      if (j0 > 0) detail::scale(correction, acc, dh);
      detail::accumulate_rows(s, v + offset, cols, dh, acc, dh);
    }
  }
  for (int i = 0; i < group; ++i) detail::scale(1.0f / l[i], out + static_cast<std::size_t>(i) * dh, dh);
}

}  // namespace

void attention_decode(const AttentionShape& s, int context, const float* q, const float* k, const float* v,
                      float* out, int threads) {
  check_attention_shape(s, context);
  const int group = s.heads / s.kv_heads;
  const std::size_t kv_stride = static_cast<std::size_t>(context) * s.head_dim;
  const std::size_t q_stride = static_cast<std::size_t>(group) * s.head_dim;
  // Pair p = b * Hkv + g; its query heads g*group .. g*group+group-1 are contiguous in q and out.
  parallel_for(s.batch * s.kv_heads, threads, [&](int p) {
    const std::size_t pair = static_cast<std::size_t>(p);
    decode_group(group, context, s.head_dim, q + pair * q_stride, k + pair * kv_stride, v + pair * kv_stride,
                 out + pair * q_stride);
  });
}

}  // namespace infersim::ref

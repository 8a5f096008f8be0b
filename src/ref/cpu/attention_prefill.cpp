#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "ref/cpu/attention.hpp"
#include "ref/cpu/parallel.hpp"
#include "ref/cpu/vector_ops.hpp"

namespace infersim::ref {

namespace {

constexpr int kBlockQ = 64;  // query rows per tile
// Keys per tile: the tile's K and V rows (16 KiB each at head_dim 128) stay in the 48 KiB L1 data cache
// while the tile's 64 query rows use them.
constexpr int kBlockK = 32;

// Running state of one query row: max m, normaliser l and unnormalised output acc (FlashAttention
// algorithm 1, Dao et al. 2022).
struct RowState {
  float m = -std::numeric_limits<float>::infinity();
  float l = 0.0f;
  float* acc = nullptr;  // dh values
};

// Folds keys [0, cols) of a key block into one row's state; scores is scratch of kBlockK floats. Inlined
// into the per-target copies of prefill_head (a call would run a baseline-SSE2 copy). Scores four keys
// at a time (independent FMA chains), the exponentials vectorised, P.V with acc held in registers.
INFERSIM_REF_INLINE void fold_block(RowState& row, const float* q_row, const float* k, const float* v,
                                    int cols, int dh, float scale, float* scores) {
  const auto key = [k, dh](int j) { return k + static_cast<std::size_t>(j) * dh; };
  int j = 0;
  for (; j + 4 <= cols; j += 4) {
    detail::dot4(q_row, key(j), key(j + 1), key(j + 2), key(j + 3), dh, scores + j);
    for (int c = 0; c < 4; ++c) scores[j + c] *= scale;
  }
  for (; j < cols; ++j) scores[j] = scale * detail::dot(q_row, key(j), dh);
  const float m_new = std::max(row.m, detail::max_of(scores, cols));
  const float correction = detail::exp_poly(row.m - m_new);  // ~0 on the first block (m = -inf)
  row.l = row.l * correction + detail::exp_shifted(scores, m_new, cols);
  detail::scale(correction, row.acc, dh);
  detail::accumulate_rows(scores, v, cols, dh, row.acc, dh);
  row.m = m_new;
}

// One (batch, head): q and out [s x dh], k and v [s x dh] of its KV head.
INFERSIM_REF_HOT void prefill_head(int s, int dh, const float* q, const float* k, const float* v,
                                   float* out) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  std::vector<float> scores(kBlockK);
  for (int q0 = 0; q0 < s; q0 += kBlockQ) {
    const int rows = std::min(kBlockQ, s - q0);
    std::vector<RowState> state(static_cast<std::size_t>(rows));
    for (int r = 0; r < rows; ++r) {
      state[r].acc = out + static_cast<std::size_t>(q0 + r) * dh;
      std::fill(state[r].acc, state[r].acc + dh, 0.0f);
    }
    // Key blocks past the last query row of the tile are fully masked and never visited.
    for (int k0 = 0; k0 < q0 + rows; k0 += kBlockK) {
      const std::size_t key_offset = static_cast<std::size_t>(k0) * dh;
      for (int r = 0; r < rows; ++r) {
        const int visible = std::min(kBlockK, q0 + r - k0 + 1);  // causal: query q0+r sees keys <= q0+r
        if (visible <= 0) continue;
        fold_block(state[r], q + static_cast<std::size_t>(q0 + r) * dh, k + key_offset, v + key_offset,
                   visible, dh, scale, scores.data());
      }
    }
    for (int r = 0; r < rows; ++r) detail::scale(1.0f / state[r].l, state[r].acc, dh);
  }
}

}  // namespace

void attention_prefill(const AttentionShape& s, int seq, const float* q, const float* k, const float* v,
                       float* out, int threads) {
  check_attention_shape(s, seq);
  const int group = s.heads / s.kv_heads;
  const std::size_t stride = static_cast<std::size_t>(seq) * s.head_dim;
  parallel_for(s.batch * s.heads, threads, [&](int p) {
    const int b = p / s.heads;
    const int kv = b * s.kv_heads + (p % s.heads) / group;
    prefill_head(seq, s.head_dim, q + p * stride, k + kv * stride, v + kv * stride, out + p * stride);
  });
}

}  // namespace infersim::ref

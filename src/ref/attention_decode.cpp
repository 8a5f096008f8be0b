#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "ref/attention.hpp"
#include "ref/parallel.hpp"
#include "ref/vector_ops.hpp"

namespace infersim::ref {

void check_attention_shape(const AttentionShape& s, int tokens) {
  if (s.batch <= 0 || s.heads <= 0 || s.kv_heads <= 0 || s.head_dim <= 0 || tokens <= 0)
    throw std::invalid_argument("attention: every size must be positive");
  if (s.heads % s.kv_heads != 0)
    throw std::invalid_argument("attention: heads (" + std::to_string(s.heads) +
                                ") must be a multiple of kv_heads (" + std::to_string(s.kv_heads) + ")");
}

namespace {

// One (batch, KV head) pair: the `group` query heads q[group x dh] against k, v [t x dh].
INFERSIM_REF_HOT void decode_group(int group, int t, int dh, const float* q, const float* k, const float* v,
                                   float* out) {
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  std::vector<float> scores(static_cast<std::size_t>(group) * t);
  for (int j = 0; j < t; ++j) {
    const float* k_row = k + static_cast<std::size_t>(j) * dh;
    for (int i = 0; i < group; ++i)
      scores[static_cast<std::size_t>(i) * t + j] =
          scale * detail::dot(q + static_cast<std::size_t>(i) * dh, k_row, dh);
  }
  for (int i = 0; i < group; ++i) detail::softmax(scores.data() + static_cast<std::size_t>(i) * t, t);
  std::fill(out, out + static_cast<std::size_t>(group) * dh, 0.0f);
  for (int j = 0; j < t; ++j) {
    const float* v_row = v + static_cast<std::size_t>(j) * dh;
    for (int i = 0; i < group; ++i)
      detail::axpy(scores[static_cast<std::size_t>(i) * t + j], v_row, out + static_cast<std::size_t>(i) * dh,
                   dh);
  }
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

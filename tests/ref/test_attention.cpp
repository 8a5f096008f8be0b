// Decode and prefill attention against the naive softmax(QK^T/sqrt(dh))V, across head layouts.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>

#include "ref/cpu/attention.hpp"
#include "ref/cpu/random.hpp"
#include "ref/cpu/vector_ops.hpp"
#include "ref/naive.hpp"

using namespace infersim::ref;

namespace {

std::size_t size(const AttentionShape& s, int heads, int tokens) {
  return static_cast<std::size_t>(s.batch) * heads * tokens * s.head_dim;
}

// Naive decode: every (batch, head) row against its KV head's t keys.
std::vector<double> naive_decode(const AttentionShape& s, int t, std::span<const float> q,
                                 std::span<const float> k, std::span<const float> v) {
  const test::NaiveAttention naive{s, t};
  std::vector<double> out;
  for (int b = 0; b < s.batch; ++b)
    for (int h = 0; h < s.heads; ++h) {
      const float* q_row = q.data() + (b * s.heads + h) * s.head_dim;
      const int kv_head = b * s.kv_heads + h / (s.heads / s.kv_heads);
      const auto row = naive.row(q_row, k.data(), v.data(), kv_head, t);
      out.insert(out.end(), row.begin(), row.end());
    }
  return out;
}

}  // namespace

TEST_CASE("decode attention matches the naive reference for MHA, GQA and MQA") {
  for (const AttentionShape s :
       {AttentionShape{2, 4, 4, 16}, AttentionShape{2, 8, 2, 16}, AttentionShape{3, 6, 1, 8}}) {
    INFO("heads " << s.heads << " kv_heads " << s.kv_heads);
    const int t = 37;
    const auto q = random_floats(size(s, s.heads, 1), 1);
    const auto k = random_floats(size(s, s.kv_heads, t), 2);
    const auto v = random_floats(size(s, s.kv_heads, t), 3);
    std::vector<float> out(q.size());
    attention_decode(s, t, q.data(), k.data(), v.data(), out.data(), 3);
    test::require_close(out, naive_decode(s, t, q, k, v));
  }
}

TEST_CASE("decode attention matches the naive reference across key blocks and head sizes") {
  // 150 keys: four full 32-key blocks (online-softmax rescaling between them) and a partial one whose
  // 22 keys end off the 4-key step; head_dim 128 takes the 8-register P.V path, 72 the 4-register one
  // plus an 8-element tail, 20 only the tails.
  for (const AttentionShape s :
       {AttentionShape{2, 4, 4, 128}, AttentionShape{1, 8, 2, 128}, AttentionShape{1, 16, 1, 128},
        AttentionShape{2, 6, 3, 72}, AttentionShape{1, 3, 1, 20}}) {
    INFO("heads " << s.heads << " kv_heads " << s.kv_heads << " head_dim " << s.head_dim);
    const int t = 150;
    const auto q = random_floats(size(s, s.heads, 1), 21);
    const auto k = random_floats(size(s, s.kv_heads, t), 22);
    const auto v = random_floats(size(s, s.kv_heads, t), 23);
    std::vector<float> out(q.size());
    attention_decode(s, t, q.data(), k.data(), v.data(), out.data(), 2);
    test::require_close(out, naive_decode(s, t, q, k, v));
  }
}

TEST_CASE("exp_poly, the vectorisable exp of the softmax, is within a few ulp of std::exp") {
  double worst = 0.0;
  for (int i = 0; i <= 100000; ++i) {
    const float x = -87.0f + 95.0f * static_cast<float>(i) / 100000.0f;  // [-87, 8]
    const double exact = std::exp(static_cast<double>(x));
    worst = std::max(worst, std::abs(detail::exp_poly(x) - exact) / exact);
  }
  REQUIRE(worst < 4.0 * 1.2e-7);  // 4 ulp of fp32 (2^-23 = 1.19e-7)
  REQUIRE(detail::exp_poly(0.0f) == 1.0f);
  REQUIRE(detail::exp_poly(-std::numeric_limits<float>::infinity()) <
          1e-37f);  // the first online-softmax block
}

TEST_CASE("GQA decode equals MHA decode with each KV head repeated over its group") {
  const AttentionShape gqa{2, 8, 2, 16};
  const AttentionShape mha{2, 8, 8, 16};
  const int t = 21, group = 4;
  const auto q = random_floats(size(gqa, 8, 1), 4);
  const auto k = random_floats(size(gqa, 2, t), 5);
  const auto v = random_floats(size(gqa, 2, t), 6);
  std::vector<float> k_rep, v_rep;  // [b][h][t][dh] with head h holding KV head h / group
  const std::size_t head_block = static_cast<std::size_t>(t) * 16;
  for (int bh = 0; bh < 2 * 8; ++bh) {
    const std::size_t src = static_cast<std::size_t>((bh / 8) * 2 + (bh % 8) / group) * head_block;
    k_rep.insert(k_rep.end(), k.begin() + src, k.begin() + src + head_block);
    v_rep.insert(v_rep.end(), v.begin() + src, v.begin() + src + head_block);
  }
  std::vector<float> out_gqa(q.size()), out_mha(q.size());
  attention_decode(gqa, t, q.data(), k.data(), v.data(), out_gqa.data(), 2);
  attention_decode(mha, t, q.data(), k_rep.data(), v_rep.data(), out_mha.data(), 2);
  for (std::size_t i = 0; i < q.size(); ++i)
    REQUIRE(out_gqa[i] == Approx(out_mha[i]).epsilon(1e-6).margin(1e-7));
}

TEST_CASE("prefill attention matches the naive causal reference across tile boundaries") {
  const AttentionShape s{2, 4, 2, 16};
  const int seq = 150;  // 64-row tiles: two full, one partial; the diagonal tile is partly masked
  const auto q = random_floats(size(s, s.heads, seq), 7);
  const auto k = random_floats(size(s, s.kv_heads, seq), 8);
  const auto v = random_floats(size(s, s.kv_heads, seq), 9);
  std::vector<float> out(q.size());
  attention_prefill(s, seq, q.data(), k.data(), v.data(), out.data(), 3);
  const test::NaiveAttention naive{s, seq};
  std::vector<double> expected;
  for (int b = 0; b < s.batch; ++b)
    for (int h = 0; h < s.heads; ++h)
      for (int i = 0; i < seq; ++i) {
        const float* q_row = q.data() + ((b * s.heads + h) * seq + i) * s.head_dim;
        const auto row = naive.row(q_row, k.data(), v.data(), b * s.kv_heads + h / 2, i + 1);
        expected.insert(expected.end(), row.begin(), row.end());
      }
  test::require_close(out, expected);
}

TEST_CASE("prefill's last row equals decode attention at the same context") {
  const AttentionShape s{1, 4, 1, 32};
  const int seq = 100;
  const auto q = random_floats(size(s, s.heads, seq), 10);
  const auto k = random_floats(size(s, s.kv_heads, seq), 11);
  const auto v = random_floats(size(s, s.kv_heads, seq), 12);
  std::vector<float> prefill_out(q.size());
  attention_prefill(s, seq, q.data(), k.data(), v.data(), prefill_out.data(), 2);
  std::vector<float> q_last, prefill_last;  // row seq-1 of every head
  for (int h = 0; h < s.heads; ++h) {
    const std::size_t row = (static_cast<std::size_t>(h) * seq + seq - 1) * s.head_dim;
    q_last.insert(q_last.end(), q.begin() + row, q.begin() + row + s.head_dim);
    prefill_last.insert(prefill_last.end(), prefill_out.begin() + row,
                        prefill_out.begin() + row + s.head_dim);
  }
  std::vector<float> decode_out(q_last.size());
  attention_decode(s, seq, q_last.data(), k.data(), v.data(), decode_out.data(), 1);
  for (std::size_t i = 0; i < decode_out.size(); ++i)
    REQUIRE(prefill_last[i] == Approx(decode_out[i]).epsilon(1e-5).margin(1e-6));
}

TEST_CASE("attention rejects heads that are not a multiple of kv_heads, and empty sizes") {
  std::vector<float> buf(64);
  CHECK_THROWS_AS(attention_decode({1, 6, 4, 4}, 2, buf.data(), buf.data(), buf.data(), buf.data(), 1),
                  std::invalid_argument);
  CHECK_THROWS_AS(attention_prefill({1, 4, 4, 4}, 0, buf.data(), buf.data(), buf.data(), buf.data(), 1),
                  std::invalid_argument);
}

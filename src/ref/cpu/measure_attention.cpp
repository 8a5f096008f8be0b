// Measurements of the attention cases: decode against a KV cache, causal prefill.
#include <fmt/format.h>

#include <cstddef>

#include "ref/cpu/random.hpp"
#include "ref/cpu/suite_cases.hpp"

namespace infersim::ref::suite {

namespace {

std::string attention_shape(const AttentionShape& s, const char* tokens_key, int tokens) {
  return fmt::format("batch={};heads={};kv_heads={};head_dim={};{}={}", s.batch, s.heads, s.kv_heads,
                     s.head_dim, tokens_key, tokens);
}

// Random q [batch, H, q_tokens, dh] and k, v [batch, Hkv, kv_tokens, dh]; out shaped as q.
struct AttentionBuffers {
  Floats q, k, v, out;
  AttentionBuffers(const AttentionShape& s, int q_tokens, int kv_tokens) {
    const std::size_t per_head_token = static_cast<std::size_t>(s.batch) * s.head_dim;
    q = random_floats(per_head_token * s.heads * q_tokens, 12);
    k = random_floats(per_head_token * s.kv_heads * kv_tokens, 13);
    v = random_floats(per_head_token * s.kv_heads * kv_tokens, 14);
    out.resize(q.size());
  }
};

}  // namespace

// Cold: between two decode steps the other layers' weights and caches pass through, so the KV cache
// is read from DRAM.
MeasuredRow measure(const DecodeCase& c, const SuiteContext& context) {
  const AttentionShape& s = c.shape;
  check_attention_shape(s, c.context);
  AttentionBuffers b(s, 1, c.context);
  return timed_row(
      c.name, Family::attention_decode, attention_shape(s, "context", c.context),
      decode_attention_work(s, c.context),
      [&] {
        attention_decode(s, c.context, b.q.data(), b.k.data(), b.v.data(), b.out.data(), context.threads);
      },
      true, context);
}

MeasuredRow measure(const PrefillCase& c, const SuiteContext& context) {
  const AttentionShape& s = c.shape;
  check_attention_shape(s, c.seq);
  AttentionBuffers b(s, c.seq, c.seq);
  return timed_row(
      c.name, Family::attention_prefill, attention_shape(s, "seq", c.seq), prefill_attention_work(s, c.seq),
      [&] { attention_prefill(s, c.seq, b.q.data(), b.k.data(), b.v.data(), b.out.data(), context.threads); },
      false, context);
}

}  // namespace infersim::ref::suite

#pragma once
// fp32 attention kernels, scale 1/sqrt(head_dim), no dropout, no bias. Head layouts: MHA (kv_heads ==
// heads), GQA (1 < kv_heads < heads), MQA (kv_heads == 1); query head h reads KV head h / (heads /
// kv_heads) (Ainslie et al. 2023, GQA). Inputs are checked: a bad shape throws std::invalid_argument.
#include "ref/base/attention_shape.hpp"

namespace infersim::ref {

// One decode step at context t: q and out [batch, H, dh]; k and v caches [batch, Hkv, t, dh].
// Threads split the (batch, KV head) pairs; each pair reads its K and V rows once for all the query
// heads of its group. Softmax is max-subtracted.
void attention_decode(const AttentionShape& shape, int context, const float* q, const float* k,
                      const float* v, float* out, int threads);

// Causal prefill of s tokens: q and out [batch, H, s, dh]; k and v [batch, Hkv, s, dh]; query i sees
// keys 0..i. FlashAttention-style (Dao et al. 2022): query blocks against key blocks with an online
// softmax, blocks above the diagonal skipped. Threads split the (batch, head) pairs.
void attention_prefill(const AttentionShape& shape, int seq, const float* q, const float* k, const float* v,
                       float* out, int threads);

// Throws std::invalid_argument unless every size is positive and heads % kv_heads == 0.
void check_attention_shape(const AttentionShape& shape, int tokens);

}  // namespace infersim::ref

// Standard multi-head attention (MHA / GQA / MQA): Q, K, V projections, rotary, the attention
// kernel(s) and the output projection.
#include "core/formulas/attention.hpp"
#include "core/formulas/elementwise.hpp"
#include "core/operator_builders.hpp"

namespace infersim::detail {

namespace {

// Prefill attention of `batch` causal sequences of s tokens (see operators.hpp for what is counted).
void append_prefill_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape) {
  const double L = m.layers;
  const double b = shape.batch;
  const double s = shape.prompt_tokens;
  const double tokens = b * s;
  const double H = m.attention_heads;
  const TensorFormats& p = shape.formats;
  const double kv_append_B = tokens * 2.0 * kv_width(m) * p.kv_bytes;
  if (shape.attention == AttentionKernel::fused) {
    const double pairs = b * causal_pairs(s, static_cast<double>(m.sliding_window));
    Operator op{"attention", OpUnit::matrix, L, {}, {}, {}, 0.0};
    op.fixed.flops =
        pairs * (2.0 * matmul_flops_per_pair(m.attention_heads, m.head_dim) + kSoftmaxFlopsPerScore * H);
    op.fixed.bytes.act_read_B = tokens * (q_width(m) + 2.0 * kv_width(m)) * p.act_bytes;
    op.fixed.bytes.act_written_B = tokens * q_width(m) * p.act_bytes;
    op.fixed.bytes.kv_written_B = kv_append_B;
    ops.push_back(op);
    return;
  }
  const double scores = b * H * s * s;  // the full matrix, masked entries included
  Operator qk{"attn_scores", OpUnit::matrix, L, {}, {}, {}, 0.0};
  qk.fixed.flops = b * s * s * matmul_flops_per_pair(m.attention_heads, m.head_dim);
  qk.fixed.bytes.act_read_B = tokens * (q_width(m) + kv_width(m)) * p.act_bytes;
  qk.fixed.bytes.act_written_B = scores * p.act_bytes;
  qk.fixed.bytes.kv_written_B = kv_append_B;
  ops.push_back(qk);
  ops.push_back(vector_op("softmax", kSoftmaxFlopsPerScore * scores, scores, scores, 0.0, p, L));
  Operator av{"attn_values", OpUnit::matrix, L, {}, {}, {}, 0.0};
  av.fixed.flops = qk.fixed.flops;
  av.fixed.bytes.act_read_B = scores * p.act_bytes + tokens * kv_width(m) * p.act_bytes;
  av.fixed.bytes.act_written_B = tokens * q_width(m) * p.act_bytes;
  ops.push_back(av);
}

// Decode attention of `batch` new tokens; every key attended reads its K and V from the cache.
void append_decode_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape) {
  const double L = m.layers;
  const double b = shape.batch;
  const double H = m.attention_heads;
  const TensorFormats& p = shape.formats;
  const double pair_matmul_flops = matmul_flops_per_pair(m.attention_heads, m.head_dim);
  const double new_qkv_B = b * (q_width(m) + 2.0 * kv_width(m)) * p.act_bytes;
  const double kv_append_B = b * 2.0 * kv_width(m) * p.kv_bytes;
  if (shape.attention == AttentionKernel::fused) {
    Operator op{"attention", OpUnit::matrix, L, {}, {}, {}, 0.0};
    op.fixed.bytes.act_read_B = new_qkv_B;
    op.fixed.bytes.act_written_B = b * q_width(m) * p.act_bytes;
    op.fixed.bytes.kv_written_B = kv_append_B;
    op.per_key.flops = b * (2.0 * pair_matmul_flops + kSoftmaxFlopsPerScore * H);
    op.per_key.bytes.kv_read_B = b * 2.0 * kv_width(m) * p.kv_bytes;
    ops.push_back(op);
    return;
  }
  Operator qk{"attn_scores", OpUnit::matrix, L, {}, {}, {}, 0.0};
  qk.fixed.bytes.act_read_B = new_qkv_B;
  qk.fixed.bytes.kv_written_B = kv_append_B;
  qk.per_key.flops = b * pair_matmul_flops;
  qk.per_key.bytes.kv_read_B = b * kv_width(m) * p.kv_bytes;
  qk.per_key.bytes.act_written_B = b * H * p.act_bytes;
  ops.push_back(qk);
  Operator softmax{"softmax", OpUnit::vector, L, {}, {}, {}, 0.0};
  softmax.per_key.flops = b * H * kSoftmaxFlopsPerScore;
  softmax.per_key.bytes.act_read_B = b * H * p.act_bytes;
  softmax.per_key.bytes.act_written_B = b * H * p.act_bytes;
  ops.push_back(softmax);
  Operator av{"attn_values", OpUnit::matrix, L, {}, {}, {}, 0.0};
  av.fixed.bytes.act_written_B = b * q_width(m) * p.act_bytes;
  av.per_key.flops = b * pair_matmul_flops;
  av.per_key.bytes.kv_read_B = b * kv_width(m) * p.kv_bytes;
  av.per_key.bytes.act_read_B = b * H * p.act_bytes;
  ops.push_back(av);
}

}  // namespace

void append_standard_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                               double tokens, bool decode) {
  const double L = m.layers;
  const double h = m.hidden_size;
  const TensorFormats& p = shape.formats;
  const StorageFormat& w = p.weights.matrix;
  const bool qkv_bias = m.linear_bias != LinearBias::none;
  ops.push_back(gemm("q_proj", tokens, h, q_width(m), qkv_bias, w, p, L));
  ops.push_back(gemm("k_proj", tokens, h, kv_width(m), qkv_bias, w, p, L));
  ops.push_back(gemm("v_proj", tokens, h, kv_width(m), qkv_bias, w, p, L));
  if (m.position_embedding == PositionEmbedding::rotary) {
    const double elements = tokens * (q_width(m) + kv_width(m));
    ops.push_back(vector_op("rotary", kRotaryFlopsPerElement * elements, elements, elements, 0.0, p, L));
  }
  if (decode)
    append_decode_attention(ops, m, shape);
  else
    append_prefill_attention(ops, m, shape);
  ops.push_back(gemm("o_proj", tokens, q_width(m), h, m.linear_bias == LinearBias::all, w, p, L));
}

}  // namespace infersim::detail

// Standard multi-head attention (MHA / GQA / MQA): Q, K, V projections, rotary, the attention
// kernel(s) and the output projection. One attention kernel per group of layers that share a key span
// (core/key_span.hpp): a sliding-window layer attends at most W keys, a chunked one those of its chunk.
#include "core/formulas/attention.hpp"
#include "core/formulas/elementwise.hpp"
#include "core/operator_builders.hpp"

namespace infersim::detail {

namespace {

// Attention sinks (gpt-oss): one learned logit per head joins each query's softmax, one more score.
double sink_flops(const ModelSpec& m, double queries) {
  return m.attention_sinks ? queries * m.attention_heads * kSoftmaxFlopsPerScore : 0.0;
}

// Fused causal attention of `tokens` new queries making `pairs` query-key pairs, of which
// `cached_keys` keys come from the cache (the prior context of a prefill chunk), for `layers` layers.
Operator fused_prefill_attention(const ModelSpec& m, const TensorFormats& p, const SpanGroup& g,
                                 double tokens, double pairs, double cached_keys) {
  const double H = m.attention_heads;
  Operator op = attention_op("attention", OpUnit::matrix, static_cast<double>(g.layers));
  op.span = g.span;
  op.fixed.flops =
      pairs * (2.0 * matmul_flops_per_pair(m.attention_heads, m.head_dim) + kSoftmaxFlopsPerScore * H) +
      sink_flops(m, tokens);
  op.fixed.bytes.act_read_B = tokens * (q_width(m) + 2.0 * kv_width(m)) * p.act_bytes;
  op.fixed.bytes.act_written_B = tokens * q_width(m) * p.act_bytes;
  op.fixed.bytes.kv_written_B = tokens * 2.0 * kv_width(m) * p.kv_bytes;
  if (cached_keys > 0.0) op.fixed.bytes.kv_read_B = cached_keys * 2.0 * kv_width(m) * p.kv_bytes;
  op.attention_keys = tokens > 0.0 ? pairs / tokens : 0.0;
  return op;
}

// Prefill attention of `batch` causal sequences of s tokens (see operators.hpp for what is counted).
void append_prefill_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                              const SpanGroup& g) {
  const double L = g.layers;
  const double b = shape.batch;
  const double s = shape.prompt_tokens;
  const double tokens = b * s;
  const double H = m.attention_heads;
  const TensorFormats& p = shape.formats;
  if (shape.attention == AttentionKernel::fused) {
    ops.push_back(fused_prefill_attention(m, p, g, tokens, b * span_pairs(g.span, s), 0.0));
    return;
  }
  const double kv_append_B = tokens * 2.0 * kv_width(m) * p.kv_bytes;
  const double scores = b * H * s * s;  // the full matrix, masked entries included
  Operator qk = attention_op("attn_scores", OpUnit::matrix, L);
  qk.fixed.flops = b * s * s * matmul_flops_per_pair(m.attention_heads, m.head_dim);
  qk.fixed.bytes.act_read_B = tokens * (q_width(m) + kv_width(m)) * p.act_bytes;
  qk.fixed.bytes.act_written_B = scores * p.act_bytes;
  qk.fixed.bytes.kv_written_B = kv_append_B;
  ops.push_back(qk);
  Operator softmax =
      vector_op("softmax", kSoftmaxFlopsPerScore * scores + sink_flops(m, tokens), scores, scores, 0.0, p, L);
  softmax.attention_kernel = true;
  ops.push_back(softmax);
  Operator av = attention_op("attn_values", OpUnit::matrix, L);
  av.fixed.flops = qk.fixed.flops;
  av.fixed.bytes.act_read_B = scores * p.act_bytes + tokens * kv_width(m) * p.act_bytes;
  av.fixed.bytes.act_written_B = tokens * q_width(m) * p.act_bytes;
  ops.push_back(av);
}

// Decode attention of `batch` new tokens; every key attended reads its K and V from the cache.
void append_decode_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                             const SpanGroup& g) {
  const double L = g.layers;
  const double b = shape.batch;
  const double H = m.attention_heads;
  const TensorFormats& p = shape.formats;
  const double pair_matmul_flops = matmul_flops_per_pair(m.attention_heads, m.head_dim);
  const double new_qkv_B = b * (q_width(m) + 2.0 * kv_width(m)) * p.act_bytes;
  const double kv_append_B = b * 2.0 * kv_width(m) * p.kv_bytes;
  if (shape.attention == AttentionKernel::fused) {
    Operator op = attention_op("attention", OpUnit::matrix, L);
    op.span = g.span;
    op.fixed.flops = sink_flops(m, b);
    op.fixed.bytes.act_read_B = new_qkv_B;
    op.fixed.bytes.act_written_B = b * q_width(m) * p.act_bytes;
    op.fixed.bytes.kv_written_B = kv_append_B;
    op.per_key.flops = b * (2.0 * pair_matmul_flops + kSoftmaxFlopsPerScore * H);
    op.per_key.bytes.kv_read_B = b * 2.0 * kv_width(m) * p.kv_bytes;
    op.decode_attention = true;
    ops.push_back(op);
    return;
  }
  Operator qk = attention_op("attn_scores", OpUnit::matrix, L);
  qk.span = g.span;
  qk.fixed.bytes.act_read_B = new_qkv_B;
  qk.fixed.bytes.kv_written_B = kv_append_B;
  qk.per_key.flops = b * pair_matmul_flops;
  qk.per_key.bytes.kv_read_B = b * kv_width(m) * p.kv_bytes;
  qk.per_key.bytes.act_written_B = b * H * p.act_bytes;
  ops.push_back(qk);
  Operator softmax = attention_op("softmax", OpUnit::vector, L);
  softmax.span = g.span;
  softmax.fixed.flops = sink_flops(m, b);
  softmax.per_key.flops = b * H * kSoftmaxFlopsPerScore;
  softmax.per_key.bytes.act_read_B = b * H * p.act_bytes;
  softmax.per_key.bytes.act_written_B = b * H * p.act_bytes;
  ops.push_back(softmax);
  Operator av = attention_op("attn_values", OpUnit::matrix, L);
  av.span = g.span;
  av.fixed.bytes.act_written_B = b * q_width(m) * p.act_bytes;
  av.per_key.flops = b * pair_matmul_flops;
  av.per_key.bytes.kv_read_B = b * kv_width(m) * p.kv_bytes;
  av.per_key.bytes.act_read_B = b * H * p.act_bytes;
  ops.push_back(av);
}

// A serving step's attention for the layers of one span: one fused kernel over the decode rows and the
// prefill chunks together (vLLM V1's unified attention over a mixed batch), its work the sum of both.
void append_step_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                           const SpanGroup& g) {
  const StepLoad& load = *shape.step;
  const StepSpanLoad work = span_load(load, g.span);
  Operator op = fused_prefill_attention(m, shape.formats, g, load.prefill_tokens, work.prefill_pairs,
                                        work.prefill_cached_keys);
  if (load.decode_rows > 0.0) {
    PassShape rows = shape;
    rows.batch = load.decode_rows;
    std::vector<Operator> decode;
    append_decode_attention(decode, m, rows, g);
    const OpCost at = cost_at(decode.front(), work.decode_keys / load.decode_rows);
    op.fixed = {op.fixed.flops + at.flops, plus(op.fixed.bytes, at.bytes)};
    op.attention_keys = (work.prefill_pairs + work.decode_keys) / (load.prefill_tokens + load.decode_rows);
    op.decode_attention = true;
  }
  ops.push_back(op);
}

}  // namespace

void fold_keys(Operator& op, double keys) {
  op.fixed = cost_at(op, keys);
  op.per_key = {};
}

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
  if (m.qk_norm !=
      QkNorm::none) {  // over each head's query and key; an RMSNorm reads a scale of head_dim each
    const double elements = tokens * (q_width(m) + kv_width(m));
    const double scales = m.qk_norm == QkNorm::rmsnorm ? 2.0 * m.head_dim : 0.0;
    ops.push_back(vector_op("qk_norm", qk_norm_flops_per_element(m.qk_norm) * elements, elements, elements,
                            scales, p, L));
  }
  if (m.position_embedding == PositionEmbedding::rotary) {
    const double elements = tokens * (q_width(m) + kv_width(m));
    ops.push_back(vector_op("rotary", kRotaryFlopsPerElement * elements, elements, elements, 0.0, p, L));
  }
  const SpanGroups groups = span_groups(m);
  for (int i = 0; i < groups.count; ++i) {
    const SpanGroup& g = groups.group[static_cast<std::size_t>(i)];
    if (shape.step)
      append_step_attention(ops, m, shape, g);
    else if (decode)
      append_decode_attention(ops, m, shape, g);
    else
      append_prefill_attention(ops, m, shape, g);
  }
  ops.push_back(gemm("o_proj", tokens, q_width(m), h, m.linear_bias == LinearBias::all, w, p, L));
}

}  // namespace infersim::detail

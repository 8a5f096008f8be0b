#include "core/operators.hpp"

#include "core/formulas/attention.hpp"
#include "core/formulas/elementwise.hpp"
#include "core/formulas/params.hpp"

namespace infersim {

namespace {

// A GEMM [tokens x in] . [in x out]: 2*tokens*in*out FLOPs (REFERENCE.md "FLOPs"); reads the weight
// matrix once and the input activations, writes the output activations. A bias adds tokens*out FLOPs.
Operator gemm(const char* name, double tokens, double in, double out, bool bias, const ElementBytes& p,
              double repeat) {
  Operator op{name, OpUnit::matrix, repeat, {}, {}};
  op.fixed.flops = 2.0 * tokens * in * out + (bias ? tokens * out : 0.0);
  op.fixed.bytes.weights_read_B = (in * out + (bias ? out : 0.0)) * p.weight;
  op.fixed.bytes.act_read_B = tokens * in * p.act;
  op.fixed.bytes.act_written_B = tokens * out * p.act;
  return op;
}

// An elementwise operator over `elements_in` inputs producing `elements_out` outputs.
Operator vector_op(const char* name, double flops, double elements_in, double elements_out, double weights,
                   const ElementBytes& p, double repeat) {
  Operator op{name, OpUnit::vector, repeat, {}, {}};
  op.fixed.flops = flops;
  op.fixed.bytes.weights_read_B = weights * p.weight;
  op.fixed.bytes.act_read_B = elements_in * p.act;
  op.fixed.bytes.act_written_B = elements_out * p.act;
  return op;
}

Operator norm_op(const char* name, const ModelSpec& m, double tokens, const ElementBytes& p, double repeat) {
  const double elements = tokens * m.hidden_size;
  return vector_op(name, norm_flops_per_element(m.norm) * elements, elements, elements, params_per_norm(m), p,
                   repeat);
}

// Token (and learned position) embedding: a gather of one row per token, no GEMM.
Operator embedding_op(const ModelSpec& m, double tokens, const ElementBytes& p) {
  const double elements = tokens * m.hidden_size;
  const bool learned = m.position_embedding == PositionEmbedding::learned;
  Operator op{"embedding", OpUnit::vector, 1.0, {}, {}};
  op.fixed.flops = learned ? elements : 0.0;
  op.fixed.bytes.weights_read_B = (learned ? 2.0 : 1.0) * elements * p.weight;
  op.fixed.bytes.act_written_B = elements * p.act;
  return op;
}

void append_attention_input_ops(std::vector<Operator>& ops, const ModelSpec& m, double tokens,
                                const ElementBytes& p) {
  const double L = m.layers;
  const bool qkv_bias = m.linear_bias != LinearBias::none;
  ops.push_back(norm_op(m.parallel_blocks ? "input_norm" : "attn_norm", m, tokens, p, L));
  ops.push_back(gemm("q_proj", tokens, m.hidden_size, q_width(m), qkv_bias, p, L));
  ops.push_back(gemm("k_proj", tokens, m.hidden_size, kv_width(m), qkv_bias, p, L));
  ops.push_back(gemm("v_proj", tokens, m.hidden_size, kv_width(m), qkv_bias, p, L));
  if (m.position_embedding == PositionEmbedding::rotary) {
    const double elements = tokens * (q_width(m) + kv_width(m));
    ops.push_back(vector_op("rotary", kRotaryFlopsPerElement * elements, elements, elements, 0.0, p, L));
  }
}

void append_attention_output_and_mlp_ops(std::vector<Operator>& ops, const ModelSpec& m, double tokens,
                                         const ElementBytes& p) {
  const double L = m.layers;
  const double h = m.hidden_size;
  const double f = m.intermediate_size;
  const bool all_bias = m.linear_bias == LinearBias::all;
  const double up_width = m.mlp == MlpKind::gated ? 2.0 * f : f;
  ops.push_back(gemm("o_proj", tokens, q_width(m), h, all_bias, p, L));
  if (!m.parallel_blocks) {
    ops.push_back(vector_op("attn_residual", tokens * h, 2.0 * tokens * h, tokens * h, 0.0, p, L));
    ops.push_back(norm_op("mlp_norm", m, tokens, p, L));
  }
  ops.push_back(gemm(m.mlp == MlpKind::gated ? "mlp_gate_up" : "mlp_up", tokens, h, up_width, all_bias, p, L));
  ops.push_back(vector_op("mlp_act", activation_flops_per_element(m.activation, m.mlp) * tokens * f,
                          tokens * up_width, tokens * f, 0.0, p, L));
  ops.push_back(gemm("mlp_down", tokens, f, h, all_bias, p, L));
  if (m.parallel_blocks) {  // x + attention(x') + mlp(x'): one add of three inputs
    ops.push_back(vector_op("residual", 2.0 * tokens * h, 3.0 * tokens * h, tokens * h, 0.0, p, L));
  } else {
    ops.push_back(vector_op("mlp_residual", tokens * h, 2.0 * tokens * h, tokens * h, 0.0, p, L));
  }
}

void append_head_ops(std::vector<Operator>& ops, const ModelSpec& m, double tokens, double batch,
                     const ElementBytes& p) {
  ops.push_back(norm_op("final_norm", m, tokens, p, 1.0));
  ops.push_back(gemm("lm_head", batch, m.hidden_size, m.vocab_size, false, p, 1.0));
}


// Prefill attention of `batch` causal sequences of s tokens (see operators.hpp for what is counted).
void append_prefill_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape) {
  const double L = m.layers;
  const double b = shape.batch;
  const double s = shape.prompt_tokens;
  const double tokens = b * s;
  const double H = m.attention_heads;
  const ElementBytes& p = shape.bytes;
  const double kv_append_B = tokens * 2.0 * kv_width(m) * p.kv;
  if (shape.attention == AttentionKernel::fused) {
    const double pairs = b * causal_pairs(s, static_cast<double>(m.sliding_window));
    Operator op{"attention", OpUnit::matrix, L, {}, {}};
    op.fixed.flops = pairs * (2.0 * matmul_flops_per_pair(m.attention_heads, m.head_dim) + kSoftmaxFlopsPerScore * H);
    op.fixed.bytes.act_read_B = tokens * (q_width(m) + 2.0 * kv_width(m)) * p.act;
    op.fixed.bytes.act_written_B = tokens * q_width(m) * p.act;
    op.fixed.bytes.kv_written_B = kv_append_B;
    ops.push_back(op);
    return;
  }
  const double scores = b * H * s * s;  // the full matrix, masked entries included
  Operator qk{"attn_scores", OpUnit::matrix, L, {}, {}};
  qk.fixed.flops = b * s * s * matmul_flops_per_pair(m.attention_heads, m.head_dim);
  qk.fixed.bytes.act_read_B = tokens * (q_width(m) + kv_width(m)) * p.act;
  qk.fixed.bytes.act_written_B = scores * p.act;
  qk.fixed.bytes.kv_written_B = kv_append_B;
  ops.push_back(qk);
  ops.push_back(vector_op("softmax", kSoftmaxFlopsPerScore * scores, scores, scores, 0.0, p, L));
  Operator av{"attn_values", OpUnit::matrix, L, {}, {}};
  av.fixed.flops = qk.fixed.flops;
  av.fixed.bytes.act_read_B = scores * p.act + tokens * kv_width(m) * p.act;
  av.fixed.bytes.act_written_B = tokens * q_width(m) * p.act;
  ops.push_back(av);
}

// Decode attention of `batch` new tokens; every key attended reads its K and V from the cache.
void append_decode_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape) {
  const double L = m.layers;
  const double b = shape.batch;
  const double H = m.attention_heads;
  const ElementBytes& p = shape.bytes;
  const double pair_matmul_flops = matmul_flops_per_pair(m.attention_heads, m.head_dim);
  const double new_qkv_B = b * (q_width(m) + 2.0 * kv_width(m)) * p.act;
  const double kv_append_B = b * 2.0 * kv_width(m) * p.kv;
  if (shape.attention == AttentionKernel::fused) {
    Operator op{"attention", OpUnit::matrix, L, {}, {}};
    op.fixed.bytes.act_read_B = new_qkv_B;
    op.fixed.bytes.act_written_B = b * q_width(m) * p.act;
    op.fixed.bytes.kv_written_B = kv_append_B;
    op.per_key.flops = b * (2.0 * pair_matmul_flops + kSoftmaxFlopsPerScore * H);
    op.per_key.bytes.kv_read_B = b * 2.0 * kv_width(m) * p.kv;
    ops.push_back(op);
    return;
  }
  Operator qk{"attn_scores", OpUnit::matrix, L, {}, {}};
  qk.fixed.bytes.act_read_B = new_qkv_B;
  qk.fixed.bytes.kv_written_B = kv_append_B;
  qk.per_key.flops = b * pair_matmul_flops;
  qk.per_key.bytes.kv_read_B = b * kv_width(m) * p.kv;
  qk.per_key.bytes.act_written_B = b * H * p.act;
  ops.push_back(qk);
  Operator softmax{"softmax", OpUnit::vector, L, {}, {}};
  softmax.per_key.flops = b * H * kSoftmaxFlopsPerScore;
  softmax.per_key.bytes.act_read_B = b * H * p.act;
  softmax.per_key.bytes.act_written_B = b * H * p.act;
  ops.push_back(softmax);
  Operator av{"attn_values", OpUnit::matrix, L, {}, {}};
  av.fixed.bytes.act_written_B = b * q_width(m) * p.act;
  av.per_key.flops = b * pair_matmul_flops;
  av.per_key.bytes.kv_read_B = b * kv_width(m) * p.kv;
  av.per_key.bytes.act_read_B = b * H * p.act;
  ops.push_back(av);
}

}  // namespace

namespace {

using AttentionAppender = void (*)(std::vector<Operator>&, const ModelSpec&, const PassShape&);

// The layer stack around the attention operators, for `tokens` tokens and `shape.batch` sequences.
std::vector<Operator> pass_operators(const ModelSpec& m, const PassShape& shape, double tokens,
                                     AttentionAppender append_attention) {
  std::vector<Operator> ops;
  ops.reserve(20);
  ops.push_back(embedding_op(m, tokens, shape.bytes));
  append_attention_input_ops(ops, m, tokens, shape.bytes);
  append_attention(ops, m, shape);
  append_attention_output_and_mlp_ops(ops, m, tokens, shape.bytes);
  append_head_ops(ops, m, tokens, shape.batch, shape.bytes);
  return ops;
}

}  // namespace

std::vector<Operator> prefill_operators(const ModelSpec& m, const PassShape& shape) {
  return pass_operators(m, shape, shape.batch * shape.prompt_tokens, append_prefill_attention);
}

std::vector<Operator> decode_operators(const ModelSpec& m, const PassShape& shape) {
  return pass_operators(m, shape, shape.batch, append_decode_attention);
}

}  // namespace infersim

#include "core/operators.hpp"

#include <algorithm>

#include "core/formulas/elementwise.hpp"
#include "core/formulas/params.hpp"
#include "core/operator_builders.hpp"

namespace infersim {

namespace detail {

Operator gemm(const char* name, double tokens, double in, double out, bool bias, const StorageFormat& weight,
              const TensorFormats& p, double repeat) {
  Operator op{name, OpUnit::matrix, repeat, {}, {}, {}, 0.0, {}, {}, 0.0};
  op.fixed.flops = 2.0 * tokens * in * out + (bias ? tokens * out : 0.0);
  op.fixed.bytes.weights_read_B =
      matrix_storage_bytes(in, out, weight) + (bias ? out * p.weights.vector_bytes : 0.0);
  op.fixed.bytes.act_read_B = tokens * in * p.gemm_input_bytes;
  op.fixed.bytes.act_written_B = tokens * out * p.act_bytes;
  op.weight_only_bits = weight_only_bits(weight, p);
  op.gemm = {.m = tokens, .n = out, .k = in, .groups = 1.0};
  // 16-bit weights under a narrower compute dtype: the GEMM runs in 16 bits and reads its input so.
  if (bytes_per_element(weight.dtype) >= kStreamBytes && p.gemm_input_bytes < kStreamBytes) {
    op.gemm_16bit = true;
    op.fixed.bytes.act_read_B = tokens * in * kStreamBytes;
  }
  return op;
}

Operator grouped_gemm(const char* name, double rows, double groups, double in, double out,
                      const StorageFormat& weight, const TensorFormats& p, double repeat) {
  Operator op = gemm(name, rows, in, out, false, weight, p, repeat);
  op.fixed.bytes.weights_read_B = groups * matrix_storage_bytes(in, out, weight);
  op.gemm = {.m = groups > 0.0 ? rows / groups : 0.0, .n = out, .k = in, .groups = groups};
  op.expert_gemm = true;
  return op;
}

double weight_only_bits(const StorageFormat& weight, const TensorFormats& p) {
  const bool integer = weight.dtype == Dtype::int8 || weight.dtype == Dtype::int4;
  return integer && p.gemm_input_bytes >= 2.0 ? bits_per_element(weight.dtype) : 0.0;
}

Operator vector_op(const char* name, double flops, double elements_in, double elements_out,
                   double weight_elements, const TensorFormats& p, double repeat) {
  Operator op{name, OpUnit::vector, repeat, {}, {}, {}, 0.0, {}, {}, 0.0};
  op.fixed.flops = flops;
  op.fixed.bytes.weights_read_B = weight_elements * p.weights.vector_bytes;
  op.fixed.bytes.act_read_B = elements_in * p.act_bytes;
  op.fixed.bytes.act_written_B = elements_out * p.act_bytes;
  return op;
}

Operator norm_op(const char* name, NormKind kind, double width, double tokens, const TensorFormats& p,
                 double repeat) {
  const double elements = tokens * width;
  const double weights = kind == NormKind::layernorm ? 2.0 * width : width;
  return vector_op(name, norm_flops_per_element(kind) * elements, elements, elements, weights, p, repeat);
}

Operator attention_op(const char* name, OpUnit unit, double repeat) {
  Operator op{name, unit, repeat, {}, {}, {}, 0.0, {}, {}, 0.0};
  op.attention_kernel = true;
  return op;
}

Operator link_op(const char* name, Collective kind, double group, double span, double message_B,
                 double repeat) {
  Operator op{name, OpUnit::link, repeat, {}, {}, {}, 0.0, {}, {}, 0.0};
  op.comm = {kind, group, span, message_B};
  return op;
}

}  // namespace detail

TensorFormats tensor_formats(const WeightFormats& weights, Dtype activations, Dtype kv) {
  const double compute_B = bytes_per_element(activations);
  return {weights, std::max(compute_B, kStreamBytes), bytes_per_element(kv), compute_B};
}

namespace {

using detail::gemm;
using detail::link_op;
using detail::norm_op;
using detail::vector_op;

// Token (and learned position) embedding: a gather of one row per token, no GEMM.
Operator embedding_op(const ModelSpec& m, double tokens, const TensorFormats& p) {
  const double h = m.hidden_size;
  const bool learned = m.position_embedding == PositionEmbedding::learned;
  Operator op{"embedding", OpUnit::vector, 1.0, {}, {}, {}, 0.0, {}, {}, 0.0};
  op.fixed.flops = learned ? tokens * h : 0.0;
  op.fixed.bytes.weights_read_B =
      (learned ? 2.0 : 1.0) * matrix_storage_bytes(h, tokens, p.weights.embedding);
  op.fixed.bytes.act_written_B = tokens * h * p.act_bytes;
  return op;
}

// Megatron-LM tensor parallelism (Shoeybi et al. 2019): the row-parallel output of attention and of
// the MLP each end in an all-reduce of the activations (one per layer for parallel blocks, which sum
// both first); the vocabulary-parallel embedding ends in an all-reduce too.
Operator tp_allreduce(const char* name, const PassShape& shape, double tokens, double hidden, double repeat) {
  const double tp = shape.layout.tp;
  return link_op(name, Collective::allreduce, tp, tp, tokens * hidden * shape.formats.act_bytes, repeat);
}

void append_layer_stack(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape, double tokens,
                        bool decode) {
  const TensorFormats& p = shape.formats;
  const double L = m.layers;
  const double h = m.hidden_size;
  const bool tp = shape.layout.tp > 1;
  ops.push_back(norm_op(m.parallel_blocks ? "input_norm" : "attn_norm", m.norm, h, tokens, p, L));
  if (m.attention == AttentionKind::mla)
    detail::append_mla_attention(ops, m, shape, tokens, decode);
  else
    detail::append_standard_attention(ops, m, shape, tokens, decode);
  if (!m.parallel_blocks) {
    if (tp) ops.push_back(tp_allreduce("attn_allreduce", shape, tokens, h, L));
    ops.push_back(vector_op("attn_residual", tokens * h, 2.0 * tokens * h, tokens * h, 0.0, p, L));
    ops.push_back(norm_op("mlp_norm", m.norm, h, tokens, p, L));
  }
  detail::append_mlp(ops, m, shape, tokens);
  if (tp) ops.push_back(tp_allreduce(m.parallel_blocks ? "allreduce" : "mlp_allreduce", shape, tokens, h, L));
  if (m.parallel_blocks) {  // x + attention(x') + mlp(x'): one add of three inputs
    ops.push_back(vector_op("residual", 2.0 * tokens * h, 3.0 * tokens * h, tokens * h, 0.0, p, L));
  } else {
    ops.push_back(vector_op("mlp_residual", tokens * h, 2.0 * tokens * h, tokens * h, 0.0, p, L));
  }
}

// One device's pass for `tokens` tokens of `shape.batch` sequences: the embedding on the first
// stage, the stage's layers, the final norm and the LM head (on one position per sequence; logits
// all-gathered across the vocabulary shards) on the last.
void pass_operators(const ModelSpec& m, const PassShape& shape, double tokens, bool decode,
                    std::vector<Operator>& ops) {
  const TensorFormats& p = shape.formats;
  const double h = m.hidden_size;
  const double tp = shape.layout.tp;
  ops.clear();
  if (shape.first_stage) {
    ops.push_back(embedding_op(m, tokens, p));
    if (tp > 1) ops.push_back(tp_allreduce("embed_allreduce", shape, tokens, h, 1.0));
  }
  append_layer_stack(ops, m, shape, tokens, decode);
  // The LM head runs on the rows that sample: one per sequence, or a step's sampled rows.
  const double rows = shape.step ? shape.step->sampled_rows : shape.batch;
  if (shape.last_stage) {
    ops.push_back(norm_op("final_norm", m.norm, h, tokens, p, 1.0));
    if (rows <= 0.0) return;  // a step whose chunks all end mid-prompt samples nothing
    ops.push_back(gemm("lm_head", rows, h, m.vocab_size, false, p.weights.embedding, p, 1.0));
    if (tp > 1) {
      const double logits_B = rows * m.vocab_size * tp * p.act_bytes;
      ops.push_back(link_op("logits_allgather", Collective::allgather, tp, tp, logits_B, 1.0));
    }
    if (shape.sampler_fp32_passes > 0.0) {  // the runtime's sampler over the whole vocabulary's logits
      const double vocab = m.vocab_size * tp;
      Operator sampler =
          vector_op("sampler", rows * vocab * shape.sampler_fp32_passes, 0.0, 0.0, 0.0, p, 1.0);
      sampler.fixed.bytes.act_read_B =
          rows * sampler_bytes_per_row(vocab, p.act_bytes, shape.sampler_fp32_passes);
      ops.push_back(sampler);
    }
  }
}

}  // namespace

void prefill_operators(const ModelSpec& m, const PassShape& shape, std::vector<Operator>& out) {
  pass_operators(m, shape, shape.batch * shape.prompt_tokens, false, out);
}

void decode_operators(const ModelSpec& m, const PassShape& shape, std::vector<Operator>& out) {
  pass_operators(m, shape, shape.batch, true, out);
}

void step_operators(const ModelSpec& m, const PassShape& shape, std::vector<Operator>& out) {
  pass_operators(m, shape, shape.step->decode_rows + shape.step->prefill_tokens, false, out);
}

StepSpanLoad span_load(const StepLoad& load, const KeySpan& span) {
  for (int i = 0; i < load.span_count; ++i) {
    if (load.spans[static_cast<std::size_t>(i)].span == span) return load.spans[static_cast<std::size_t>(i)];
  }
  return {span};
}

std::vector<Operator> prefill_operators(const ModelSpec& m, const PassShape& shape) {
  std::vector<Operator> ops;
  prefill_operators(m, shape, ops);
  return ops;
}

std::vector<Operator> decode_operators(const ModelSpec& m, const PassShape& shape) {
  std::vector<Operator> ops;
  decode_operators(m, shape, ops);
  return ops;
}

Operator pipeline_sends(const Layout& l, const ModelSpec& m, double tokens, double act_bytes) {
  Operator send;
  send.name = "pp_send";
  send.unit = OpUnit::link;
  send.repeat = static_cast<double>(l.pp - 1);
  send.comm = {Collective::send_recv, 2.0, static_cast<double>(l.tp * l.attention_dp * l.pp),
               tokens * m.hidden_size * act_bytes};
  return send;
}

}  // namespace infersim

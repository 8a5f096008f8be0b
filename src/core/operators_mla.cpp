// Multi-head latent attention (DeepSeek-V2 paper, 2024, §2.1; docs/formulas.md#mla_prefill and after):
// low-rank query and joint key/value projections; the cache holds the kv latent (kv_lora_rank) and one rotary
// key (qk_rope_head_dim) per token, shared by all heads. Prefill up-projects the new latents once and runs
// ordinary attention with head dims (nope + rope) for Q·K and v for A·V.
#include "core/formulas/attention.hpp"
#include "core/formulas/elementwise.hpp"
#include "core/operator_builders.hpp"

namespace infersim::detail {

namespace {

void append_mla_projections(std::vector<Operator>& ops, const ModelSpec& m, const TensorFormats& p,
                            double tokens) {
  const double L = m.layers;
  const double h = m.hidden_size;
  const double H = m.attention_heads;
  const MlaSpec& a = m.mla;
  const StorageFormat& w = p.weights.matrix;
  const double q_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
  if (a.q_lora_rank > 0) {
    ops.push_back(gemm("q_down", tokens, h, a.q_lora_rank, false, w, p, L));
    ops.push_back(norm_op("q_norm", NormKind::rmsnorm, a.q_lora_rank, tokens, p, L));
    ops.push_back(gemm("q_up", tokens, a.q_lora_rank, H * q_head, false, w, p, L));
  } else {
    ops.push_back(gemm("q_proj", tokens, h, H * q_head, false, w, p, L));
  }
  ops.push_back(gemm("kv_down", tokens, h, a.kv_lora_rank + a.qk_rope_head_dim, false, w, p, L));
  ops.push_back(norm_op("kv_norm", NormKind::rmsnorm, a.kv_lora_rank, tokens, p, L));
  const double rotary_elements = tokens * (H * a.qk_rope_head_dim + a.qk_rope_head_dim);
  ops.push_back(vector_op("rotary", kRotaryFlopsPerElement * rotary_elements, rotary_elements,
                          rotary_elements, 0.0, p, L));
}

// Prefill: up-project the new latents (and a chunk's cached prior ones) to per-head keys and values,
// then fused causal attention, for the layers of one key span.
void append_mla_prefill_group(std::vector<Operator>& ops, const ModelSpec& m, const TensorFormats& p,
                              const SpanGroup& g, double tokens, double pairs, double cached_keys) {
  const MlaSpec& a = m.mla;
  const double H = m.attention_heads;
  const double q_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
  const double kv_up = H * (a.qk_nope_head_dim + a.v_head_dim);
  Operator op = attention_op("attention", OpUnit::matrix, static_cast<double>(g.layers));
  op.span = g.span;
  op.fixed.flops = pairs * (2.0 * H * q_head + 2.0 * H * a.v_head_dim + kSoftmaxFlopsPerScore * H);
  op.fixed.bytes.act_read_B = tokens * (H * q_head + kv_up + a.qk_rope_head_dim) * p.act_bytes;
  op.fixed.bytes.act_written_B = tokens * H * a.v_head_dim * p.act_bytes;
  op.fixed.bytes.kv_written_B = tokens * (a.kv_lora_rank + a.qk_rope_head_dim) * p.kv_bytes;
  if (cached_keys > 0.0) {  // the prior context's up-projected keys and values, and its rotary keys
    op.fixed.bytes.act_read_B += cached_keys * kv_up * p.act_bytes;
    op.fixed.bytes.kv_read_B = cached_keys * a.qk_rope_head_dim * p.kv_bytes;
  }
  op.attention_keys = tokens > 0.0 ? pairs / tokens : 0.0;
  ops.push_back(op);
}

void append_mla_prefill(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                        double tokens) {
  const TensorFormats& p = shape.formats;
  const MlaSpec& a = m.mla;
  const double kv_up = m.attention_heads * (a.qk_nope_head_dim + a.v_head_dim);
  ops.push_back(gemm("kv_up", tokens, a.kv_lora_rank, kv_up, false, p.weights.matrix, p, m.layers));
  const SpanGroups groups = span_groups(m);
  for (int i = 0; i < groups.count; ++i) {
    const SpanGroup& g = groups.group[static_cast<std::size_t>(i)];
    append_mla_prefill_group(ops, m, p, g, tokens, shape.batch * span_pairs(g.span, shape.prompt_tokens),
                             0.0);
  }
}

// Absorbed decode: q_nope · W_UK gives a per-head query in latent space; scores and values are taken
// over the cached latent directly (one read per key for all heads); W_UV maps the result back.
void append_mla_decode_absorbed(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape) {
  const TensorFormats& p = shape.formats;
  const MlaSpec& a = m.mla;
  const double b = shape.batch;
  const double H = m.attention_heads;
  const double L = m.layers;
  const double latent = a.kv_lora_rank + a.qk_rope_head_dim;
  // Per head, [b x nope] . [nope x kv_lora]: as one GEMM of b*H rows against H blocks of W_UK.
  Operator absorb =
      gemm("q_absorb", b, H * a.qk_nope_head_dim, a.kv_lora_rank, false, p.weights.matrix, p, L);
  absorb.fixed.flops = 2.0 * b * H * a.qk_nope_head_dim * a.kv_lora_rank;
  absorb.fixed.bytes.weights_read_B =
      matrix_storage_bytes(a.kv_lora_rank, H * a.qk_nope_head_dim, p.weights.matrix);
  absorb.fixed.bytes.act_written_B = b * H * a.kv_lora_rank * p.act_bytes;
  ops.push_back(absorb);
  const SpanGroups groups = span_groups(m);
  for (int i = 0; i < groups.count; ++i) {
    const SpanGroup& g = groups.group[static_cast<std::size_t>(i)];
    Operator op = attention_op("attention", OpUnit::matrix, static_cast<double>(g.layers));
    op.span = g.span;
    op.fixed.bytes.act_read_B = b * H * latent * p.act_bytes;
    op.fixed.bytes.act_written_B = b * H * a.kv_lora_rank * p.act_bytes;
    op.fixed.bytes.kv_written_B = b * latent * p.kv_bytes;
    op.per_key.flops = b * H * (2.0 * latent + 2.0 * a.kv_lora_rank + kSoftmaxFlopsPerScore);
    op.per_key.bytes.kv_read_B = b * latent * p.kv_bytes;
    ops.push_back(op);
  }
  Operator v_up = gemm("v_up", b, H * a.kv_lora_rank, a.v_head_dim, false, p.weights.matrix, p, L);
  v_up.fixed.flops = 2.0 * b * H * a.kv_lora_rank * a.v_head_dim;
  v_up.fixed.bytes.weights_read_B = matrix_storage_bytes(a.kv_lora_rank, H * a.v_head_dim, p.weights.matrix);
  v_up.fixed.bytes.act_written_B = b * H * a.v_head_dim * p.act_bytes;
  ops.push_back(v_up);
}

// Naive decode: every step up-projects the whole cached latent to per-head keys and values (written
// out and read back), then runs ordinary attention over them.
void append_mla_decode_naive(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape) {
  const TensorFormats& p = shape.formats;
  const MlaSpec& a = m.mla;
  const double b = shape.batch;
  const double H = m.attention_heads;
  const double kv_up_width = H * (a.qk_nope_head_dim + a.v_head_dim);
  const double q_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
  const SpanGroups groups = span_groups(m);
  for (int i = 0; i < groups.count; ++i) {
    const SpanGroup& g = groups.group[static_cast<std::size_t>(i)];
    const double layers = g.layers;
    Operator up{"kv_up", OpUnit::matrix, layers, {}, {}, {}, 0.0, {}, {}, 0.0};
    up.span = g.span;
    up.fixed.bytes.weights_read_B = matrix_storage_bytes(a.kv_lora_rank, kv_up_width, p.weights.matrix);
    up.weight_only_bits = weight_only_bits(p.weights.matrix, p);
    up.fixed.bytes.kv_written_B = b * (a.kv_lora_rank + a.qk_rope_head_dim) * p.kv_bytes;
    up.per_key.flops = 2.0 * b * a.kv_lora_rank * kv_up_width;
    up.per_key.bytes.kv_read_B = b * a.kv_lora_rank * p.kv_bytes;
    up.per_key.bytes.act_written_B = b * kv_up_width * p.act_bytes;
    ops.push_back(up);
    Operator op = attention_op("attention", OpUnit::matrix, layers);
    op.span = g.span;
    op.fixed.bytes.act_read_B = b * H * q_head * p.act_bytes;
    op.fixed.bytes.act_written_B = b * H * a.v_head_dim * p.act_bytes;
    op.per_key.flops = b * H * (2.0 * q_head + 2.0 * a.v_head_dim + kSoftmaxFlopsPerScore);
    op.per_key.bytes.act_read_B = b * kv_up_width * p.act_bytes;
    op.per_key.bytes.kv_read_B = b * a.qk_rope_head_dim * p.kv_bytes;
    ops.push_back(op);
  }
}

// A serving step: the prefill chunks' up-projection and attention, then the decode rows' kernels at
// their keys (core/operators.hpp, StepLoad), per key span.
void append_mla_step(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape) {
  const StepLoad& load = *shape.step;
  const TensorFormats& p = shape.formats;
  const MlaSpec& a = m.mla;
  const double kv_up = m.attention_heads * (a.qk_nope_head_dim + a.v_head_dim);
  const SpanGroups groups = span_groups(m);
  if (load.prefill_tokens > 0.0) {
    for (int i = 0; i < groups.count; ++i) {
      const SpanGroup& g = groups.group[static_cast<std::size_t>(i)];
      const StepSpanLoad work = span_load(load, g.span);
      ops.push_back(gemm("kv_up", load.prefill_tokens + work.prefill_cached_keys, a.kv_lora_rank, kv_up,
                         false, p.weights.matrix, p, g.layers));
      append_mla_prefill_group(ops, m, p, g, load.prefill_tokens, work.prefill_pairs,
                               work.prefill_cached_keys);
    }
  }
  if (load.decode_rows <= 0.0) return;
  PassShape rows = shape;
  rows.batch = load.decode_rows;
  const std::size_t first = ops.size();
  if (shape.mla == MlaDecode::absorbed)
    append_mla_decode_absorbed(ops, m, rows);
  else
    append_mla_decode_naive(ops, m, rows);
  for (std::size_t i = first; i < ops.size(); ++i)
    fold_keys(ops[i], span_load(load, ops[i].span).decode_keys / load.decode_rows);
}

}  // namespace

void append_mla_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                          double tokens, bool decode) {
  const TensorFormats& p = shape.formats;
  append_mla_projections(ops, m, p, tokens);
  if (shape.step)
    append_mla_step(ops, m, shape);
  else if (!decode)
    append_mla_prefill(ops, m, shape, tokens);
  else if (shape.mla == MlaDecode::absorbed)
    append_mla_decode_absorbed(ops, m, shape);
  else
    append_mla_decode_naive(ops, m, shape);
  ops.push_back(gemm("o_proj", tokens, m.attention_heads * m.mla.v_head_dim, m.hidden_size, false,
                     p.weights.matrix, p, m.layers));
}

}  // namespace infersim::detail

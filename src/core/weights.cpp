#include "core/weights.hpp"

#include "core/formulas/params.hpp"

namespace infersim {

namespace {

double attention_weight_bytes(const ModelSpec& m, const WeightFormats& f) {
  const double h = m.hidden_size;
  const StorageFormat& w = f.matrix;
  if (m.attention == AttentionKind::mla) {
    const MlaSpec& a = m.mla;
    const double H = m.attention_heads;
    const double q_head = a.qk_nope_head_dim + a.qk_rope_head_dim;
    const double q = a.q_lora_rank > 0 ? matrix_storage_bytes(h, a.q_lora_rank, w) +
                                             matrix_storage_bytes(a.q_lora_rank, H * q_head, w) +
                                             a.q_lora_rank * f.vector_bytes
                                       : matrix_storage_bytes(h, H * q_head, w);
    const double kv = matrix_storage_bytes(h, a.kv_lora_rank + a.qk_rope_head_dim, w) +
                      matrix_storage_bytes(a.kv_lora_rank, H * (a.qk_nope_head_dim + a.v_head_dim), w) +
                      a.kv_lora_rank * f.vector_bytes;
    return q + kv + matrix_storage_bytes(H * a.v_head_dim, h, w);
  }
  const double q = q_width(m);
  const double kv = kv_width(m);
  double bytes =
      matrix_storage_bytes(h, q, w) + 2.0 * matrix_storage_bytes(h, kv, w) + matrix_storage_bytes(q, h, w);
  if (m.linear_bias != LinearBias::none) bytes += (q + 2.0 * kv) * f.vector_bytes;
  if (m.linear_bias == LinearBias::all) bytes += h * f.vector_bytes;
  return bytes + attention_vector_params_per_layer(m) * f.vector_bytes;
}

// One dense (or expert) MLP of inner width `inner` stored as `w`: (matrices - 1) up/gate [h x inner],
// down [inner x h].
double mlp_weight_bytes(const ModelSpec& m, double inner, const StorageFormat& w, double vector_bytes,
                        bool biases) {
  const double h = m.hidden_size;
  double bytes =
      (mlp_matrices(m) - 1.0) * matrix_storage_bytes(h, inner, w) + matrix_storage_bytes(inner, h, w);
  if (biases) bytes += ((mlp_matrices(m) - 1.0) * inner + h) * vector_bytes;
  return bytes;
}

double moe_weight_bytes(const ModelSpec& m, const WeightFormats& f) {
  const MoeSpec& e = m.moe;
  const double h = m.hidden_size;
  return e.experts * mlp_weight_bytes(m, e.expert_intermediate_size, f.experts, f.vector_bytes, false) +
         e.shared_experts *
             mlp_weight_bytes(m, e.shared_expert_intermediate_size, f.matrix, f.vector_bytes, false) +
         (h * global_experts(e) + (e.shared_expert_gate ? h : 0.0)) * f.vector_bytes;
}

}  // namespace

WeightFormats weight_formats(const StorageFormat& weights, bool quantize_embeddings,
                             const std::optional<StorageFormat>& experts) {
  const bool narrow = bits_per_element(weights.dtype) < 16.0;
  WeightFormats f;
  f.matrix = weights;
  f.experts = experts.value_or(weights);
  f.embedding = narrow && !quantize_embeddings ? default_storage_format(Dtype::bf16) : weights;
  f.vector_bytes = narrow ? 2.0 : bytes_per_element(weights.dtype);
  return f;
}

double weight_storage_bytes(const ModelSpec& m, const WeightFormats& f, bool embedding, bool head) {
  const double h = m.hidden_size;
  const double norms = (norms_per_layer(m) * params_per_norm(m)) * f.vector_bytes;
  const double dense_mlp =
      mlp_weight_bytes(m, m.intermediate_size, f.matrix, f.vector_bytes, m.linear_bias == LinearBias::all);
  const double layers = m.layers * (attention_weight_bytes(m, f) + norms) + dense_layer_count(m) * dense_mlp +
                        moe_layer_count(m) * moe_weight_bytes(m, f);
  const double vocab_matrix = matrix_storage_bytes(h, m.vocab_size, f.embedding);  // V rows of h
  double table = embedding ? vocab_matrix : 0.0;
  if (embedding && m.position_embedding == PositionEmbedding::learned) {
    table += matrix_storage_bytes(h, static_cast<double>(m.max_context), f.embedding);
  }
  const bool separate_head = head && (!m.tied_embeddings || !embedding);
  const double lm_head = separate_head ? vocab_matrix : 0.0;
  const double final_norm = head ? params_per_norm(m) * f.vector_bytes : 0.0;
  return layers + table + lm_head + final_norm;
}

}  // namespace infersim

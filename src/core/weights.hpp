#pragma once
// What the stored weights of a model weigh, matrix by matrix, in the chosen storage formats.
// The same per-matrix sizes feed the operators' weight traffic, so totals and traffic agree.
#include <optional>

#include "core/formulas/quant.hpp"
#include "core/model_spec.hpp"

namespace infersim {

struct WeightFormats {
  StorageFormat matrix;       // every linear layer but the embedding, LM head, router and routed experts
  StorageFormat experts;      // the routed experts' matrices (gpt-oss ships them in mxfp4); as matrix
  StorageFormat embedding;    // embedding table and LM head
  double vector_bytes = 2.0;  // norms, biases and the MoE router: kept 16-bit by quantized checkpoints
};

// Quantized checkpoints (AWQ, GPTQ, ModelOpt) keep embeddings, LM head, norms, biases and routers in
// 16 bits; `quantize_embeddings` stores the embedding and LM head in the weight format too. The routed
// experts are stored as `experts` where given (a checkpoint's weights_as_shipped), else as `weights`;
// shared experts and dense MLPs keep `weights`.
[[nodiscard]] WeightFormats weight_formats(const StorageFormat& weights, bool quantize_embeddings,
                                           const std::optional<StorageFormat>& experts = std::nullopt);

// With `embedding` / `head` false, a pipeline stage that holds neither the embedding table nor the LM
// head (a tied LM head is a copy of the table, held by the last stage).
[[nodiscard]] double weight_storage_bytes(const ModelSpec& m, const WeightFormats& f, bool embedding = true,
                                          bool head = true);

}  // namespace infersim

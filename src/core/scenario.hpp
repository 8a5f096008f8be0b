#pragma once
// One configuration to estimate: batch, lengths, storage and compute dtypes, kernels, the multi-device
// layout and the runtime's host terms. Plain data, built from text in one place
// (io/config/scenario_text.hpp).
#include <optional>

#include "core/dtype.hpp"
#include "core/formulas/quant.hpp"
#include "core/layout.hpp"
#include "core/operators.hpp"
#include "core/runtime_profile.hpp"

namespace infersim {

struct Scenario {
  long long batch = 1;
  long long input_tokens = 1024;
  long long output_tokens = 256;
  StorageFormat weights = default_storage_format(Dtype::bf16);  // how weights are stored
  // How the routed experts' weights are stored where they differ from `weights` (a model's
  // weights_as_shipped, gpt-oss: mxfp4 experts); none: as `weights`.
  std::optional<StorageFormat> expert_weights;
  Dtype activations = Dtype::bf16;   // the dtype the GEMMs compute in: picks the compute roof
  Dtype kv = Dtype::bf16;            // how the KV cache is stored
  bool quantize_embeddings = false;  // store embedding and LM head in the weight format too
  AttentionKernel attention = AttentionKernel::fused;
  MlaDecode mla = MlaDecode::absorbed;
  double moe_skew = 0.0;                         // Zipf exponent of expert popularity; 0: uniform routing
  MoeRouting moe_routing = MoeRouting::uniform;  // balanced: spread evenly (then moe_skew is 0)
  // StreamingLLM (Xiao et al. 2023): each sequence caches its first kv_sinks tokens and its kv_window most
  // recent, and attention reads those (streaming_model, core/model_spec.hpp). kv_window 0: off (then
  // kv_sinks must be 0).
  long long kv_window = 0;
  long long kv_sinks = 0;
  Layout layout;
  RuntimeTerms runtime;  // the serving engine's host terms (core/runtime_profile.hpp); default: none

  friend bool operator==(const Scenario&, const Scenario&) = default;
};

}  // namespace infersim

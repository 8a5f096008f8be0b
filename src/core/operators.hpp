#pragma once
// Builds the operator list of one prefill pass or one decode step of a dense decoder-only model.
// Sources for each count: REFERENCE.md ("FLOPs", "Bytes moved"), formulas/*.hpp.
#include <vector>

#include "core/model_spec.hpp"
#include "core/operator.hpp"

namespace infersim {

enum class AttentionKernel { fused, unfused };

// Bytes per stored element of each tensor class.
struct ElementBytes {
  double weight = 2.0;
  double act = 2.0;
  double kv = 2.0;
};

struct PassShape {
  double batch = 1.0;
  double prompt_tokens = 1.0;  // s: prefill length (decode ignores it: context comes from per_key)
  ElementBytes bytes;
  AttentionKernel attention = AttentionKernel::fused;
};

// Prefill of `batch` sequences of `prompt_tokens` each, causal. Fused attention counts only the
// unmasked query-key pairs (FlashAttention skips masked blocks) and reads Q, K, V, writes O once;
// unfused attention computes the full s x s score matrix (masking is applied to it afterwards) and
// writes and reads the scores through memory. The LM head runs on the last position only.
[[nodiscard]] std::vector<Operator> prefill_operators(const ModelSpec& m, const PassShape& shape);

// One decode step: one new token per sequence. Attention work is in per_key (× keys attended).
[[nodiscard]] std::vector<Operator> decode_operators(const ModelSpec& m, const PassShape& shape);

}  // namespace infersim

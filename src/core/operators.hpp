#pragma once
// Builds the operator list of one prefill pass or one decode step of a decoder-only model (dense or
// MoE MLPs; standard or latent attention). Sources for each count: docs/formulas.md (the
// Operators entries), formulas/*.hpp.
#include <array>
#include <vector>

#include "core/dtype.hpp"
#include "core/layout.hpp"
#include "core/model_spec.hpp"
#include "core/operator.hpp"
#include "core/weights.hpp"

namespace infersim {

enum class AttentionKernel { fused, unfused };
// MLA decode: naive up-projects every cached latent each step; absorbed folds the key and value up
// projections into the query and output sides (DeepSeek-V2 paper §2.1.2) and attends over the latent.
enum class MlaDecode { absorbed, naive };
// How tokens choose their experts, for the experts a step reaches
// (docs/formulas.md#expected_experts_touched): uniform: at random, each expert equally likely (skewed by
// moe_skew); balanced: spread evenly, as kernel benchmarks route (every expert receives rows once there are
// as many rows as experts).
enum class MoeRouting { uniform, balanced };

struct TensorFormats {
  WeightFormats weights;
  // Activations between kernels (the residual stream, norms, GEMM outputs, attention's inputs and
  // outputs, collectives, activation memory): the compute dtype's width, at least 16 bits.
  double act_bytes = 2.0;
  double kv_bytes = 2.0;
  // What a GEMM reads of its input: the compute dtype's width. Below 16 bits (fp8, int8, nvfp4) only a
  // GEMM's input is quantized; its output and the rest of the stream stay 16-bit
  // (docs/formulas.md#activation_bytes).
  double gemm_input_bytes = 2.0;
};

// The 16-bit width (bf16, fp16) of a quantized model's activations outside its GEMMs' inputs.
inline constexpr double kStreamBytes = 2.0;

// The formats of a scenario's weights, compute dtype (activations) and KV cache, as the operators take
// them (docs/formulas.md#activation_bytes).
[[nodiscard]] TensorFormats tensor_formats(const WeightFormats& weights, Dtype activations, Dtype kv);

// One iteration of a serving engine that batches continuously (core/step.hpp): decode rows at their
// contexts beside prefill chunks after theirs, as sums per key span, so that building the step costs the
// same for any batch. Per span: the keys the decode rows attend in all, the query-key pairs of the
// chunks, and the cached keys the chunks' queries read (their prior contexts).
struct StepSpanLoad {
  KeySpan span;
  double decode_keys = 0.0;
  double prefill_pairs = 0.0;
  double prefill_cached_keys = 0.0;
};
struct StepLoad {
  double decode_rows = 0.0;     // sequences decoding one token each
  double prefill_tokens = 0.0;  // prompt tokens of the step's prefill chunks
  double sampled_rows = 0.0;    // rows the LM head computes: the decode rows and the chunks ending a prompt
  // Attention data parallelism: the tokens of every rank's step, which the routed experts gather; 0: each
  // rank's load taken as this one's (layout.attention_dp times its tokens).
  double moe_group_tokens = 0.0;
  // Of decode_rows, the dummy rows a CUDA graph's captured batch size adds
  // (docs/formulas.md#cuda_graph_padding): the device computes them; the host schedules no sequence for them.
  double graph_padding_rows = 0.0;
  std::array<StepSpanLoad, kMaxSpanGroups> spans{};  // the model's distinct spans (span_groups order)
  int span_count = 0;
};
// The load of `span` in `load`; a span the load does not list has none.
[[nodiscard]] StepSpanLoad span_load(const StepLoad& load, const KeySpan& span);

struct PassShape {
  double batch = 1.0;
  double prompt_tokens = 1.0;  // s: prefill length (decode ignores it: context comes from per_key)
  TensorFormats formats;
  AttentionKernel attention = AttentionKernel::fused;
  MlaDecode mla = MlaDecode::absorbed;
  double moe_skew = 0.0;  // Zipf exponent of expert popularity; 0: uniform routing
  MoeRouting moe_routing = MoeRouting::uniform;
  double sampler_fp32_passes = 0.0;  // the runtime's sampler (RuntimeTerms); 0: no sampler operator
  Layout layout;                     // tp > 1 adds the Megatron all-reduces, ep > 1 the MoE all-to-alls
  bool first_stage = true;           // runs the embedding
  bool last_stage = true;            // runs the final norm and the LM head
  const StepLoad* step = nullptr;    // set: a serving step's mixed batch (batch and prompt_tokens unused)
};

// The operator lists describe one device: pass a shard (layout.hpp) when the model is split.
// Prefill of `batch` sequences of `prompt_tokens` each, causal. Fused attention counts only the
// unmasked query-key pairs (FlashAttention skips masked blocks) and reads Q, K, V, writes O once;
// unfused attention computes the full s x s score matrix (masking is applied to it afterwards) and
// writes and reads the scores through memory. The LM head runs on the last position only.
[[nodiscard]] std::vector<Operator> prefill_operators(const ModelSpec& m, const PassShape& shape);

// One decode step: one new token per sequence. Attention work is in per_key (x keys attended).
[[nodiscard]] std::vector<Operator> decode_operators(const ModelSpec& m, const PassShape& shape);

// One serving step (shape.step set): decode rows and prefill chunks in one pass, fused attention.
void step_operators(const ModelSpec& m, const PassShape& shape, std::vector<Operator>& out);

// The same, into a caller's buffer (cleared first): no allocation once it has grown.
void prefill_operators(const ModelSpec& m, const PassShape& shape, std::vector<Operator>& out);
void decode_operators(const ModelSpec& m, const PassShape& shape, std::vector<Operator>& out);

// The sends of `tokens` rows of activations between a pipeline's consecutive stages (GPipe, Huang et al.
// 2019): pp - 1 point-to-point sends of tokens x hidden values each.
[[nodiscard]] Operator pipeline_sends(const Layout& l, const ModelSpec& m, double tokens, double act_bytes);

}  // namespace infersim

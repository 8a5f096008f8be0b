#pragma once
// Multi-device layouts (Megatron-LM tensor parallelism, Shoeybi et al. 2019; GPipe pipeline
// parallelism, Huang et al. 2019; expert parallelism as TensorRT-LLM places it inside the tensor-
// parallel group; attention data parallelism; data-parallel replicas). The engine estimates one device of
// each pipeline stage by running the ordinary operator lists on a shard: a ModelSpec cut down to what that
// device holds.
#include <optional>
#include <string>
#include <vector>

#include "core/model_spec.hpp"

namespace infersim {

struct Layout {
  int tp = 1;  // tensor-parallel devices per stage
  int pp = 1;  // pipeline stages
  int ep = 1;  // expert-parallel ways inside the tp devices (divides tp)
  int dp = 1;  // independent replicas
  // Attention data parallelism (MoE models): this many devices each run every layer but the routed
  // experts whole, on their own share of the sequences, and run the routed experts as one expert-parallel
  // group over all their tokens (TensorRT-LLM enable_attention_dp, SGLang --enable-dp-attention;
  // docs/formulas.md#attention_data_parallel). Needs tp = ep = 1: the ranks take the tensor group's place.
  int attention_dp = 1;
  // Under attention data parallelism: the ways each routed expert's intermediate width is split among the
  // ranks (TensorRT-LLM's moe_tp_size); the experts themselves are split attention_dp / moe_tp ways
  // (moe_ep_size). 1: the experts split, each whole on one rank. Divides attention_dp.
  int moe_tp = 1;
  int micro_batches = 1;      // pipeline micro-batches the batch is split into
  double comm_overlap = 0.0;  // share of communication hidden behind compute, [0, 1)

  friend bool operator==(const Layout&, const Layout&) = default;
};

// Upper plausibility bound on dp x tp x pp (the largest published training clusters are ~10^5 devices);
// it also keeps device_count() far from int overflow.
inline constexpr long long kMaxDevices = 1'000'000;

[[nodiscard]] constexpr int device_count(const Layout& l) { return l.dp * l.attention_dp * l.tp * l.pp; }
// The groups of devices that each run a batch of their own: the replicas, and in each the attention
// data-parallel ranks (whose routed experts still run in step).
[[nodiscard]] constexpr int batch_ranks(const Layout& l) { return l.dp * l.attention_dp; }

struct Stage {
  int first_layer = 0;
  int layers = 0;
  bool first = true;  // holds the embedding
  bool last = true;   // holds the final norm and the LM head
};

// Layers split into pp contiguous stages; when they do not divide, the first L % pp stages take one
// more layer (so the heaviest stage is the first).
[[nodiscard]] std::vector<Stage> pipeline_stages(int layers, int pp);
// Stage `i` of those (0 <= i < pp).
[[nodiscard]] Stage pipeline_stage(int layers, int pp, int i);

// Why the model cannot take a split, if it cannot: query heads not divisible by tp, KV heads that
// neither divide nor are divided by tp, more stages than layers, ep not dividing tp or the experts,
// more than kMaxDevices devices in all, a communication overlap outside [0, 1), attention data
// parallelism beside tp or ep, on a dense model or over experts it does not divide, a moe_tp without
// attention data parallelism or not dividing it. The reason, or none.
[[nodiscard]] std::optional<std::string> layout_problem(const ModelSpec& m, const Layout& l);
// Throws InputError with layout_problem's reason when there is one.
void check_layout(const ModelSpec& m, const Layout& l);

// What one device of `stage` holds: heads, KV heads (replicated when tp exceeds them), MLP widths,
// vocabulary split tp ways; experts split ep ways with each expert's FFN split tp/ep ways (under attention
// data parallelism, attention_dp / moe_tp ways more, each expert's FFN moe_tp ways more); MLA's latent
// projections replicated;
// the stage's layers, with the dense-prefix of an MoE model cut to it.
[[nodiscard]] ModelSpec stage_shard(const ModelSpec& m, const Stage& stage, const Layout& l);
// The same into `out` (whose strings keep their storage: no allocation once it has held the model).
void stage_shard(const ModelSpec& m, const Stage& stage, const Layout& l, ModelSpec& out);

}  // namespace infersim

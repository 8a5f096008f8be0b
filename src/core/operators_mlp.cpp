// The MLP of each layer: dense (gated or plain), or Mixture-of-Experts with a router, the routed
// experts a step touches, optional shared experts and the weighted combine.
#include <algorithm>

#include "core/formulas/attention.hpp"
#include "core/formulas/elementwise.hpp"
#include "core/formulas/moe.hpp"
#include "core/formulas/params.hpp"
#include "core/operator_builders.hpp"

namespace infersim::detail {

namespace {

// up (or gate+up), activation, down for `tokens` rows through an MLP of inner width `inner`.
void append_dense_mlp(std::vector<Operator>& ops, const ModelSpec& m, const TensorFormats& p, double tokens,
                      double inner, double repeat, const char* const names[3]) {
  const double h = m.hidden_size;
  const bool bias = m.linear_bias == LinearBias::all;
  const double up_width = (mlp_matrices(m) - 1.0) * inner;
  ops.push_back(gemm(names[0], tokens, h, up_width, bias, p.weights.matrix, p, repeat));
  ops.push_back(vector_op(names[1], activation_flops_per_element(m.activation, m.mlp) * tokens * inner,
                          tokens * up_width, tokens * inner, 0.0, p, repeat));
  ops.push_back(gemm(names[2], tokens, inner, h, bias, p.weights.matrix, p, repeat));
}

// Routed experts: T tokens each sent to k experts; FLOPs follow the T*k routed rows, weight traffic
// the distinct experts the step touches (docs/formulas.md#routed_experts; all of them in a long prefill).
void append_routed_experts(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                           double tokens, double repeat) {
  const TensorFormats& p = shape.formats;
  const MoeSpec& e = m.moe;
  const double h = m.hidden_size;
  const double f = e.expert_intermediate_size;
  // Under expert parallelism this device holds 1/ep of the experts and receives, on average, 1/ep of
  // the routed rows. The devices' experts run in step (the all-to-all back waits for the last), so the
  // device is timed as the busiest one: the mean share of rows times the device imbalance
  // (docs/formulas.md#moe_device_imbalance; 1 without expert parallelism).
  // Under balanced routing (kernel benchmarks) every device receives its even share.
  const double ways = e.expert_parallel;
  const bool balanced = shape.moe_routing == MoeRouting::balanced;
  const double imbalance =
      balanced ? 1.0
               : moe_device_imbalance(global_experts(e), e.experts_per_token, tokens, shape.moe_skew, ways);
  const double mean_routed = tokens * e.experts_per_token / ways;
  const double routed = mean_routed * imbalance;
  // The busiest device touches its share of the experts the step touches in proportion, up to all it holds.
  const double reached =
      balanced ? balanced_experts_touched(global_experts(e), e.experts_per_token, tokens)
               : expected_experts_touched(global_experts(e), e.experts_per_token, tokens, shape.moe_skew);
  const double touched = std::min(static_cast<double>(e.experts), reached / ways * imbalance);
  const double up_width = (mlp_matrices(m) - 1.0) * f;
  const StorageFormat& w = p.weights.experts;
  // The routed rows gathered into expert order, one copy per (token, expert) pair (TensorRT-LLM's
  // expandInputRowsKernel, cpp/tensorrt_llm/kernels/mixtureOfExperts/moe_kernels.cu;
  // docs/formulas.md#moe_routing).
  ops.push_back(vector_op("experts_permute", 0.0, routed * h, routed * h, 0.0, p, repeat));
  // One grouped GEMM over the touched experts, the routed rows shared out evenly among them.
  ops.push_back(grouped_gemm("experts_up", routed, touched, h, up_width, w, p, repeat));
  ops.push_back(vector_op("experts_act", activation_flops_per_element(m.activation, m.mlp) * routed * f,
                          routed * up_width, routed * f, 0.0, p, repeat));
  ops.push_back(grouped_gemm("experts_down", routed, touched, f, h, w, p, repeat));
  // Weighted sum of each token's k expert outputs (Shazeer et al. 2017): a multiply and an add each; it
  // reads the rows back in token order (the un-permute; TensorRT-LLM's finalizeMoeRoutingKernel).
  ops.push_back(
      vector_op("experts_combine", 2.0 * mean_routed * h, mean_routed * h, tokens * h, 0.0, p, repeat));
}

void append_moe_mlp(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape, double tokens,
                    double repeat) {
  const TensorFormats& p = shape.formats;
  const MoeSpec& e = m.moe;
  // The router (and Qwen2-MoE's shared-expert gate) stays 16-bit in quantized checkpoints.
  const StorageFormat router_format =
      default_storage_format(p.weights.vector_bytes > 2.0 ? Dtype::fp32 : Dtype::bf16);
  ops.push_back(gemm("router", tokens, m.hidden_size, global_experts(e) + (e.shared_expert_gate ? 1.0 : 0.0),
                     false, router_format, p, repeat));
  // The router's top-k softmax: one kernel per layer over each token's gate logits
  // (docs/formulas.md#moe_routing).
  const double experts = global_experts(e);
  Operator topk =
      vector_op("router_topk", kSoftmaxFlopsPerScore * tokens * experts, 0.0, 0.0, 0.0, p, repeat);
  topk.fixed.bytes.act_read_B =
      tokens * router_topk_bytes_per_token(experts, e.experts_per_token, p.act_bytes);
  topk.moe_module_call = true;
  ops.push_back(topk);
  const Layout& l = shape.layout;
  // Expert parallelism: the routed rows go to the experts' devices and come back (two all-to-alls,
  // each device sending its 1/ep share of the tokens' k copies).
  const double a2a_B = tokens * e.experts_per_token * m.hidden_size * p.act_bytes / l.ep;
  if (l.ep > 1) ops.push_back(link_op("moe_dispatch", Collective::alltoall, l.ep, l.tp, a2a_B, repeat));
  if (l.attention_dp > 1) {
    // Attention data parallelism: every rank gathers all ranks' tokens, runs its experts on the rows
    // routed to them, and the partial outputs are reduce-scattered back to the tokens' ranks
    // (docs/formulas.md#attention_data_parallel). Both collectives move the gathered total.
    const double ranks = l.attention_dp;
    const double group = shape.step ? shape.step->moe_group_tokens : 0.0;
    const double gathered = group > 0.0 ? group : tokens * ranks;
    const double gathered_B = gathered * m.hidden_size * p.act_bytes;
    ops.push_back(link_op("moe_allgather", Collective::allgather, ranks, ranks, gathered_B, repeat));
    append_routed_experts(ops, m, shape, gathered, repeat);
    ops.push_back(link_op("moe_reduce_scatter", Collective::allgather, ranks, ranks, gathered_B, repeat));
  } else {
    append_routed_experts(ops, m, shape, tokens, repeat);
  }
  if (l.ep > 1) ops.push_back(link_op("moe_gather", Collective::alltoall, l.ep, l.tp, a2a_B, repeat));
  if (e.shared_experts > 0) {
    static const char* const kShared[3] = {"shared_up", "shared_act", "shared_down"};
    append_dense_mlp(ops, m, p, tokens,
                     static_cast<double>(e.shared_experts) * e.shared_expert_intermediate_size, repeat,
                     kShared);
  }
}

}  // namespace

void append_mlp(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape, double tokens) {
  const double dense_layers = dense_layer_count(m);
  if (dense_layers > 0) {
    static const char* const kGated[3] = {"mlp_gate_up", "mlp_act", "mlp_down"};
    static const char* const kPlain[3] = {"mlp_up", "mlp_act", "mlp_down"};
    append_dense_mlp(ops, m, shape.formats, tokens, m.intermediate_size, dense_layers,
                     m.mlp == MlpKind::gated ? kGated : kPlain);
  }
  const double moe_layers = moe_layer_count(m);
  if (moe_layers > 0) append_moe_mlp(ops, m, shape, tokens, moe_layers);
}

}  // namespace infersim::detail

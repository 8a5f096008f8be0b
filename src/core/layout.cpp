#include "core/layout.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "core/errors.hpp"

namespace infersim {

namespace {

int ceil_div(int a, int b) { return (a + b - 1) / b; }

}  // namespace

std::vector<Stage> pipeline_stages(int layers, int pp) {
  std::vector<Stage> stages;
  stages.reserve(static_cast<std::size_t>(pp));
  for (int i = 0; i < pp; ++i) stages.push_back(pipeline_stage(layers, pp, i));
  return stages;
}

Stage pipeline_stage(int layers, int pp, int i) {
  // The first L % pp stages take one more layer: the stages before i hold i * (L / pp) + min(i, L % pp).
  const int first = i * (layers / pp) + std::min(i, layers % pp);
  const int count = layers / pp + (i < layers % pp ? 1 : 0);
  return {first, count, i == 0, i == pp - 1};
}

std::optional<std::string> layout_problem(const ModelSpec& m, const Layout& l) {
  // Messages are built only on failure: this runs once per configuration of a sweep.
  if (l.tp < 1 || l.pp < 1 || l.ep < 1 || l.dp < 1 || l.attention_dp < 1 || l.moe_tp < 1 ||
      l.micro_batches < 1) {
    return std::string(
        "--tp, --pp, --ep, --dp, --attention-dp, --moe-tp and --micro-batches must be positive");
  }
  // Checked factor by factor: each is at most kMaxDevices (1e6) once the product before it is, so no
  // product overflows a long long before the bound.
  const long long dp_tp = static_cast<long long>(l.dp) * l.tp;
  const long long ranks = dp_tp * l.attention_dp;
  if (dp_tp > kMaxDevices || ranks > kMaxDevices || ranks * l.pp > kMaxDevices) {
    return std::string("--dp x --attention-dp x --tp x --pp must be at most " + std::to_string(kMaxDevices) +
                       " devices, got " + std::to_string(l.dp) + " x " + std::to_string(l.attention_dp) +
                       " x " + std::to_string(l.tp) + " x " + std::to_string(l.pp));
  }
  if (m.attention_heads % l.tp != 0) {
    return std::string("--tp " + std::to_string(l.tp) + " must divide the " +
                       std::to_string(m.attention_heads) + " query heads of model '" + m.name + "'");
  }
  if (m.kv_heads % l.tp != 0 && l.tp % m.kv_heads != 0) {
    return std::string("--tp " + std::to_string(l.tp) + " must divide, or be a multiple of, the " +
                       std::to_string(m.kv_heads) + " KV heads of model '" + m.name + "'");
  }
  if (l.pp > m.layers) {
    return std::string("--pp " + std::to_string(l.pp) + " exceeds the " + std::to_string(m.layers) +
                       " layers of model '" + m.name + "'");
  }
  if (l.tp % l.ep != 0) {
    return std::string("--ep " + std::to_string(l.ep) + " must divide --tp " + std::to_string(l.tp) +
                       " (experts are split inside the tensor-parallel group)");
  }
  if (l.ep > 1 && !(is_moe(m) && m.moe.experts % l.ep == 0)) {
    return std::string("--ep " + std::to_string(l.ep) +
                       " needs an MoE model whose experts it divides (model '" + m.name + "')");
  }
  if (l.attention_dp > 1) {
    if (l.tp > 1 || l.ep > 1)
      return std::string(
          "--attention-dp takes the place of --tp and --ep (its ranks run attention whole and "
          "split the experts): give --tp 1 and --ep 1");
    if (l.attention_dp % l.moe_tp != 0) {
      return std::string("--moe-tp " + std::to_string(l.moe_tp) + " must divide --attention-dp " +
                         std::to_string(l.attention_dp) + " (the ranks split each expert moe-tp ways)");
    }
    const int expert_ways = l.attention_dp / l.moe_tp;
    if (!(is_moe(m) && m.moe.experts % expert_ways == 0)) {
      return std::string("--attention-dp " + std::to_string(l.attention_dp) +
                         (l.moe_tp > 1 ? " over --moe-tp " + std::to_string(l.moe_tp) : std::string()) +
                         " needs an MoE model whose experts it divides (model '" + m.name + "')");
    }
  } else if (l.moe_tp > 1) {
    return std::string(
        "--moe-tp splits the experts among attention data-parallel ranks: give --attention-dp "
        "as well (with --tp, each expert is split tp / ep ways already)");
  }
  if (!(l.comm_overlap >= 0.0 && l.comm_overlap < 1.0))
    return std::string("--comm-overlap must be in [0, 1)");
  return std::nullopt;
}

void check_layout(const ModelSpec& m, const Layout& l) {
  if (auto why = layout_problem(m, l)) throw InputError(*why);
}

ModelSpec stage_shard(const ModelSpec& m, const Stage& stage, const Layout& l) {
  ModelSpec s;
  stage_shard(m, stage, l, s);
  return s;
}

void stage_shard(const ModelSpec& m, const Stage& stage, const Layout& l, ModelSpec& s) {
  s = m;
  s.attention_heads = m.attention_heads / l.tp;
  s.kv_heads = std::max(1, m.kv_heads / l.tp);
  s.intermediate_size = ceil_div(m.intermediate_size, l.tp);
  s.vocab_size = ceil_div(m.vocab_size, l.tp);
  s.layers = stage.layers;
  if (!s.attention_pattern.empty()) {  // the shard's layer 0 is the model's layer first_layer
    const auto shift =
        static_cast<std::ptrdiff_t>(static_cast<std::size_t>(stage.first_layer) % s.attention_pattern.size());
    std::rotate(s.attention_pattern.begin(), s.attention_pattern.begin() + shift, s.attention_pattern.end());
  }
  if (is_moe(m)) {
    // Attention data-parallel ranks (tp = ep = 1) hold 1/(attention_dp / moe_tp) of the experts, each
    // expert's FFN split moe_tp ways among them (TensorRT-LLM's moe_ep_size and moe_tp_size).
    const int ffn_ways = l.tp / l.ep * l.moe_tp;
    const int expert_ways = l.ep * l.attention_dp / l.moe_tp;
    s.moe.experts = m.moe.experts / expert_ways;
    s.moe.expert_parallel = m.moe.expert_parallel * expert_ways;
    s.moe.expert_intermediate_size = ceil_div(m.moe.expert_intermediate_size, ffn_ways);
    s.moe.shared_expert_intermediate_size = ceil_div(m.moe.shared_expert_intermediate_size, l.tp);
    s.moe.first_dense_layers = std::clamp(m.moe.first_dense_layers - stage.first_layer, 0, stage.layers);
  }
}

}  // namespace infersim

// Attention data parallelism (core/layout.hpp, docs/formulas.md#attention_data_parallel): what each rank
// holds, the operators of its step, and the serving simulator's ranks iterating together. Expected values
// are worked by hand from the model's shapes (Mixtral-8x7B's, mistralai config.json) or are relations to
// layouts whose cost is tested elsewhere.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/capacity.hpp"
#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/layout.hpp"
#include "core/operators.hpp"
#include "core/step.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "serving/simulator.hpp"
#include "support/fixtures.hpp"
#include "support/request_list.hpp"

using namespace infersim;

namespace {

// Mixtral-8x7B's shape: 32 layers, hidden 4096, 32 query / 8 KV heads of 128, 8 experts of FFN 14336,
// top-2, vocabulary 32000.
ModelSpec mixtral() { return test::mixtral_8x7b(); }

Layout ranks(int n) {
  Layout l;
  l.attention_dp = n;
  return l;
}

const Operator* find_op(const std::vector<Operator>& ops, const std::string& name) {
  for (const Operator& op : ops) {
    if (name == op.name) return &op;
  }
  return nullptr;
}

// Qwen3-30B-A3B served by two attention data-parallel ranks of one H100 each, requests round-robin.
struct TwoRanks {
  ModelSpec m = load_model(test::source_path("model_configs/qwen3-30b-a3b.yaml"));
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc = with_ranks(2);
  StepTimer timer{m, hw, sc};
  serving::ServeConfig cfg;
  TwoRanks() { cfg.replicas = 2; }
  static Scenario with_ranks(int n) {
    Scenario s;
    s.layout = ranks(n);
    return s;
  }
};

PassShape decode_shape(const Layout& l, double batch) {
  PassShape s;
  s.batch = batch;
  s.layout = l;
  return s;
}

}  // namespace

TEST_CASE("Attention data parallel: each rank holds attention whole and 1/N of the experts") {
  const ModelSpec m = mixtral();
  const ModelSpec s = stage_shard(m, pipeline_stage(32, 1, 0), ranks(4));
  CHECK(s.attention_heads == 32);
  CHECK(s.kv_heads == 8);
  CHECK(s.vocab_size == 32000);
  CHECK(s.intermediate_size == 14336);
  CHECK(s.moe.experts == 2);  // 8 experts over 4 ranks, each expert whole
  CHECK(s.moe.expert_parallel == 4);
  CHECK(s.moe.expert_intermediate_size == 14336);
  Layout l = ranks(4);
  l.dp = 2;
  CHECK(device_count(l) == 8);
  CHECK(batch_ranks(l) == 8);
  CHECK_NOTHROW(check_layout(m, l));
}

TEST_CASE(
    "Attention data parallel: refused beside tp or ep, on a dense model, over experts it does not split") {
  const ModelSpec m = mixtral();
  Layout l = ranks(4);
  l.tp = 2;
  CHECK_THROWS_WITH(check_layout(m, l), Catch::Contains("--attention-dp takes the place of --tp"));
  l = ranks(3);  // 8 experts do not split 3 ways
  CHECK_THROWS_WITH(check_layout(m, l), Catch::Contains("experts it divides"));
  CHECK_THROWS_WITH(check_layout(test::llama2_7b(), ranks(2)), Catch::Contains("needs an MoE model"));
  l = ranks(0);
  CHECK_THROWS_AS(check_layout(m, l), InputError);
  l = ranks(1'000);  // 1000 ranks x 1001 replicas: past 10^6 devices
  l.dp = 1'001;
  CHECK_THROWS_WITH(check_layout(m, l), Catch::Contains("at most 1000000 devices"));
}

TEST_CASE("Attention data parallel with moe_tp: the ranks split each expert's FFN, then the experts") {
  const ModelSpec m = mixtral();
  Layout l = ranks(4);
  l.moe_tp = 4;  // every rank holds all 8 experts, each a quarter as wide: 14336 / 4 = 3584
  ModelSpec s = stage_shard(m, pipeline_stage(32, 1, 0), l);
  CHECK(s.moe.experts == 8);
  CHECK(s.moe.expert_parallel == 1);
  CHECK(s.moe.expert_intermediate_size == 3584);
  CHECK(s.attention_heads == 32);  // attention stays whole on each rank
  l.moe_tp = 2;                    // 2 ways of experts (4 each), each expert half as wide: 7168
  s = stage_shard(m, pipeline_stage(32, 1, 0), l);
  CHECK(s.moe.experts == 4);
  CHECK(s.moe.expert_parallel == 2);
  CHECK(s.moe.expert_intermediate_size == 7168);
  CHECK_NOTHROW(check_layout(m, l));
  // Refused: without attention data parallelism, not dividing it, or leaving ways the experts do not divide.
  Layout plain;
  plain.moe_tp = 2;
  CHECK_THROWS_WITH(check_layout(m, plain), Catch::Contains("give --attention-dp as well"));
  l.moe_tp = 3;
  CHECK_THROWS_WITH(check_layout(m, l), Catch::Contains("--moe-tp 3 must divide --attention-dp 4"));
  l = ranks(6);  // 6 ranks, moe_tp 2: 3 ways of experts, and 8 experts do not split 3 ways
  l.moe_tp = 2;
  CHECK_THROWS_WITH(check_layout(m, l), Catch::Contains("over --moe-tp 2 needs an MoE model whose experts"));
  l.moe_tp = 0;
  CHECK_THROWS_AS(check_layout(m, l), InputError);
}

TEST_CASE("Attention data parallel with moe_tp: the same weights and collectives, every routed row local") {
  // One rank of 4, 16 sequences decoding, moe_tp 4 against moe_tp 1 (experts split): the rank holds a quarter
  // of the experts' weights either way (8 experts x 1/4 width, or 2 experts whole) and gathers the same 64
  // tokens; under moe_tp every one of the 64 x 2 routed rows is computed on the rank over an FFN a quarter as
  // wide: the mean rank's FLOPs of the split experts, with no busiest rank (the split experts' rank is timed
  // as the busiest, docs/formulas.md#moe_device_imbalance, so its FLOPs are above).
  const ModelSpec m = mixtral();
  Layout split = ranks(4);
  split.moe_tp = 4;
  const std::vector<Operator> tp_ops =
      decode_operators(stage_shard(m, pipeline_stage(32, 1, 0), split), decode_shape(split, 16.0));
  const std::vector<Operator> ep_ops =
      decode_operators(stage_shard(m, pipeline_stage(32, 1, 0), ranks(4)), decode_shape(ranks(4), 16.0));
  for (const char* name : {"experts_up", "experts_down"}) {
    INFO(name);
    REQUIRE(find_op(tp_ops, name));
    CHECK(find_op(tp_ops, name)->fixed.flops < find_op(ep_ops, name)->fixed.flops);
    CHECK(find_op(tp_ops, name)->fixed.bytes.weights_read_B ==
          Approx(find_op(ep_ops, name)->fixed.bytes.weights_read_B));
  }
  // experts_up by hand: 128 routed rows x 2 x 4096 x (2 x 3584) FLOPs, 32 layers.
  CHECK(find_op(tp_ops, "experts_up")->fixed.flops * find_op(tp_ops, "experts_up")->repeat ==
        Approx(32.0 * 128.0 * 2.0 * 4096.0 * 2.0 * 3584.0));
  for (const char* name : {"moe_allgather", "moe_reduce_scatter"}) {
    INFO(name);
    REQUIRE(find_op(tp_ops, name));
    CHECK(find_op(tp_ops, name)->comm.message_B == 524'288.0);
  }
}

TEST_CASE("Attention data parallel: a rank's weights are attention, embedding and head whole, experts / N") {
  // bf16 (2 bytes a parameter). Per layer: attention 4096 x 4096 (q) + 2 x 4096 x 1024 (k, v) + 4096 x
  // 4096 (o) = 41,943,040; experts 8 x 3 x 4096 x 14336 = 1,409,286,144, a quarter of it on each of 4
  // ranks = 352,321,536; router 4096 x 8 = 32,768; two norms 8,192. 32 layers: 32 x 394,305,536 =
  // 12,617,777,152. Embedding and LM head 2 x 32000 x 4096 = 262,144,000; final norm 4,096. Total
  // 12,879,925,248 parameters = 25,759,850,496 bytes.
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc = test::scenario(8, 512, 64);
  sc.layout = ranks(4);
  const Estimate e = estimate(mixtral(), hw, sc);
  CHECK(e.weight_bytes_per_device == Approx(25'759'850'496.0).epsilon(1e-9));
  CHECK(e.devices == 4);
}

TEST_CASE("Attention data parallel: the experts gather every rank's tokens, no tensor-parallel all-reduce") {
  const ModelSpec m = mixtral();
  // One rank of 4, 16 sequences decoding: its attention is a one-device model's at batch 16 ...
  const std::vector<Operator> adp =
      decode_operators(stage_shard(m, pipeline_stage(32, 1, 0), ranks(4)), decode_shape(ranks(4), 16.0));
  const std::vector<Operator> alone = decode_operators(m, decode_shape(Layout{}, 16.0));
  for (const char* name : {"q_proj", "k_proj", "attention", "o_proj", "lm_head"}) {
    INFO(name);
    REQUIRE(find_op(adp, name));
    CHECK(find_op(adp, name)->fixed.flops == find_op(alone, name)->fixed.flops);
    CHECK(find_op(adp, name)->fixed.bytes.weights_read_B == find_op(alone, name)->fixed.bytes.weights_read_B);
  }
  CHECK_FALSE(find_op(adp, "attn_allreduce"));
  CHECK_FALSE(find_op(adp, "mlp_allreduce"));
  // ... and its experts are an expert-parallel device's over all 4 x 16 = 64 tokens (tp 4, ep 4: every
  // device holds the 64 tokens and 2 experts).
  Layout ep;
  ep.tp = 4;
  ep.ep = 4;
  const std::vector<Operator> ep_ops =
      decode_operators(stage_shard(m, pipeline_stage(32, 1, 0), ep), decode_shape(ep, 64.0));
  for (const char* name : {"experts_up", "experts_down"}) {
    INFO(name);
    CHECK(find_op(adp, name)->fixed.flops == Approx(find_op(ep_ops, name)->fixed.flops));
    CHECK(find_op(adp, name)->fixed.bytes.weights_read_B ==
          Approx(find_op(ep_ops, name)->fixed.bytes.weights_read_B));
  }
  // The gather and the reduce-scatter each move the 64 tokens' hidden states: 64 x 4096 x 2 bytes.
  for (const char* name : {"moe_allgather", "moe_reduce_scatter"}) {
    INFO(name);
    const Operator* op = find_op(adp, name);
    REQUIRE(op);
    CHECK(op->comm.message_B == 524'288.0);
    CHECK(op->comm.group == 4.0);
    CHECK(op->repeat == 32.0);
  }
}

TEST_CASE("Attention data parallel: a serving step's experts take the group's tokens when it gives them") {
  const ModelSpec m = mixtral();
  StepLoad load;
  load.decode_rows = 10.0;
  load.sampled_rows = 10.0;
  PassShape shape = decode_shape(ranks(4), 10.0);
  shape.step = &load;
  std::vector<Operator> ops;
  const ModelSpec shard = stage_shard(m, pipeline_stage(32, 1, 0), ranks(4));
  step_operators(shard, shape, ops);
  CHECK(find_op(ops, "moe_allgather")->comm.message_B == 40.0 * 4096 * 2);  // 4 ranks x 10 tokens
  load.moe_group_tokens = 100.0;  // the other ranks ran 90 tokens between them
  step_operators(shard, shape, ops);
  CHECK(find_op(ops, "moe_allgather")->comm.message_B == 100.0 * 4096 * 2);
}

TEST_CASE("Attention data parallel serving: the ranks iterate together, the slowest rank sets the pace") {
  // Two ranks; a 4000-token prompt goes to one and a 16-token prompt to the other (round-robin). Their
  // first iteration is one group step: both first tokens come at its end, and it lasts as long as the
  // long prompt's prefill with the short one's 16 tokens gathered into its experts, within 1 % of the long
  // prompt alone.
  TwoRanks r;
  StepTimer& timer = r.timer;
  serving::ServeConfig& cfg = r.cfg;
  const auto first_tokens = [&](std::vector<serving::Request> requests) {
    std::vector<double> out(requests.size(), -1.0);
    serving::ServeObserver obs;
    obs.request = [&](const serving::RequestRecord& r) {
      out[static_cast<std::size_t>(r.id)] = r.first_token_s;
    };
    test::ListSource source(requests);
    static_cast<void>(
        serving::simulate(timer, cfg, source, static_cast<long long>(requests.size()), {}, 0.0, obs));
    return out;
  };
  const std::vector<double> both = first_tokens({{0, 0.0, 4000, 2}, {1, 0.0, 16, 2}});
  const std::vector<double> long_alone = first_tokens({{0, 0.0, 4000, 2}});
  const std::vector<double> short_alone = first_tokens({{0, 0.0, 16, 2}});
  CHECK(both[1] == both[0]);
  CHECK(both[0] == Approx(long_alone[0]).epsilon(0.01));
  CHECK(both[1] > 2.0 * short_alone[0]);  // alone, 16 tokens take a fifth of that
}

TEST_CASE("Attention data parallel: capacity's fewest devices is the model's, not one rank's share") {
  // Mixtral-8x7B in bf16 is 93.4 GB of weights: two 80 GB H100s at least. A rank of 4 holds a quarter of
  // the experts (25.8 GB, above), which says nothing about how few devices hold the whole model.
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc = test::scenario(1, 1024, 256);
  const CapacityResult plain = capacity(mixtral(), hw, sc, {});
  sc.layout = ranks(4);
  const CapacityResult adp = capacity(mixtral(), hw, sc, {});
  CHECK(plain.min_devices >= 2);
  CHECK(adp.min_devices == plain.min_devices);
  CHECK(adp.min_tp == plain.min_tp);
}

TEST_CASE(
    "Attention data parallel serving: under graph padding every rank pads to the largest rank's batch") {
  // Two ranks, round-robin: three requests put two sequences on rank 0 and one on rank 1. Their decode
  // iteration (output 2: one decode step, every request's TPOT) is decode rows alone on both ranks, so
  // TensorRT-LLM pads both to the captured size holding the larger batch, 2 (_get_padded_batch): rank 1
  // runs a dummy row beside its one, and the experts gather 4 rows, as they do for four requests (two a
  // rank, rank 0's the same two). Rank 0 sets the pace in both runs with the same rows, keys and gathered
  // tokens, so the TPOTs are equal. Unpadded, three requests gather 3 rows and decode faster than four.
  TwoRanks r;
  StepTimer& timer = r.timer;
  serving::ServeConfig& cfg = r.cfg;
  const auto tpot = [&](long long requests) {
    test::ListSource source(test::at_zero(requests, 100, 2));
    return serving::simulate(timer, cfg, source, requests, {}, 0.0).summary.tpot_mean_s;
  };
  const double three_unpadded = tpot(3);
  const double four_unpadded = tpot(4);
  CHECK(three_unpadded < four_unpadded);
  cfg.limits.graph_padding_sizes = {1, 2};
  CHECK(tpot(3) == Approx(tpot(4)).epsilon(1e-12));
  CHECK(tpot(4) == Approx(four_unpadded).epsilon(1e-12));  // two rows a rank: a captured size already
}

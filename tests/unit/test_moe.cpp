// Mixture-of-Experts: parameters (Mixtral paper; DeepSeek-V3 report; Qwen1.5-MoE model card) and
// the experts a decode step touches (docs/formulas.md#expected_experts_touched: E * (1 - (1 - k/E)^T)).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "core/estimate.hpp"
#include "core/formulas/elementwise.hpp"
#include "core/formulas/moe.hpp"
#include "core/formulas/params.hpp"
#include "core/operators.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

using test::mixtral_8x7b;

TEST_CASE("Mixtral-8x7B: 46,702,792,704 total and 12,879,925,248 active parameters (Jiang et al. 2024)") {
  // Hand, per layer: attention 2*4096^2 + 2*4096*1024 = 41,943,040; experts 8*3*4096*14336 =
  // 1,409,286,144; router 4096*8 = 32,768; norms 8,192 -> 1,451,270,144; x32 + 262,144,000 + 4,096.
  // Active: experts 2*3*4096*14336 = 352,321,536 instead -> 394,305,536 per layer.
  const ModelSpec m = mixtral_8x7b();
  CHECK(params_total(m) == 46'702'792'704.0);
  CHECK(params_active(m) == 12'879'925'248.0);
}

TEST_CASE("Expected experts touched: uniform routing, by hand") {
  CHECK(expected_experts_touched(8, 2, 1, 0.0) == Approx(2.0));                   // one token: its top-2
  CHECK(expected_experts_touched(8, 2, 2, 0.0) == Approx(8.0 * (1.0 - 0.5625)));  // 8*(1-(3/4)^2) = 3.5
  CHECK(expected_experts_touched(256, 8, 1e6, 0.0) == Approx(256.0));             // a long prefill: all
  // Skew concentrates tokens on popular experts: fewer distinct experts for the same batch.
  CHECK(expected_experts_touched(64, 4, 16, 1.0) < expected_experts_touched(64, 4, 16, 0.0));
  CHECK(expected_experts_touched(64, 4, 16, 1e-12) == Approx(expected_experts_touched(64, 4, 16, 0.0)));
}

TEST_CASE(
    "Balanced routing reaches the lesser of E and T times k experts, and the decode step streams each") {
  // By hand: 16 tokens of top-8 over 128 experts are 128 rows, one an expert under round-robin routing, where
  // uniform routing reaches 128 (1 - (15/16)^16) = 82.2 of them; 4 tokens reach 32; a long prefill all.
  CHECK(balanced_experts_touched(128.0, 8.0, 16.0) == 128.0);
  CHECK(balanced_experts_touched(128.0, 8.0, 4.0) == 32.0);
  CHECK(balanced_experts_touched(8.0, 2.0, 1e6) == 8.0);
  CHECK(expected_experts_touched(128, 8, 16, 0.0) == Approx(128.0 * (1.0 - std::pow(15.0 / 16.0, 16))));
  // Mixtral at batch 2 in decode: 4 rows over 8 experts. Balanced: 4 experts' up projections (2 x 14336 x
  // 4096 bf16 each, 234,881,024 B) a layer; uniform: 8 (1 - (3/4)^2) = 3.5 experts.
  const ModelSpec m = mixtral_8x7b();
  PassShape shape;
  shape.batch = 2.0;
  const auto up_weights_B = [&](MoeRouting routing) {
    shape.moe_routing = routing;
    for (const Operator& op : decode_operators(m, shape))
      if (std::string(op.name) == "experts_up") return op.fixed.bytes.weights_read_B;
    return 0.0;
  };
  CHECK(up_weights_B(MoeRouting::balanced) == 4.0 * 234'881'024.0);
  CHECK(up_weights_B(MoeRouting::uniform) == Approx(3.5 * 234'881'024.0));
  // With a skew the routing is not balanced: an input error.
  Scenario sc = test::scenario(2, 512, 64);
  sc.moe_routing = MoeRouting::balanced;
  sc.moe_skew = 1.0;
  CHECK_THROWS_WITH(estimate(m, test::ideal_a100(), sc), Catch::Contains("takes no skew"));
}

TEST_CASE("MoE decode: batch 1 reads about the active weights, batch 64 touches every expert") {
  const ModelSpec m = mixtral_8x7b();
  const Estimate one = estimate(m, test::ideal_a100(), test::scenario(1, 512, 64));
  const Estimate many = estimate(m, test::ideal_a100(), test::scenario(64, 512, 64));
  double weight_reads = 0.0;
  for (const OpResult& op : one.decode_step.ops) weight_reads += op.cost.bytes.weights_read_B;
  // Active parameters minus the embedding table (a gather of one row), at 2 bytes: within 1 %.
  CHECK(weight_reads == Approx(2.0 * (12'879'925'248.0 - 32000.0 * 4096.0)).epsilon(0.01));
  CHECK(many.tpot_s > 2.0 * one.tpot_s);  // 8 experts read instead of 2
}

TEST_CASE("Layers before first_dense_layers keep the dense MLP, layer_step picks every n-th layer") {
  ModelSpec m = mixtral_8x7b();
  m.moe.first_dense_layers = 3;
  CHECK(moe_layer_count(m) == 29);
  CHECK(dense_layer_count(m) == 3);
  m.moe.first_dense_layers = 0;
  m.moe.layer_step = 2;  // Qwen2-MoE decoder_sparse_step 2: layers 1, 3, 5, ... -> 16 of 32
  CHECK(moe_layer_count(m) == 16);
}

TEST_CASE("The fullest bin: m/n + sqrt(2 (m/n) ln n), by hand (Raab & Steger 1998)") {
  // 128 rows over 8 devices: 16 + sqrt(2 * 16 * ln 8) = 16 + sqrt(66.542) = 16 + 8.1573 = 24.157.
  CHECK(expected_max_bin_load(128.0, 8.0) == Approx(24.157).epsilon(1e-4));
  CHECK(expected_max_bin_load(5.0, 1.0) == 5.0);  // one bin holds every ball
  // 2 balls, 8 bins: 0.25 + sqrt(2 * 0.25 * 2.0794) = 0.25 + 1.0197 = 1.2697, under the 2 balls.
  CHECK(expected_max_bin_load(2.0, 8.0) == Approx(1.2697).epsilon(1e-4));
}

TEST_CASE("Expert-parallel devices: the busiest one's rows over the mean, by hand") {
  // Without expert parallelism: 1.
  CHECK(moe_device_imbalance(8, 2, 64.0, 0.0, 1.0) == 1.0);
  // 64 tokens, top-2 of 8 experts over 8 devices (one expert each): 128 rows, mean 16, busiest 24.157
  // (above), capped at 64 (one row per token): 24.157 / 16 = 1.5098.
  CHECK(moe_device_imbalance(8, 2, 64.0, 0.0, 8.0) == Approx(1.5098).epsilon(1e-4));
  // One token: two devices get one row each, the busiest 1 of a mean 0.25: 4.
  CHECK(moe_device_imbalance(8, 2, 1.0, 0.0, 8.0) == Approx(4.0));
  // Zipf exponent 2 over 4 experts, top-1, 10 tokens, 2 devices: norm = 1 + 1/4 + 1/9 + 1/16 = 1.42361,
  // the first device's experts 1 and 2 take (1 + 0.25) / 1.42361 = 0.87805 of the rows: 8.7805 of a
  // mean 5 = 1.7561, above the uniform 5 + sqrt(2 * 5 * ln 2) = 7.6327 (1.5265).
  CHECK(moe_device_imbalance(4, 1, 10.0, 2.0, 2.0) == Approx(1.7561).epsilon(1e-4));
  CHECK(moe_device_imbalance(4, 1, 10.0, 0.0, 2.0) == Approx(1.5265).epsilon(1e-4));
}

TEST_CASE("MoE routing kernels: the top-k softmax and the rows' permute copy, by hand") {
  // Mixtral: 8 gate logits in bf16 (16 B) read, 2 fp32 weights + 2 int32 ids (16 B) written: 32 B a token.
  CHECK(router_topk_bytes_per_token(8.0, 2.0, 2.0) == 32.0);
  CHECK(sampler_bytes_per_row(32000.0, 2.0, 10.0) == 32000.0 * 42.0);
  // One decode step of 4 tokens, no expert parallelism: 8 routed rows of 4096 bf16 read and written by
  // the permute (65,536 B each way), the top-k over 4 tokens: 128 B, once per layer.
  const ModelSpec m = mixtral_8x7b();
  PassShape shape;
  shape.batch = 4.0;
  const std::vector<Operator> ops = decode_operators(m, shape);
  const auto named = [&](const char* name) {
    return *std::find_if(ops.begin(), ops.end(),
                         [&](const Operator& op) { return std::string(op.name) == name; });
  };
  CHECK(named("experts_permute").fixed.bytes.act_read_B == 65536.0);
  CHECK(named("experts_permute").fixed.bytes.act_written_B == 65536.0);
  CHECK(named("experts_permute").repeat == 32.0);
  CHECK(total_bytes(named("router_topk").fixed.bytes) == 128.0);
}

// Multi-head latent attention (DeepSeek-V2 paper §2.1; DeepSeek-V3 technical report, config.json).
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/formulas/kv_cache.hpp"
#include "core/formulas/params.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {
// deepseek-ai/DeepSeek-V3 config.json: 61 layers, hidden 7168, 128 heads, q_lora 1536, kv_lora 512,
// nope 128, rope 64, v 128, vocab 129280, dense ffn 18432 in the first 3 layers, then 256 experts of
// 2048 (top-8) plus one shared expert of 2048.
ModelSpec deepseek_v3() {
  ModelSpec m = test::llama2_7b();
  m.layers = 61;
  m.hidden_size = 7168;
  m.attention_heads = 128;
  m.kv_heads = 128;
  m.head_dim = 56;
  m.intermediate_size = 18432;
  m.vocab_size = 129280;
  m.max_context = 163840;
  m.attention = AttentionKind::mla;
  m.mla = {1536, 512, 128, 64, 128};
  m.moe = {256, 8, 2048, 1, 2048, false, 3, 1};
  return m;
}
}  // namespace

TEST_CASE("DeepSeek-V3 caches 61 x (512 + 64) x 2 = 70,272 bytes per token in bf16") {
  CHECK(model_kv_bytes_per_token(deepseek_v3(), 2.0) == 70'272.0);
}

TEST_CASE("DeepSeek-V3: 671 B total, about 37 B active (technical report, main model without MTP)") {
  // Hand, attention per layer: q_a 7168*1536 + 1536 + q_b 1536*128*192 + kv_a 7168*576 + 512 +
  // kv_b 512*128*256 + o 128*128*7168 = 187,107,328. Dense MLP 3*7168*18432 = 396,361,728 (3 layers).
  // MoE layer: 256*3*7168*2048 + 3*7168*2048 + router 7168*256 = 11,320,164,352 (58 layers).
  // Norms 2*7168 a layer; embedding and LM head 2*129280*7168; final norm 7168. Total 671,026,404,352.
  const ModelSpec m = deepseek_v3();
  CHECK(attention_params_per_layer(m) == 187'107'328.0);
  CHECK(params_total(m) == 671'026'404'352.0);
  CHECK(params_total(m) == Approx(671e9).epsilon(0.01));
  CHECK(params_active(m) == Approx(37e9).epsilon(0.03));  // report: 37 B activated
}

TEST_CASE("Absorbed MLA decode reads the latent once for all heads, naive re-expands it every step") {
  const ModelSpec m = deepseek_v3();
  HardwareSpec hw = test::ideal_a100();
  hw.memory_capacity_B = 1e15;
  Scenario sc = test::scenario(8, 4096, 64);
  const Estimate absorbed = estimate(m, hw, sc);
  sc.mla = MlaDecode::naive;
  const Estimate naive = estimate(m, hw, sc);
  CHECK(naive.tpot_s > absorbed.tpot_s);
  CHECK(naive.decode_flops_per_token > absorbed.decode_flops_per_token);
  sc.attention = AttentionKernel::unfused;
  CHECK_THROWS_AS(estimate(m, hw, sc), InputError);
}

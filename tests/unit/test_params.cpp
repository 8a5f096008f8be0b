// Parameter counts against the model cards (docs/formulas.md#params_total).
#include <catch2/catch.hpp>
#include <string>

#include "core/formulas/params.hpp"
#include "io/config/model_loader.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

TEST_CASE("Llama-2-7B has 6,738,415,616 parameters (Llama 2 model card / config.json)") {
  // Hand: per layer 4*4096^2 + 3*4096*11008 + 2*4096 = 202,383,360; x32 = 6,476,267,520;
  // + embedding and LM head 2*32000*4096 = 262,144,000; + final norm 4096.
  const ModelSpec m = test::llama2_7b();
  CHECK(params_per_layer(m) == 202'383'360.0);
  CHECK(params_total(m) == 6'738'415'616.0);
}

TEST_CASE("Llama-2-70B with GQA has 68,976,648,192 parameters (Llama 2 paper, table 1)") {
  ModelSpec m = test::llama2_7b();
  m.layers = 80;
  m.hidden_size = 8192;
  m.attention_heads = 64;
  m.kv_heads = 8;
  m.intermediate_size = 28672;
  // Hand: attention 8192*8192*2 + 2*8192*1024 = 150,994,944; MLP 3*8192*28672 = 704,643,072;
  // norms 16,384 -> 855,654,400 per layer; x80 = 68,452,352,000; + 2*32000*8192 + 8192.
  CHECK(attention_params_per_layer(m) == 150'994'944.0);
  CHECK(params_total(m) == 68'976'648'192.0);
}

TEST_CASE("Falcon-7B: MQA, parallel blocks, LayerNorm, tied embeddings -> 6.92 B (TII model card)") {
  ModelSpec m = test::llama2_7b();
  m.hidden_size = 4544;
  m.attention_heads = 71;
  m.kv_heads = 1;
  m.head_dim = 64;
  m.intermediate_size = 18176;
  m.mlp = MlpKind::plain;
  m.activation = Activation::gelu;
  m.norm = NormKind::layernorm;
  m.parallel_blocks = true;
  m.vocab_size = 65024;
  m.tied_embeddings = true;
  // Hand: attention 2*4544*4544 + 2*4544*64 = 41,877,504; MLP 2*4544*18176 = 165,183,488;
  // one LayerNorm 2*4544 -> 207,070,080 per layer; x32 = 6,626,242,560; + 65024*4544 + 9088.
  CHECK(params_total(m) == 6'921'720'704.0);
}

TEST_CASE("GPT-3 175B: biases everywhere and learned positions (Brown et al. 2020, table 2.1)") {
  ModelSpec m = test::llama2_7b();
  m.layers = 96;
  m.hidden_size = 12288;
  m.attention_heads = 96;
  m.kv_heads = 96;
  m.head_dim = 128;
  m.intermediate_size = 4 * 12288;
  m.mlp = MlpKind::plain;
  m.norm = NormKind::layernorm;
  m.linear_bias = LinearBias::all;
  m.position_embedding = PositionEmbedding::learned;
  m.vocab_size = 50257;
  m.tied_embeddings = true;
  m.max_context = 2048;
  // Hand: 12h^2 + 13h per layer = 1,812,099,072; x96 + 50257*h + 2048*h + 2h = 174,604,259,328.
  CHECK(params_per_layer(m) == 1'812'099'072.0);
  CHECK(params_total(m) == 174'604'259'328.0);
  CHECK(params_total(m) == Approx(175e9).epsilon(0.005));  // the paper's "175B"
}

namespace {

ModelSpec shipped(const std::string& name) {
  return load_model(test::source_path("model_configs/" + name + ".yaml"));
}

}  // namespace

// The models of 2024-2025 as shipped (model_configs/), against the model cards' rounded figures: total
// within 2 %, active within 5 %. Text-only counts where a card counts a vision encoder too.
TEST_CASE("gpt-oss: 116.8B / 5.1B and 20.9B / 3.6B (OpenAI gpt-oss model card, 2025, Table 1)") {
  // Hand: attention 2880*(4096 + 2*512) + 4096*2880 + biases 4096 + 2*512 + 2880 + 64 sinks = 26,550,144;
  // MoE 128 * 3*2880*2880 + router 2880*128 = 3,185,418,240; norms 5760 -> 3,211,974,144 a layer, x36
  // = 115,631,069,184; + embedding and LM head 2*201088*2880 = 1,158,266,880; + final norm 2880.
  const ModelSpec big = shipped("gpt-oss-120b");
  CHECK(params_total(big) == 116'789'338'944.0);
  CHECK(params_total(big) == Approx(116.83e9).epsilon(0.02));
  // The card counts the unembedding but not the embedding table among the active parameters
  // (5.13B = MLP 114.71B x 4/128 + attention 0.96B + unembedding 0.58B); params_active counts both.
  CHECK(params_active(big) - embedding_params(big) == Approx(5.13e9).epsilon(0.05));
  const ModelSpec small = shipped("gpt-oss-20b");
  CHECK(params_total(small) == Approx(20.91e9).epsilon(0.02));
  CHECK(params_active(small) - embedding_params(small) == Approx(3.61e9).epsilon(0.05));
}

TEST_CASE("Qwen3 MoE: 235B / 22B and 30.5B / 3.3B (Qwen3 model cards)") {
  // Hand, 235B: attention 4096*8192*2 + 2*4096*512 + q/k norms 2*128 = 71,303,424; MoE 128 * 3*4096*1536
  // + router 4096*128 = 2,416,443,392; norms 8192 -> x94 = 233,850,248,704; + 2*151936*4096 + 4096.
  const ModelSpec big = shipped("qwen3-235b-a22b");
  CHECK(params_total(big) == 235'093'634'560.0);
  CHECK(params_total(big) == Approx(235e9).epsilon(0.02));
  CHECK(params_active(big) == Approx(22e9).epsilon(0.05));
  const ModelSpec small = shipped("qwen3-30b-a3b");
  CHECK(params_total(small) == Approx(30.5e9).epsilon(0.02));
  CHECK(params_active(small) == Approx(3.3e9).epsilon(0.05));
}

TEST_CASE("DBRX: 132B / 36B (Databricks DBRX model card)") {
  // Hand: attention Wqkv 6144*(6144 + 2*1024) + out_proj 6144^2 = 88,080,384; MoE 16 * 3*6144*10752 + router
  // 6144*16 = 3,170,992,128; two LayerNorms counted with scale and bias, 4*6144 = 24,576 -> 3,259,097,088 a
  // layer, x40 = 130,363,883,520; + untied embedding and lm_head 2*100352*6144 + the final norm's 2*6144 =
  // 131,597,021,184. Active: 4 experts of 16, 4*3*6144*10752 = 792,723,456, with attention, router and norms
  // 880,926,720 a layer -> x40 + 1,233,137,664 = 36,470,206,464.
  const ModelSpec dbrx = shipped("dbrx-instruct");
  CHECK(params_total(dbrx) == 131'597'021'184.0);
  CHECK(params_active(dbrx) == 36'470'206'464.0);
  CHECK(params_total(dbrx) == Approx(132e9).epsilon(0.02));
  CHECK(params_active(dbrx) == Approx(36e9).epsilon(0.02));
}

TEST_CASE("Llama 4: Maverick 400B / 17B, Scout 109B / 17B (Meta model card, the text model only)") {
  // Hand, Scout: attention 5120*5120*2 + 2*5120*1024 = 62,914,560 (its q/k norm, qk_norm l2, is
  // Llama4TextL2Norm: an L2 norm without weights, so no 2*128 scales a layer); MoE (16 routed + 1 shared)
  // * 3*5120*8192 + router 5120*16 = 2,139,176,960; norms 10,240 -> x48 = 105,700,884,480;
  // + 2*202048*5120 + 5120 = 107,769,861,120. Active: 1 routed + 1 shared expert, 2*3*5120*8192 + 81,920
  // = 251,740,160 a layer -> 48 * 314,664,960 + 2,068,976,640 = 17,172,894,720. The card's 109B counts
  // the vision encoder too.
  const ModelSpec scout = shipped("llama-4-scout-17b-16e");
  CHECK(scout.qk_norm == QkNorm::l2);
  CHECK(attention_params_per_layer(scout) == 62'914'560.0);
  CHECK(params_total(scout) == 107'769'861'120.0);
  CHECK(params_active(scout) == 17'172'894'720.0);
  CHECK(params_total(scout) == Approx(109e9).epsilon(0.02));
  CHECK(params_active(scout) == Approx(17e9).epsilon(0.05));
  // Maverick: 24 MoE layers of 128 routed + 1 shared expert, 24 dense layers of 16384.
  const ModelSpec maverick = shipped("llama-4-maverick-17b-128e");
  CHECK(params_total(maverick) == Approx(400e9).epsilon(0.02));
  CHECK(params_active(maverick) == Approx(17e9).epsilon(0.05));
}

TEST_CASE("Gemma 3 27B: 27.0B text-only (Gemma 3 technical report, Table 1), Llama 3.1 8B: 8.03B") {
  // Hand: attention 5376*4096*2 + 2*5376*2048 + q/k norms 2*128 = 66,060,544; MLP 3*5376*21504 =
  // 346,816,512; norms 10,752 -> 412,887,808 a layer, x62 = 25,599,044,096; + tied embedding 262208*5376
  // + 5376. The report: 25,600M non-embedding + 1,416M embedding (417M more in the vision encoder). The
  // format counts two of Gemma 3's four norms a layer (62 * 2*5376 = 666,624 fewer).
  const ModelSpec gemma = shipped("gemma-3-27b");
  CHECK(params_total(gemma) == 27'008'679'680.0);
  CHECK(params_total(gemma) == Approx(25'600e6 + 1'416e6).epsilon(0.02));
  // Llama 3.1 8B: the Llama 3 8B shape (meta-llama/Llama-3.1-8B, 8.03B on the Hub).
  const ModelSpec llama = shipped("llama-3.1-8b");
  CHECK(params_total(llama) == 8'030'261'248.0);
  CHECK(params_total(llama) == Approx(8.03e9).epsilon(0.02));
}

// Parameter counts against the model cards (docs/formulas.md#params_total).
#include <catch2/catch.hpp>

#include "core/formulas/params.hpp"
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

// Quantized storage (docs/formulas.md#matrix_storage_bytes: AWQ/GPTQ int4 groups, SmoothQuant int8, OCP MX,
// NVFP4) and how the engine treats a storage format narrower than the compute dtype (W4A16).
#include <catch2/catch.hpp>

#include "core/estimate.hpp"
#include "core/formulas/params.hpp"
#include "core/weights.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

TEST_CASE("Effective bits per weight of the default formats, by hand") {
  // int4, group 128, fp16 scale, 4-bit zero: 4 + (16 + 4)/128 = 4.15625 (about 4.16 bits per weight).
  CHECK(effective_bits_per_weight(4096, 4096, default_storage_format(Dtype::int4)) == Approx(4.15625));
  // mxfp4: 32-element blocks with an 8-bit E8M0 scale: 4 + 8/32 = 4.25.
  CHECK(effective_bits_per_weight(4096, 4096, default_storage_format(Dtype::mxfp4)) == Approx(4.25));
  // nvfp4: 16-element blocks with an e4m3 scale: 4 + 8/16 = 4.5, plus one fp32 per tensor (32 bits / 2^24).
  CHECK(effective_bits_per_weight(4096, 4096, default_storage_format(Dtype::nvfp4)) ==
        Approx(4.5 + 32.0 / (4096.0 * 4096.0)));
  // int8 per output channel: 8 + 16/4096.
  CHECK(effective_bits_per_weight(4096, 4096, default_storage_format(Dtype::int8)) ==
        Approx(8.0 + 16.0 / 4096.0));
  // A partial last group still stores a whole scale: in = 130 -> 2 groups of int4.
  CHECK(matrix_storage_bytes(130, 1, default_storage_format(Dtype::int4)) ==
        Approx((130 * 4 + 2 * 20) / 8.0));
}

TEST_CASE("Unquantized weight storage equals parameters x bytes, for every layout the counts know") {
  const ModelSpec m = test::llama2_7b();
  const WeightFormats bf16 = weight_formats(default_storage_format(Dtype::bf16), false);
  CHECK(weight_storage_bytes(m, bf16) == 2.0 * params_total(m));
  const WeightFormats fp32 = weight_formats(default_storage_format(Dtype::fp32), false);
  CHECK(weight_storage_bytes(m, fp32) == 4.0 * params_total(m));
}

TEST_CASE("int4 Llama-2-7B: 3.3-4.2 GB with scales and 16-bit embeddings (quantization acceptance)") {
  // Hand: 6,476,267,520 layer matrix weights at 4.15625 bits = 3,364,702,720 B (norms 16-bit: 0.5 MB);
  // embedding and LM head 2 * 32000 * 4096 * 2 B = 524,288,000 B -> about 3.89e9.
  Scenario sc = test::scenario(1, 1024, 256);
  sc.weights = default_storage_format(Dtype::int4);
  const Estimate e = estimate(test::llama2_7b(), test::ideal_a100(), sc);
  CHECK(e.weight_bytes > 3.3e9);
  CHECK(e.weight_bytes < 4.2e9);
  CHECK(e.weight_bytes == Approx(3'364'702'720.0 + 524'288'000.0 + 65 * 4096 * 2.0).epsilon(1e-4));
  sc.quantize_embeddings = true;
  CHECK(estimate(test::llama2_7b(), test::ideal_a100(), sc).weight_bytes < e.weight_bytes);
}

TEST_CASE("W4A16 shrinks memory traffic but keeps the 16-bit compute roof") {
  Scenario bf16 = test::scenario(64, 2048, 64);
  Scenario w4 = bf16;
  w4.weights = default_storage_format(Dtype::int4);
  const Estimate dense = estimate(test::llama2_7b(), test::ideal_a100(), bf16);
  const Estimate quant = estimate(test::llama2_7b(), test::ideal_a100(), w4);
  CHECK(quant.tpot_s < dense.tpot_s);  // decode is memory-bound: fewer weight bytes, faster
  // Prefill of 131k tokens is compute-bound at the same bf16 roof: within 1 %.
  CHECK(quant.ttft_s == Approx(dense.ttft_s).epsilon(0.01));
}

TEST_CASE("fp8 KV halves the KV bytes per token") {
  Scenario sc = test::scenario(1, 1024, 256);
  const double bf16 = estimate(test::llama2_7b(), test::ideal_a100(), sc).kv_bytes_per_token;
  sc.kv = Dtype::fp8;
  CHECK(estimate(test::llama2_7b(), test::ideal_a100(), sc).kv_bytes_per_token == bf16 / 2.0);
}

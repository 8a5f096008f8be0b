// Causal attention pair counts (docs/formulas.md#causal_pairs; Jiang et al. 2023 for the sliding window).
#include <catch2/catch.hpp>

#include "core/formulas/attention.hpp"
#include "core/roofs.hpp"
#include "io/config/hardware_loader.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

TEST_CASE("Causal pairs: query i sees i keys, or the window") {
  CHECK(causal_pairs(4, 0) == 10.0);  // 1+2+3+4
  CHECK(causal_pairs(5, 2) == 9.0);   // 1+2+2+2+2
  CHECK(causal_pairs(5, 5) == 15.0);  // window as long as the sequence: no cap
  CHECK(causal_pairs(4096, 0) == 4096.0 * 4097.0 / 2.0);
}

TEST_CASE("QK^T or AV costs 2*H*dh FLOPs per query-key pair") {
  CHECK(matmul_flops_per_pair(32, 128) == 8192.0);
}

TEST_CASE("Attention multiplies in 16-bit or fp8, never in 4-bit or integer arithmetic") {
  CHECK(attention_compute_dtype(Dtype::bf16, Dtype::bf16) == Dtype::bf16);
  CHECK(attention_compute_dtype(Dtype::fp16, Dtype::fp8) == Dtype::fp16);  // 16-bit activations keep theirs
  CHECK(attention_compute_dtype(Dtype::fp32, Dtype::fp32) == Dtype::fp32);
  CHECK(attention_compute_dtype(Dtype::fp8, Dtype::fp8) == Dtype::fp8);  // fp8 attention over an fp8 cache
  CHECK(attention_compute_dtype(Dtype::fp8, Dtype::bf16) == Dtype::bf16);
  CHECK(attention_compute_dtype(Dtype::nvfp4, Dtype::fp8) == Dtype::fp8);  // W4A4 GEMMs, fp8 attention
  CHECK(attention_compute_dtype(Dtype::nvfp4, Dtype::bf16) == Dtype::bf16);
  CHECK(attention_compute_dtype(Dtype::int8, Dtype::int8) == Dtype::bf16);  // SmoothQuant W8A8
  // The roof: a B200 runs an nvfp4 model's prefill attention over an fp8 cache at its fp8 attention kernel's
  // share, 4500 TFLOP/s x 0.46 = 2070, not at the fp4 rate (9000 x 0.51).
  const HardwareSpec b200 = load_hardware(test::source_path("hardware_profiles/b200.yaml"));
  Scenario sc;
  sc.activations = Dtype::nvfp4;
  sc.weights = default_storage_format(Dtype::nvfp4);
  sc.kv = Dtype::fp8;
  CHECK(roofs_for(b200, sc).attention_flops_per_s == Approx(2070e12));
  CHECK(roofs_for(b200, sc).matrix_flops_per_s == Approx(9000e12 * 0.51));
  // An H100 SXM with fp8 GEMMs over a bf16 cache: bf16 attention at its measured FlashAttention share,
  // 989 x 0.636 = 629.0 TFLOP/s.
  const HardwareSpec h100 = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  sc.activations = Dtype::fp8;
  sc.weights = default_storage_format(Dtype::fp8);
  sc.kv = Dtype::bf16;
  CHECK(roofs_for(h100, sc).attention_flops_per_s == Approx(989e12 * 0.636));
}

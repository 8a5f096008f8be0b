// The FLOP and byte counts of the measured CSV, checked by hand for one shape each.
#include <catch2/catch.hpp>

#include "ref/base/work_counts.hpp"

using namespace infersim::ref;

TEST_CASE("gemm 2048^3: 2*2048^3 FLOPs, three 2048^2 fp32 matrices") {
  // 2 * 2048^3 = 17,179,869,184; 3 * 2048^2 * 4 B = 50,331,648 B.
  STATIC_REQUIRE(gemm_work(2048, 2048, 2048).flops == 17179869184.0);
  STATIC_REQUIRE(gemm_work(2048, 2048, 2048).bytes == 50331648.0);
}

TEST_CASE("decode GEMV 8192 x 10240: the weight dominates the bytes") {
  // 2 * 8192 * 10240 = 167,772,160 FLOPs; (8192*10240 + 10240 + 8192) * 4 = 83,904,512 * 4 = 335,618,048 B.
  CHECK(linear_work(1, 8192, 10240).flops == 167772160.0);
  CHECK(linear_work(1, 8192, 10240).bytes == 335618048.0);
}

TEST_CASE("decode attention, GQA 32/8 heads of 128, t = 1000") {
  // Per key: QK^T and AV 2 * (2*32*128) = 16,384 plus softmax 5*32 = 160 -> 16,544 * 1000 = 16,544,000.
  // Bytes: Q + O = 2*32*128 = 8,192 floats; K + V = 2*8*1000*128 = 2,048,000 floats; * 4 = 8,224,768 B.
  constexpr Work w = decode_attention_work({1, 32, 8, 128}, 1000);
  STATIC_REQUIRE(w.flops == 16544000.0);
  STATIC_REQUIRE(w.bytes == 8224768.0);
}

TEST_CASE("causal prefill, 8/2 heads of 64, s = 4") {
  // Pairs 4*5/2 = 10; per pair 2*(2*8*64) + 5*8 = 2,088 -> 20,880 FLOPs.
  // Bytes: Q, O 2*8*4*64 = 4,096 floats; K, V 2*2*4*64 = 1,024 floats; 5,120 * 4 = 20,480 B.
  constexpr Work w = prefill_attention_work({1, 8, 2, 64}, 4);
  STATIC_REQUIRE(w.flops == 20880.0);
  STATIC_REQUIRE(w.bytes == 20480.0);
}

TEST_CASE("rmsnorm 2 x 4096") {
  // 4 FLOPs per element: 2*4096*4 = 32,768. Bytes: x and y 2*2*4096, weight 4096 -> 20,480 * 4 = 81,920.
  STATIC_REQUIRE(rmsnorm_work(2, 4096).flops == 32768.0);
  STATIC_REQUIRE(rmsnorm_work(2, 4096).bytes == 81920.0);
}

TEST_CASE("gated MLP, one token, Llama-2-7B sizes 4096 x 11008") {
  // h*f = 45,088,768. Gate+up 2*1*4096*2*11008 = 180,355,072; down 90,177,536; SiLU*up 6*11008 = 66,048.
  // Sum 270,598,656. Bytes: 3*h*f = 135,266,304 weights + 2*4096 x/y = 135,274,496 floats * 4 = 541,097,984.
  constexpr Work w = gated_mlp_work(1, 4096, 11008);
  STATIC_REQUIRE(w.flops == 270598656.0);
  STATIC_REQUIRE(w.bytes == 541097984.0);
}

TEST_CASE("triad over a million elements: STREAM's 2 FLOPs and 12 bytes per element") {
  STATIC_REQUIRE(triad_work(1e6).flops == 2e6);
  STATIC_REQUIRE(triad_work(1e6).bytes == 12e6);
}

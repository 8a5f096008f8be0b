// Causal attention pair counts (docs/formulas.md#causal_pairs; Jiang et al. 2023 for the sliding window).
#include <catch2/catch.hpp>

#include "core/formulas/attention.hpp"

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

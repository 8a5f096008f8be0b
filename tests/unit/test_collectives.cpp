// Collective times against their closed forms (Patarasuk & Yuan 2009; docs/formulas.md#ring_allreduce).
#include <catch2/catch.hpp>

#include "core/formulas/collectives.hpp"

using namespace infersim;

TEST_CASE("Ring all-reduce: 2(p-1)/p * S/B + 2(p-1) * alpha for 2, 4 and 8 devices") {
  const double S = 1048576.0;  // 1 MiB
  const double B = 300e9;      // A100 NVLink, one direction
  const double alpha = 3.2e-6;
  // p = 2: 1 * S/B + 2 * alpha = 3.4953e-6 + 6.4e-6 = 9.8953e-6 s
  CHECK(ring_allreduce_s(S, 2, B, alpha) == Approx(S / B + 2 * alpha));
  CHECK(ring_allreduce_s(S, 2, B, alpha) == Approx(9.8953e-6).epsilon(1e-4));
  // p = 4: 1.5 * S/B + 6 * alpha
  CHECK(ring_allreduce_s(S, 4, B, alpha) == Approx(1.5 * S / B + 6 * alpha));
  // p = 8: 1.75 * S/B + 14 * alpha = 6.1166e-6 + 44.8e-6 = 50.9166e-6 s
  CHECK(ring_allreduce_s(S, 8, B, alpha) == Approx(50.9166e-6).epsilon(1e-4));
  CHECK(ring_allreduce_s(S, 1, B, alpha) == 0.0);
}

TEST_CASE("Small decode messages take a one-step algorithm whose latency does not grow with p") {
  const double S = 16384.0;  // one token of Llama-2-70B in bf16: 8192 * 2 B
  const double B = 300e9;
  const double alpha = 3.2e-6;
  const double t8 = allreduce_s(S, 8, B, alpha);
  CHECK(t8 < ring_allreduce_s(S, 8, B, alpha));
  CHECK(t8 == Approx(one_shot_allreduce_s(S, 8, B, alpha)));  // 7 * S/B + alpha = 3.58e-6 s
  CHECK(t8 == Approx(7 * S / B + alpha));
  // Large messages: two-shot has the ring's bandwidth term with constant latency.
  const double big = 1e9;
  CHECK(allreduce_s(big, 8, B, alpha) == Approx(two_shot_allreduce_s(big, 8, B, alpha)));
  CHECK(two_shot_allreduce_s(big, 8, B, alpha) == Approx(1.75 * big / B + 2 * alpha));
}

TEST_CASE("All-gather, all-to-all and send/receive") {
  CHECK(allgather_s(8e6, 8, 1e11, 1e-6) == Approx(7.0 / 8.0 * 8e6 / 1e11 + 1e-6));
  CHECK(alltoall_s(8e6, 4, 1e11, 1e-6) == Approx(0.75 * 8e6 / 1e11 + 1e-6));
  CHECK(send_recv_s(1e6, 5e10, 5e-6) == Approx(2e-5 + 5e-6));
}

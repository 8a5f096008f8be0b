// Collective times against their closed forms (Patarasuk & Yuan 2009; docs/formulas.md#ring_allreduce).
#include <catch2/catch.hpp>
#include <memory>
#include <vector>

#include "core/formulas/collectives.hpp"
#include "core/operator_builders.hpp"
#include "core/phase.hpp"

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

TEST_CASE("An nccl-tests bus bandwidth is a time: t = S * 2(p-1)/p / busbw for an all-reduce") {
  // 8 GPUs, 1 MiB at 43.70 GB/s busbw (the ND H100 v5 table's 1M row): 1048576 * 1.75 = 1835008 B,
  // / 43.70e9 B/s = 41.991e-6 s.
  const std::vector<SizePoint> busbw{{.bytes = 1048576.0, .value = 43.70e9}};
  CHECK(busbw_factor_allreduce(8) == 1.75);
  CHECK(busbw_factor_allgather(8) == 0.875);
  CHECK(busbw_curve_s(1048576.0, busbw_factor_allreduce(8), busbw) == Approx(41.991e-6).epsilon(1e-4));
  // All-gather of the same bytes: half the factor, half the time (20.995e-6 s).
  CHECK(busbw_curve_s(1048576.0, busbw_factor_allgather(8), busbw) == Approx(20.995e-6).epsilon(1e-4));
}

TEST_CASE("A measured curve: linear between points, the floor below them, the last rate beyond") {
  // Factor 1: 1 MB at 10 GB/s takes 100 us, 3 MB at 20 GB/s 150 us.
  const std::vector<SizePoint> busbw{{.bytes = 1e6, .value = 10e9}, {.bytes = 3e6, .value = 20e9}};
  CHECK(busbw_curve_s(1e6, 1.0, busbw) == Approx(100e-6));
  CHECK(busbw_curve_s(3e6, 1.0, busbw) == Approx(150e-6));
  CHECK(busbw_curve_s(2e6, 1.0, busbw) == Approx(125e-6));   // halfway in bytes, halfway in time
  CHECK(busbw_curve_s(10.0, 1.0, busbw) == Approx(100e-6));  // a 10-byte message: the latency floor
  CHECK(busbw_curve_s(6e6, 1.0, busbw) == Approx(300e-6));   // 6 MB at the last 20 GB/s
  // A curve of times: 4 us at 2 KiB, 8 us at 1 MiB; 525312 B is halfway: 6 us.
  const std::vector<SizePoint> times{{.bytes = 2048.0, .value = 4e-6}, {.bytes = 1048576.0, .value = 8e-6}};
  CHECK(time_curve_s(525312.0, times) == Approx(6e-6));
  CHECK(time_curve_s(16.0, times) == Approx(4e-6));
}

TEST_CASE("A runtime's all-reduce path picks the measured curves of the scale-up link") {
  auto measured = std::make_shared<MeasuredCollectives>();
  measured->nccl_busbw = {{.bytes = 1048576.0, .value = 43.70e9}};
  measured->custom_allreduce = {
      {.devices = 8, .times = {{.bytes = 2048.0, .value = 5.9e-6}, {.bytes = 4194304.0, .value = 33.8e-6}}}};
  Roofs roofs;
  roofs.intra_node = {.bandwidth_Bps = 450e9, .latency_s = 2.7e-6};
  roofs.devices_per_node = 8.0;
  roofs.measured_link = measured;
  const Operator decode =
      detail::link_op("allreduce", Collective::allreduce, 8, 8, 16384.0, 1.0);  // 8192 bf16
  const Operator big = detail::link_op("allreduce", Collective::allreduce, 8, 8, 8388608.0, 1.0);  // 8 MiB
  SECTION("link_model: the alpha-beta model, one-shot at 16 KiB: 7 * 16384 / 450e9 + 2.7 us = 2.9549 us") {
    CHECK(detail::op_result(decode, 0.0, roofs).time_s == Approx(2.9549e-6).epsilon(1e-4));
  }
  SECTION("nccl: the busbw curve's floor, 41.991 us, below its only point") {
    roofs.allreduce = AllreducePath::nccl;
    CHECK(detail::op_result(decode, 0.0, roofs).time_s == Approx(41.991e-6).epsilon(1e-4));
  }
  SECTION("custom: the engine's kernel where measured, NCCL beyond its curve") {
    roofs.allreduce = AllreducePath::custom;
    // 16 KiB: 5.9 us + (16384 - 2048) / (4194304 - 2048) * (33.8 - 5.9) us = 5.9 + 0.0953 = 5.9953 us.
    CHECK(detail::op_result(decode, 0.0, roofs).time_s == Approx(5.9953e-6).epsilon(1e-4));
    // 8 MiB: past the custom curve, NCCL at 43.70 GB/s: 8388608 * 1.75 / 43.70e9 = 335.93 us.
    CHECK(detail::op_result(big, 0.0, roofs).time_s == Approx(335.93e-6).epsilon(1e-4));
  }
  SECTION("a group the custom curve does not cover, or an inter-node group, keeps its other path") {
    const Operator four = detail::link_op("allreduce", Collective::allreduce, 4, 4, 1048576.0, 1.0);
    roofs.allreduce = AllreducePath::nccl;
    // 4 GPUs, 1 MiB on NCCL's curve: factor 1.5, 1048576 * 1.5 / 43.70e9 = 35.992 us.
    CHECK(detail::op_result(four, 0.0, roofs).time_s == Approx(35.992e-6).epsilon(1e-4));
    roofs.allreduce = AllreducePath::custom;
    // No custom curve for 4 GPUs: the link model's one-shot / two-shot kernels stand for the engine's;
    // two-shot wins: 1.5 * 1048576 / 450e9 + 2 * 2.7 us = 3.4953 + 5.4 = 8.8953 us.
    CHECK(detail::op_result(four, 0.0, roofs).time_s == Approx(8.8953e-6).epsilon(1e-4));
    roofs.inter_node = {.bandwidth_Bps = 50e9, .latency_s = 5e-6};
    const Operator wide = detail::link_op("allreduce", Collective::allreduce, 16, 16, 16384.0, 1.0);
    // 16 devices past the node of 8: the inter-node link model, one-shot: 15 * 16384 / 50e9 + 5 us = 9.9152
    // us.
    CHECK(detail::op_result(wide, 0.0, roofs).time_s == Approx(9.9152e-6).epsilon(1e-4));
  }
}

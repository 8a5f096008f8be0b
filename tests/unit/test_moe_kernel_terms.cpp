// The MoE kernel terms of a runtime profile and a hardware profile, on hand-worked cases: how a routed
// experts' grouped GEMM combines its compute and memory times (docs/formulas.md#grouped_gemm_time), the
// share of the memory roof its weights stream at (docs/formulas.md#moe_gemm_kernel) and the fixed time a
// call of the MoE module adds (docs/formulas.md#moe_module_fixed_time). Every expected value is worked out
// in the comment beside it from the inputs the test sets, not from the engine.
#include <catch2/catch.hpp>

#include "core/estimate.hpp"
#include "core/formulas/roofline.hpp"
#include "core/phase.hpp"
#include "core/runtime_profile.hpp"
#include "support/fixtures.hpp"
#include "support/roofs.hpp"

using namespace infersim;

namespace {

// An expert GEMM of 1 GFLOP reading 4 MB of weights and 2 MB of activations, without a GEMM shape (no
// tile terms): at 100 TFLOP/s its compute takes 10 us.
Operator expert_gemm() {
  Operator op{"experts_up", OpUnit::matrix, 1.0, {}, {}, {}, 0.0, {}, {}, 0.0};
  op.expert_gemm = true;
  op.fixed.flops = 1e9;
  op.fixed.bytes.weights_read_B = 4e6;
  op.fixed.bytes.act_read_B = 2e6;
  return op;
}

// Roofs of 100 TFLOP/s and 1 TB/s, no launch cost, the experts' weights streamed at half the memory roof.
Roofs half_stream_roofs(GroupedGemmTime form) {
  Roofs roofs = test::flat_roofs(100e12, 10e12, 1e12);
  roofs.moe_gemm_stream_efficiency = 0.5;
  roofs.grouped_gemm_time = form;
  return roofs;
}

}  // namespace

TEST_CASE("weights_serial: the weights' stream adds to the larger of the compute and the rest, by hand") {
  // Compute 10 us, memory 8 us of which the weights take 6: the rest (2 us) hides under the compute, the
  // weights do not: max(10, 8 - 6) + 6 = 16 us, where the roofline gives max(10, 8) = 10 us.
  CHECK(weights_serial_time_s(10e-6, 8e-6, 6e-6) == Approx(16e-6));
  // Compute 1 us, memory 8 us of which the weights take 3: max(1, 5) + 3 = 8 us, the memory time itself:
  // where the traffic leads, the form is the roofline's.
  CHECK(weights_serial_time_s(1e-6, 8e-6, 3e-6) == Approx(8e-6));
  // No weights: the roofline, max(10, 8).
  CHECK(weights_serial_time_s(10e-6, 8e-6, 0.0) == Approx(10e-6));
}

TEST_CASE("A grouped GEMM's time in each form, its weights at the runtime's stream share, by hand") {
  // Memory: the 4 MB of weights at half the roof cost 8 MB's time, the 2 MB of activations their own:
  // 10 MB at 1 TB/s = 10 us, of which the weights take 8 us. Compute: 1e9 / 100e12 = 10 us.
  const Operator op = expert_gemm();
  const OpResult max_form = detail::op_result(op, 0.0, half_stream_roofs(GroupedGemmTime::max));
  CHECK(max_form.compute_s == Approx(10e-6));
  CHECK(max_form.memory_s == Approx(10e-6));
  CHECK(max_form.time_s == Approx(10e-6));  // max(10, 10)
  CHECK(detail::op_result(op, 0.0, half_stream_roofs(GroupedGemmTime::sum)).time_s ==
        Approx(20e-6));  // 10 + 10
  // max(10, 10 - 8) + 8 = 18 us.
  CHECK(detail::op_result(op, 0.0, half_stream_roofs(GroupedGemmTime::weights_serial)).time_s ==
        Approx(18e-6));

  // The same GEMM as a dense one (not a routed experts' GEMM) takes neither the share nor the form: its
  // 6 MB at 1 TB/s are 6 us, under its 10 us of compute, in every form.
  Operator dense = op;
  dense.expert_gemm = false;
  for (GroupedGemmTime form : {GroupedGemmTime::max, GroupedGemmTime::sum, GroupedGemmTime::weights_serial}) {
    const OpResult r = detail::op_result(dense, 0.0, half_stream_roofs(form));
    CHECK(r.memory_s == Approx(6e-6));
    CHECK(r.time_s == Approx(10e-6));
  }
}

TEST_CASE("The MoE module's fixed time is part of its top-k's memory time, and of no other operator's") {
  // A top-k of 40 FLOPs and 80 B at 10 TFLOP/s (vector) and 1 TB/s: 4 ps of compute, 80 ps of memory. With
  // a module time of 40 us its memory time is 40 us + 80 ps, and so its time.
  Roofs roofs = test::flat_roofs(100e12, 10e12, 1e12);
  roofs.moe_module_fixed_s = 40e-6;
  Operator topk{"router_topk", OpUnit::vector, 1.0, {}, {}, {}, 0.0, {}, {}, 0.0};
  topk.fixed.flops = 40.0;
  topk.fixed.bytes.act_read_B = 80.0;
  const OpResult plain = detail::op_result(topk, 0.0, roofs);
  CHECK(plain.time_s == Approx(80e-12));
  topk.moe_module_call = true;
  const OpResult call = detail::op_result(topk, 0.0, roofs);
  CHECK(call.memory_s == Approx(40e-6 + 80e-12));
  CHECK(call.time_s == Approx(40e-6 + 80e-12));
}

TEST_CASE("The MoE module's fixed time counts once a MoE layer in a prefill and in every decode step") {
  // Mixtral-8x7B has 32 MoE layers, each one call of the module: 40 us a call adds 32 x 40 us = 1.28 ms to
  // the prefill and to every decode step, on the device the runtime profile names it for, and nothing on
  // another. The top-k stays memory-bound (a few kB against a few kFLOPs), so the time grows by exactly that.
  const ModelSpec m = test::mixtral_8x7b();
  const HardwareSpec hw = test::ideal_a100();  // named "ideal-a100"
  Scenario sc = test::scenario(1, 128, 3);
  const Estimate device = estimate(m, hw, sc);
  sc.runtime.moe_module_fixed_s_by_hardware = {{"ideal-a100", 40e-6}};
  const Estimate fixed = estimate(m, hw, sc);
  CHECK(fixed.ttft_s - device.ttft_s == Approx(32 * 40e-6));
  CHECK(fixed.tpot_s - device.tpot_s == Approx(32 * 40e-6));
  sc.runtime.moe_module_fixed_s_by_hardware = {{"b200", 40e-6}};
  CHECK(estimate(m, hw, sc).tpot_s == Approx(device.tpot_s));
  // A dense model has no MoE module: the term does not apply.
  sc.runtime.moe_module_fixed_s_by_hardware = {{"ideal-a100", 40e-6}};
  Scenario dense_sc = test::scenario(1, 128, 3);
  CHECK(estimate(test::llama2_7b(), hw, sc).tpot_s ==
        Approx(estimate(test::llama2_7b(), hw, dense_sc).tpot_s));
}

TEST_CASE("The stream share by device: a device's own share replaces the runtime's on it alone") {
  // The runtime's share 0.4; its own 0.8 on "ideal-a100". Mixtral-8x7B at batch 1 on the ideal A100: each
  // decode step reads the two routed experts' weights of the 32 layers, 32 x 2 x 3 x 4096 x 14336 x 2 B =
  // 22,548,578,304 B. At a share s they cost that over s at 2.039 TB/s, so going from 0.4 to 0.8 saves
  // 22,548,578,304 B x (1/0.4 - 1/0.8) / 2.039e12 B/s = 13.824 ms a step. Batch 1 touches exactly the
  // token's two experts (expected_experts_touched(8, 2, 1) = 2), and the step is memory-bound either way.
  const ModelSpec m = test::mixtral_8x7b();
  Scenario sc = test::scenario(1, 128, 3);
  sc.runtime.moe_gemm_stream_efficiency = 0.4;
  const Estimate runtime_share = estimate(m, test::ideal_a100(), sc);
  sc.runtime.moe_gemm_stream_efficiency_by_hardware = {{"ideal-a100", 0.8}};
  const Estimate own_share = estimate(m, test::ideal_a100(), sc);
  CHECK(runtime_share.tpot_s - own_share.tpot_s ==
        Approx(22548578304.0 * (1.0 / 0.4 - 1.0 / 0.8) / 2.039e12));
}

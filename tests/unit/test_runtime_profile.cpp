// Runtime profiles (core/runtime_profile.hpp): the per-pass overhead formula and the engine adding it
// to TTFT and TPOT as its own components. Golden values derived by hand in the comments.
#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/estimate.hpp"
#include "core/operators.hpp"
#include "core/runtime_profile.hpp"
#include "io/config/runtime_loader.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

TEST_CASE("runtime overhead: hidden kernel issue costs nothing, the per-pass term always counts") {
  const RuntimeTerms eager{"eager", 30e-6, 20e-6};
  // 100 kernels x 20 us = 2 ms of issuing against 1 ms of device work: the device waits 1 ms, then
  // the 30 us per pass: 1.03 ms.
  CHECK(runtime_overhead_s(1e-3, 100.0, 1.0, eager, 1) == Approx(1.03e-3));
  // 100 x 20 us = 2 ms against 5 ms of device work: issuing is hidden, only the 30 us remain.
  CHECK(runtime_overhead_s(5e-3, 100.0, 1.0, eager, 1) == Approx(30e-6));
  CHECK(runtime_overhead_s(5e-3, 419.0, 1.0, RuntimeTerms{}, 1) == 0.0);  // the default: the device alone
  CHECK(host_issue_s(419.0, 20e-6) == Approx(8.38e-3));
}

TEST_CASE("runtime overhead: serialized launches add to the device time whatever its length") {
  RuntimeTerms serial{"serial", 30e-6, 20e-6};
  serial.launches_serialized = true;
  // 100 kernels x 20 us = 2 ms of issuing the device cannot hide, plus 30 us: 2.03 ms, against 1 ms or
  // 5 ms of device work alike.
  CHECK(runtime_overhead_s(1e-3, 100.0, 1.0, serial, 1) == Approx(2.03e-3));
  CHECK(runtime_overhead_s(5e-3, 100.0, 1.0, serial, 1) == Approx(2.03e-3));
  // In the engine: Llama-2-7B's 419 kernels a pass (see below) x 20 us = 8.38 ms on top of the device's
  // TPOT, plus the 30 us.
  const ModelSpec m = test::llama2_7b();
  Scenario sc = test::scenario(1, 128, 3);
  const Estimate device = estimate(m, test::ideal_a100(), sc);
  sc.runtime = serial;
  const Estimate e = estimate(m, test::ideal_a100(), sc);
  CHECK(e.tpot_s - device.tpot_s == Approx(8.38e-3 + 30e-6));
  CHECK(e.runtime_overhead_per_step_s == Approx(8.41e-3));
}

TEST_CASE("engine: the runtime terms are added to TTFT and TPOT as named components") {
  const ModelSpec m = test::llama2_7b();
  const HardwareSpec hw = test::ideal_a100();  // no launch cost, efficiencies 1
  Scenario sc = test::scenario(1, 128, 3);
  const Estimate device = estimate(m, hw, sc);
  CHECK(device.runtime_overhead_per_step_s == 0.0);
  CHECK(device.runtime_overhead_prefill_s == 0.0);

  // Step term only (graphs): exactly 50 us more per pass.
  sc.runtime = {"graphs", 50e-6, 0.0};
  const Estimate graphs = estimate(m, hw, sc);
  CHECK(graphs.runtime_overhead_per_step_s == Approx(50e-6));
  CHECK(graphs.tpot_s - device.tpot_s == Approx(50e-6));
  CHECK(graphs.ttft_s - device.ttft_s == Approx(50e-6));
  CHECK(graphs.e2e_latency_s == Approx(graphs.ttft_s + 2.0 * graphs.tpot_s));

  // A host that needs 1 ms per kernel. Llama-2-7B issues 419 kernels a pass: embedding, 32 layers x 13
  // (attn_norm, q, k, v, rotary, attention, o_proj, residual, mlp_norm, gate_up, act, down, residual),
  // final norm, LM head. 419 ms of issuing hides the ~6.6 ms of device work (13.5 GB / 2.039 TB/s), so
  // TPOT = TTFT = 419 x 1 ms + 50 us = 0.41905 s, whatever the device time.
  sc.runtime = {"slow-host", 50e-6, 1e-3};
  const Estimate slow = estimate(m, hw, sc);
  CHECK(slow.decode_step.kernels == 419.0);
  CHECK(slow.prefill.kernels == 419.0);
  CHECK(slow.tpot_s == Approx(0.41905));
  CHECK(slow.ttft_s == Approx(0.41905));
  CHECK(slow.runtime_overhead_per_step_s == Approx(0.41905 - device.tpot_s));
}

TEST_CASE("engine: one output token has no decode step, so no per-step overhead") {
  Scenario sc = test::scenario(1, 128, 1);
  sc.runtime = {"graphs", 50e-6, 0.0};
  const Estimate e = estimate(test::llama2_7b(), test::ideal_a100(), sc);
  CHECK(e.tpot_s == 0.0);
  CHECK(e.runtime_overhead_per_step_s == 0.0);
  CHECK(e.runtime_overhead_prefill_s == Approx(50e-6));
}

TEST_CASE("runtime kernel terms: weight-only integer weights stream at the runtime's efficiency") {
  // Llama-2-7B, int8 weights with no scales, bf16 GEMMs, batch 1 on the ideal A100 (efficiencies 1, no
  // launch cost). The int8 matrices of the 32 layers: q, k, v, o (4096 x 4096) and gate, up, down
  // (4096 x 11008): 32 x (4 x 16,777,216 + 3 x 45,088,768) = 6,476,005,376 B. The embedding and LM head
  // stay bf16 (quantize_embeddings false). At efficiency 0.5 they cost twice their bytes: the decode
  // step grows by 6,476,005,376 B / 2.039e12 B/s = 3.176 ms, whatever the context.
  const ModelSpec m = test::llama2_7b();
  Scenario sc = test::scenario(1, 128, 3);
  sc.weights = StorageFormat{Dtype::int8, 0, 0.0, 0.0, 0.0};
  const Estimate full = estimate(m, test::ideal_a100(), sc);
  sc.runtime.int8_weight_only_efficiency = 0.5;
  sc.runtime.int4_weight_only_efficiency = 0.25;  // not int4 weights: no effect
  const Estimate half = estimate(m, test::ideal_a100(), sc);
  CHECK(half.tpot_s - full.tpot_s == Approx(6476005376.0 / 2.039e12));
  // W8A8 (int8 GEMMs) is not weight-only: the term does not apply.
  sc.activations = Dtype::int8;
  HardwareSpec hw = test::ideal_a100();
  hw.peak_flops[static_cast<std::size_t>(index_of(PeakSlot::int8))] = 624e12;
  Scenario w8a8 = sc;
  w8a8.runtime = {};
  CHECK(estimate(m, hw, sc).tpot_s == Approx(estimate(m, hw, w8a8).tpot_s));
}

TEST_CASE("runtime kernel terms: the collective latency is added to every collective call") {
  // Llama-2-7B at TP 2: 32 layers x 2 all-reduces + the embedding all-reduce + the logits all-gather =
  // 66 collectives a decode step; 10 us each adds 0.66 ms to TPOT.
  const ModelSpec m = test::llama2_7b();
  Scenario sc = test::scenario(1, 128, 3);
  sc.layout.tp = 2;
  HardwareSpec hw = test::ideal_a100();
  hw.interconnect.link_bandwidth_per_direction_Bps = 300e9;
  hw.interconnect.devices_per_node = 8;
  const Estimate plain = estimate(m, hw, sc);
  sc.runtime.collective_latency_s = 10e-6;
  const Estimate slow = estimate(m, hw, sc);
  CHECK(slow.tpot_s - plain.tpot_s == Approx(66 * 10e-6));
  CHECK(slow.comm_time_per_decode_step_s - plain.comm_time_per_decode_step_s == Approx(66 * 10e-6));
}

TEST_CASE("Host work per sequence grows the overhead with the batch") {
  RuntimeTerms r;
  r.step_overhead_s = 30e-6;
  r.host_per_sequence_s = 2e-6;
  // 64 sequences: 30 us + 64 * 2 us = 158 us; nothing issued per kernel.
  CHECK(runtime_overhead_s(1e-3, 100.0, 64.0, r, 1) == Approx(158e-6));
  CHECK(runtime_overhead_s(1e-3, 100.0, 1.0, r, 1) == Approx(32e-6));
}

TEST_CASE("An overlap scheduler hides the host's work behind the device's pass, up to its length") {
  RuntimeTerms r;
  r.step_overhead_s = 30e-6;
  r.host_per_sequence_s = 20e-6;
  r.host_overlaps_device = true;
  // 64 sequences: host 30 + 64 * 20 = 1310 us beside a 1 ms device pass: the pass lasts 1.31 ms, 310 us
  // more than the device's; beside a 2 ms pass it hides entirely.
  CHECK(runtime_overhead_s(1e-3, 100.0, 64.0, r, 1) == Approx(310e-6));
  CHECK(runtime_overhead_s(2e-3, 100.0, 64.0, r, 1) == 0.0);
  // Without the overlap scheduler the same work adds in full.
  r.host_overlaps_device = false;
  CHECK(runtime_overhead_s(2e-3, 100.0, 64.0, r, 1) == Approx(1310e-6));
  // Eager launches still add where their issue is slower than the device (50 us each: 5 ms for 100 kernels
  // against a 1 ms pass, 4 ms), and the host's work then hides behind the 1 ms pass only.
  r.host_overlaps_device = true;
  r.host_launch_s = 50e-6;
  CHECK(runtime_overhead_s(1e-3, 100.0, 64.0, r, 1) == Approx(4e-3 + 310e-6));
  // The shipped profiles: SGLang's scheduler overlaps by default; vLLM's V1 loop as profiled does not.
  CHECK(load_runtime(test::source_path("runtime_profiles/sglang.yaml")).terms.host_overlaps_device);
  CHECK_FALSE(load_runtime(test::source_path("runtime_profiles/vllm.yaml")).terms.host_overlaps_device);
}

TEST_CASE("An overlap scheduler that does not run under pipeline parallelism adds the host's work there") {
  RuntimeTerms r;
  r.step_overhead_s = 30e-6;
  r.host_per_sequence_s = 20e-6;
  r.host_overlaps_device = true;
  r.host_overlaps_under_pp = false;
  // One stage: 30 + 64 * 20 = 1310 us beside a 2 ms pass hides entirely, as above; with 4 stages the
  // plain pipeline loop runs and all 1310 us add.
  CHECK(runtime_overhead_s(2e-3, 100.0, 64.0, r, 1) == 0.0);
  CHECK(runtime_overhead_s(2e-3, 100.0, 64.0, r, 4) == Approx(1310e-6));
  // A scheduler that overlaps under pipeline parallelism too (the default) hides it at 4 stages as well.
  r.host_overlaps_under_pp = true;
  CHECK(runtime_overhead_s(2e-3, 100.0, 64.0, r, 4) == 0.0);
  CHECK_FALSE(host_overlap_runs(RuntimeTerms{}, 1));  // no overlap scheduler: never
}

TEST_CASE("The sampler reads each sampled row's logits once and makes its fp32 passes over the vocabulary") {
  const ModelSpec m = test::llama2_7b();  // vocab 32000
  PassShape shape;
  shape.batch = 4.0;
  const auto sampler_of = [&](const std::vector<Operator>& ops) {
    return std::find_if(ops.begin(), ops.end(),
                        [](const Operator& op) { return std::string(op.name) == "sampler"; });
  };
  const std::vector<Operator> none = decode_operators(m, shape);
  CHECK(sampler_of(none) == none.end());  // the default: no sampler operator
  shape.sampler_fp32_passes = 10.0;
  const std::vector<Operator> ops = decode_operators(m, shape);
  const auto sampler = sampler_of(ops);
  REQUIRE(sampler != ops.end());
  // 4 rows x 32000 logits x (2 B bf16 read + 10 x 4 B fp32) = 4 * 32000 * 42 = 5,376,000 B.
  CHECK(total_bytes(sampler->fixed.bytes) == Approx(5'376'000.0));
  CHECK(sampler->fixed.flops == Approx(4.0 * 32000.0 * 10.0));
}

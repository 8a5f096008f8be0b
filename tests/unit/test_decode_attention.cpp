// The fused decode attention kernel over a paged KV cache: its time per call, a fixed time plus its bytes
// at a stream rate (core/formulas/attention.hpp decode_attention_time_s;
// docs/formulas.md#decode_attention_time). Expected values are worked by hand in each case, or are the kernel
// rows copied into validation/published/published_measurements.csv.
#include <catch2/catch.hpp>
#include <string>

#include "core/formulas/attention.hpp"
#include "core/phase.hpp"
#include "core/roofs.hpp"
#include "io/config/config_error.hpp"
#include "io/config/hardware_loader.hpp"
#include "support/fixtures.hpp"
#include "support/roofs.hpp"

using namespace infersim;

namespace {

constexpr double kMiB = 1048576.0;

const std::string kProfile = R"(description: "a test device"
source: "hand-written test fixture"
peak_dense_TFLOPS:
  bf16: 100
memory_GiB: 16
memory_bandwidth_TBps: 1.0
efficiency:
  compute: 0.8
  memory: 0.85
kernel_launch_overhead_us: 2.0
interconnect:
  link_bandwidth_per_direction_GBps: 100
  link_latency_us: 3.0
  devices_per_node: 8
  inter_node_bandwidth_per_direction_GBps: 25
  inter_node_latency_us: 5.0
)";

// A fused decode attention operator: 1 MB of queries and outputs, 1 kB of cache per key.
Operator decode_attention_op() {
  Operator op{"attention", OpUnit::matrix, 1.0, {}, {}, {}, 0.0, {}, {}, 0.0};
  op.fixed.bytes.act_read_B = 1e6;
  op.per_key.bytes.kv_read_B = 1e3;
  op.decode_attention = true;
  return op;
}

}  // namespace

TEST_CASE("A decode attention call takes its fixed time plus its bytes at the stream rate") {
  // 1 MB at 1 TB/s is 1 us, plus 10 us: 11 us.
  CHECK(decode_attention_time_s(1e6, 1e12, 10e-6) == Approx(11e-6));
  // E = 0.5, peak 1 TB/s, t0 = 10 us: E * peak * t0 = 5 MB, so 5 MB moved reaches 0.5 * 5 / (5 + 5) = 0.25
  // of the peak; 45 MB reaches 0.5 * 45 / 50 = 0.45; no fixed time: E itself.
  CHECK(decode_attention_bandwidth_share(5e6, 1e12, 0.5, 10e-6) == Approx(0.25));
  CHECK(decode_attention_bandwidth_share(45e6, 1e12, 0.5, 10e-6) == Approx(0.45));
  CHECK(decode_attention_bandwidth_share(1e3, 1e12, 0.5, 0.0) == Approx(0.5));
  // The share is bytes / (time * peak): 5 MB in 10 us + 5 MB / 0.5 TB/s = 20 us is 5e6 / (20e-6 * 1e12).
  CHECK(decode_attention_bandwidth_share(5e6, 1e12, 0.5, 10e-6) ==
        Approx(5e6 / (decode_attention_time_s(5e6, 0.5e12, 10e-6) * 1e12)));
}

TEST_CASE("A profile's decode_attention section sets the decode attention roofs") {
  const HardwareSpec hw = load_hardware_text(
      kProfile + "decode_attention: {stream_efficiency: 0.766, call_overhead_us: 16.0}\n", "d.yaml");
  const Roofs roofs = roofs_for(hw, Scenario{});
  CHECK(roofs.decode_attention_Bps == Approx(1e12 * 0.766));  // the spec bandwidth times E, not * memory
  CHECK(roofs.decode_attention_overhead_s == Approx(16e-6));
  // Without the section: no decode attention rate, no fixed time (the memory roof applies).
  const Roofs plain = roofs_for(load_hardware_text(kProfile, "p.yaml"), Scenario{});
  CHECK(plain.decode_attention_Bps == 0.0);
  CHECK(plain.decode_attention_overhead_s == 0.0);
  CHECK_THROWS_AS(load_hardware_text(kProfile + "decode_attention: {stream_efficiency: 0.766}\n", "d.yaml"),
                  ConfigError);
  CHECK_THROWS_AS(
      load_hardware_text(kProfile + "decode_attention: {stream_efficiency: 1.5, call_overhead_us: 1}\n",
                         "d.yaml"),
      ConfigError);
}

TEST_CASE("A decode attention operator's memory time is its fixed time plus its bytes at the stream rate") {
  Roofs roofs = test::flat_roofs(1e14, 1e13, 1e12);
  roofs.decode_attention_Bps = 5e11;
  roofs.decode_attention_overhead_s = 10e-6;
  const Operator op = decode_attention_op();
  // At 1000 keys: 1 MB + 1000 * 1 kB = 2 MB at 0.5 TB/s = 4 us, plus 10 us.
  CHECK(detail::op_result(op, 1000.0, roofs).memory_s == Approx(14e-6));
  // The decode sums' cached terms: c = 10 us + 1 MB / 0.5 TB/s = 12 us, d = 1 kB / 0.5 TB/s = 2 ns per key.
  const detail::DecodeOpTerms t = detail::decode_op_terms(op, roofs);
  CHECK(t.c == Approx(12e-6));
  CHECK(t.d == Approx(2e-9));
  // Any other operator: its bytes at the memory roof, no fixed time (2 MB at 1 TB/s = 2 us).
  Operator other = op;
  other.decode_attention = false;
  CHECK(detail::op_result(other, 1000.0, roofs).memory_s == Approx(2e-6));
  // Hardware without the kernel's terms: the memory roof, no fixed time.
  roofs.decode_attention_Bps = 0.0;
  CHECK(detail::op_result(op, 1000.0, roofs).memory_s == Approx(2e-6));
}

TEST_CASE("The h100-sxm decode attention terms reproduce the FlashAttention-2 paged decode rows within 6 %") {
  // Golden: GPU time per call of FlashAttention-2 paged decode, 64 sequences, 64 query / 8 KV heads,
  // head_dim 128, page 256, H100 SXM, nvbench cold L2: microsoft/onnxruntime pull request #21414, comment
  // by cloudhan 2024-08-29 (validation/published/published_measurements.csv lines 251-254). Bytes moved as
  // nvbench counts them: reads 9, 17, 33, 65 MiB plus 1 MiB written.
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  const Roofs roofs = roofs_for(hw, Scenario{});
  const double moved_MiB[] = {10, 18, 34, 66};
  const double measured_us[] = {21.135, 22.958, 28.780, 43.563};
  for (int i = 0; i < 4; ++i) {
    const double t = decode_attention_time_s(moved_MiB[i] * kMiB, roofs.decode_attention_Bps,
                                             roofs.decode_attention_overhead_s);
    INFO(moved_MiB[i] << " MiB");
    CHECK(t * 1e6 == Approx(measured_us[i]).epsilon(0.06));
  }
}

TEST_CASE("Fitted on its four shortest rows, the model predicts the same kernel's longest row on an A30") {
  // A check of the form, not of a shipped term (there is no A30 profile): FlashAttention-2 paged decode,
  // same shape and harness, on an A30 (nvbench bus peak 933 GB/s): JakeFlasher/benchmark_flash_attention
  // results/benchmark-64-GQA8-256-64-8-128.md @ 13da53c9d45c08b2f385995975c4f89a114df3fb
  // (published_measurements.csv lines 260-269). Least squares of t = t0 + B / (E * 933 GB/s) over the rows
  // at 32..256 tokens (10, 18, 34, 66 MiB; 48.407 .. 113.939 us), worked apart from this code: E = 0.931,
  // t0 = 32.74 us. The 16384-token row moved 4.001 GiB + 1 MiB (4098 MiB) in 4929.255 us.
  const double t = decode_attention_time_s(4098 * kMiB, 0.931 * 933e9, 32.74e-6);
  CHECK(t * 1e6 == Approx(4929.255).epsilon(0.015));
  // ... and its achieved share, 93.42 % of the bus peak in the row, within 1.5 %.
  CHECK(decode_attention_bandwidth_share(4098 * kMiB, 933e9, 0.931, 32.74e-6) ==
        Approx(0.9342).epsilon(0.015));
}

TEST_CASE("The b200 decode attention terms reproduce FlashInfer's trtllm-gen decode rows") {
  // Golden: trtllm-gen paged decode on a B200 (flashinfer_benchmark.py logs; 64 query / 8 KV heads,
  // head_dim 128, page 16, bf16, CUDA graph; validation/published/published_measurements.csv lines 370-372).
  // Bytes moved, by hand: K and V are 2 x 8 x 128 x 2 B = 4096 B per token; queries and outputs
  // 2 x 64 x 128 x 2 B = 32768 B per sequence. 32 sequences of 8192 tokens: 1,073,741,824 + 1,048,576 B
  // in 157 us (FlashInfer 0.2.8). 16 sequences of 8027 tokens in all: 32,878,592 + 524,288 B in 10 us
  // (0.2.12) and 14 us (0.6.2): the fit runs through their mean.
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/b200.yaml"));
  const Roofs roofs = roofs_for(hw, Scenario{});
  const auto time_us = [&](double bytes) {
    return decode_attention_time_s(bytes, roofs.decode_attention_Bps, roofs.decode_attention_overhead_s) *
           1e6;
  };
  CHECK(time_us(1073741824.0 + 1048576.0) == Approx(157.0).epsilon(0.01));
  CHECK(time_us(32878592.0 + 524288.0) == Approx(12.0).epsilon(0.01));
  // The GB200 takes the same two terms (the same die); its spec bandwidth is 8 TB/s.
  const Roofs gb = roofs_for(load_hardware(test::source_path("hardware_profiles/gb200.yaml")), Scenario{});
  CHECK(gb.decode_attention_Bps == Approx(0.936 * 8e12));
  CHECK(gb.decode_attention_overhead_s == Approx(7.3e-6));
}

TEST_CASE("The rtx-pro-6000 decode attention terms reproduce cuDNN's decode rows within 17 %") {
  // Golden: cuDNN 9.27 decode (cudnn-frontend's decode sweep, backend 'cudnn'), bf16, 64 query / 8 KV heads,
  // head_dim 128, one query per sequence, on an RTX PRO 6000 Server Edition (published_measurements.csv lines
  // 978-992). Bytes by hand: K and V 2 x 8 x 128 x 2 B = 4096 B per token, queries and outputs 32768 B per
  // sequence. The fit's widest misses: 8 sequences of 2048 tokens (67,108,864 + 262,144 B) in 68.673 us takes
  // 17 % longer than the line gives; 128 of 32768 (17,179,869,184 + 4,194,304 B) in 11211.819 us 10 % less.
  const Roofs roofs =
      roofs_for(load_hardware(test::source_path("hardware_profiles/rtx-pro-6000.yaml")), Scenario{});
  const auto time_us = [&](double bytes) {
    return decode_attention_time_s(bytes, roofs.decode_attention_Bps, roofs.decode_attention_overhead_s) *
           1e6;
  };
  CHECK(time_us(2048 * 4096.0 + 32768.0) == Approx(13.44).epsilon(0.12));
  CHECK(time_us(8 * 2048 * 4096.0 + 8 * 32768.0) == Approx(68.673).epsilon(0.18));
  CHECK(time_us(128 * 2048 * 4096.0 + 128 * 32768.0) == Approx(762.907).epsilon(0.03));
  CHECK(time_us(128 * 32768 * 4096.0 + 128 * 32768.0) == Approx(11211.819).epsilon(0.11));
}

// Multi-device layouts: memory per device, the Megatron all-reduces, pipeline stages, expert
// parallelism, and the TP scaling gpt-fast measured (validation/published/published_measurements.csv).
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/layout.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {
Estimate run(const std::string& model, const std::string& hw, Layout layout, long long batch = 1,
             long long input = 1024, long long output = 256) {
  Scenario sc = test::scenario(batch, input, output);
  sc.layout = layout;
  return estimate(load_model(test::source_path("model_configs/" + model + ".yaml")),
                  load_hardware(test::source_path("hardware_profiles/" + hw + ".yaml")), sc);
}
Layout tp(int n, int pp = 1) {
  Layout l;
  l.tp = n;
  l.pp = pp;
  return l;
}
}  // namespace

TEST_CASE("Pipeline stages: uneven splits give the first stages one more layer") {
  const auto stages = pipeline_stages(80, 3);  // 27 + 27 + 26
  REQUIRE(stages.size() == 3);
  CHECK(stages[0].layers == 27);
  CHECK(stages[2].layers == 26);
  CHECK(stages[2].first_layer == 54);
  CHECK(stages[0].first);
  CHECK(stages[2].last);
  CHECK_FALSE(stages[1].first);
}

TEST_CASE("A device shard: heads, KV heads (replicated past their count), MLP and vocabulary split") {
  ModelSpec m = test::llama2_7b();
  m.kv_heads = 8;
  Layout l = tp(16);
  const ModelSpec s = stage_shard(m, pipeline_stages(32, 1)[0], l);
  CHECK(s.attention_heads == 2);
  CHECK(s.kv_heads == 1);             // 8 KV heads over 16 devices: each device keeps one, replicated
  CHECK(s.intermediate_size == 688);  // 11008 / 16
  CHECK(s.vocab_size == 2000);
  l.tp = 3;
  CHECK_THROWS_AS(check_layout(m, l), InputError);  // 32 heads do not split 3 ways
  l.tp = 4;
  l.ep = 2;
  CHECK_THROWS_AS(check_layout(m, l), InputError);  // ep on a dense model
  Layout huge;  // 2^31-1 replicas of 32 x 32 (one layer per stage): the product overflows int; refused
  huge.dp = 2'147'483'647;
  huge.tp = 32;
  huge.pp = 32;
  CHECK_THROWS_AS(check_layout(m, huge), InputError);
  huge.dp = 977;  // 977 x 1024 = 1,000,448 devices: just past the bound of 10^6
  CHECK_THROWS_AS(check_layout(m, huge), InputError);
  huge.dp = 976;  // 976 x 1024 = 999,424: accepted
  CHECK_NOTHROW(check_layout(m, huge));
}

TEST_CASE("Llama-2-70B on H100: TP1 does not fit (138 GB of bf16 weights), TP8 fits with 1/8 per device") {
  const Estimate one = run("llama-2-70b", "h100-sxm", tp(1));
  CHECK_FALSE(one.fits);
  const Estimate eight = run("llama-2-70b", "h100-sxm", tp(8));
  CHECK(eight.fits);
  CHECK(eight.devices == 8);
  CHECK(eight.weight_bytes_per_device == Approx(eight.weight_bytes / 8).epsilon(0.02));
  CHECK(eight.kv_cache_bytes_per_device == Approx(eight.kv_cache_bytes / 8));  // 8 KV heads, one per device
}

TEST_CASE("TPOT falls TP2 -> TP4 -> TP8 with a growing communication share, TP2xPP2 is not faster than TP4") {
  const Estimate t2 = run("llama-2-70b", "h100-sxm", tp(2));
  const Estimate t4 = run("llama-2-70b", "h100-sxm", tp(4));
  const Estimate t8 = run("llama-2-70b", "h100-sxm", tp(8));
  CHECK(t4.tpot_s < t2.tpot_s);
  CHECK(t8.tpot_s < t4.tpot_s);
  CHECK(t2.comm_time_per_decode_step_s > 0.0);
  CHECK(t4.comm_time_per_decode_step_s / t4.tpot_s > t2.comm_time_per_decode_step_s / t2.tpot_s);
  CHECK(t8.comm_time_per_decode_step_s / t8.tpot_s > t4.comm_time_per_decode_step_s / t4.tpot_s);
  const Estimate t2p2 = run("llama-2-70b", "h100-sxm", tp(2, 2));
  CHECK(t2p2.tpot_s >= t4.tpot_s);
  CHECK(t2p2.ttft_s >= t4.ttft_s);
}

TEST_CASE("TP scaling ratios match gpt-fast's Llama-2-70B on A100 within 15 %") {
  // gpt-fast README @ 0f925b5: 21.32 / 38.01 / 62.5 tok/s at TP 2 / 4 / 8, batch 1, prompt 5, 200 new
  // tokens. TPOT ratios: TP2/TP4 = 38.01/21.32 = 1.783; TP4/TP8 = 62.5/38.01 = 1.644.
  const Estimate t2 = run("llama-2-70b", "a100-80gb-sxm", tp(2), 1, 5, 200);
  const Estimate t4 = run("llama-2-70b", "a100-80gb-sxm", tp(4), 1, 5, 200);
  const Estimate t8 = run("llama-2-70b", "a100-80gb-sxm", tp(8), 1, 5, 200);
  CHECK(t2.tpot_s / t4.tpot_s == Approx(38.01 / 21.32).epsilon(0.15));
  CHECK(t4.tpot_s / t8.tpot_s == Approx(62.5 / 38.01).epsilon(0.15));
}

TEST_CASE("A layout that spans two nodes is slower than the same layout inside one") {
  const ModelSpec m = load_model(test::source_path("model_configs/llama-2-70b.yaml"));
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc = test::scenario(8, 1024, 128);
  sc.layout = tp(8);
  const Estimate inside = estimate(m, hw, sc);
  hw.interconnect.devices_per_node = 4;  // the same 8-way group now crosses InfiniBand
  const Estimate across = estimate(m, hw, sc);
  CHECK(across.comm_time_per_decode_step_s > inside.comm_time_per_decode_step_s);
  CHECK(across.tpot_s > inside.tpot_s);
  CHECK(across.ttft_s > inside.ttft_s);
}

TEST_CASE("Expert parallelism adds two all-to-alls per MoE layer, data parallelism scales throughput only") {
  const ModelSpec m = test::mixtral_8x7b();
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc = test::scenario(16, 1024, 128);
  sc.layout = tp(8);
  sc.layout.ep = 8;
  const Estimate e = estimate(m, hw, sc);
  int all_to_alls = 0;
  for (const OpResult& op : e.decode_step.ops) {
    if (op.bound == Bound::communication && std::string(op.name).rfind("moe_", 0) == 0) {
      ++all_to_alls;
      CHECK(op.kernels == 32.0);  // once per MoE layer
      CHECK(op.time_s > 0.0);
    }
  }
  CHECK(all_to_alls == 2);
  Scenario replicas = sc;
  replicas.layout.dp = 2;
  const Estimate two = estimate(m, hw, replicas);
  CHECK(two.devices == 16);
  CHECK(two.tpot_s == e.tpot_s);
  CHECK(two.output_throughput_tok_s == Approx(2.0 * e.output_throughput_tok_s));
}

TEST_CASE("Micro-batches: the GPipe bubble (pp-1)/(M+pp-1) and higher throughput than one batch") {
  Layout l = tp(2, 4);
  const Estimate single = run("llama-2-70b", "h100-sxm", l, 32, 512, 64);
  l.micro_batches = 4;
  const Estimate piped = run("llama-2-70b", "h100-sxm", l, 32, 512, 64);
  CHECK(piped.pipeline_bubble_fraction == Approx(3.0 / 7.0));
  CHECK(single.pipeline_bubble_fraction == Approx(3.0 / 4.0));
  CHECK(piped.output_throughput_tok_s > single.output_throughput_tok_s);
}

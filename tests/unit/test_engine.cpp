// The engine against hand-derived totals (docs/formulas.md#attention_flops, #ttft, #tpot) and the
// acceptance figures for the shipped Llama-2-7B / A100 files.
#include <catch2/catch.hpp>
#include <cstring>
#include <vector>

#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/phase.hpp"
#include "core/roofs.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "support/fixtures.hpp"

using namespace infersim;
using test::scenario;

TEST_CASE("Decode FLOPs per token = 2*N_active + 4*L*H*dh*t (kipply 2022, docs/formulas.md)") {
  // N without the embedding gather: 6,738,415,616 - 32000*4096 = 6,607,343,616. Mean decode context
  // for input 1024, output 256: 1024 + 256/2 = 1152. 2N + 4*32*32*128*1152 = 13,818,667,008.
  // The engine also counts norms, softmax, rotary and residual adds (< 0.1 %).
  const Estimate e = estimate(test::llama2_7b(), test::ideal_a100(), scenario(1, 1024, 256));
  CHECK(e.decode_mean_context == 1152.0);
  CHECK(e.decode_flops_per_token == Approx(13'818'667'008.0).epsilon(0.001));
  CHECK(e.decode_flops_per_token > 13'818'667'008.0);
}

TEST_CASE("Prefill FLOPs = 2*N_layers*b*s + LM head on the last position + causal attention") {
  // 2 * 6,476,267,520 * 1024 = 13,263,395,880,960; LM head 2*32000*4096 = 262,144,000;
  // attention 4*H*dh*L * s(s+1)/2 = 4*32*128*32 * 524,800 = 275,146,342,400. Sum 13,538,804,367,360.
  const Estimate e = estimate(test::llama2_7b(), test::ideal_a100(), scenario(1, 1024, 256));
  CHECK(e.prefill_flops == Approx(13'538'804'367'360.0).epsilon(0.001));
  CHECK(e.prefill.bound == Bound::compute);
}

TEST_CASE("Ideal-device TPOT sits just above the bandwidth floor: weights + mean KV over bandwidth") {
  // Every weight but the embedding table (a decode step gathers one row of it) plus the KV cache at the
  // mean context: (13,476,831,232 - 2*32000*4096 + 1152 * 524,288) / 2.039e12 = 6.777 ms.
  // Activations and the one embedding row add a little.
  const Estimate e = estimate(test::llama2_7b(), test::ideal_a100(), scenario(1, 1024, 256));
  const double floor_s = (13'476'831'232.0 - 262'144'000.0 + 1152.0 * 524'288.0) / 2.039e12;
  CHECK(e.tpot_s > floor_s);
  CHECK(e.tpot_s < floor_s * 1.01);
  CHECK(e.decode_step.bound == Bound::memory);
}

TEST_CASE("Closed-form TPOT equals the mean of every decode step computed one by one") {
  // Step j attends to s + j keys; a run with output 2 has exactly one step, at s + 1 keys.
  ModelSpec m = test::llama2_7b();
  HardwareSpec hw = test::ideal_a100();
  hw.kernel_launch_overhead_s = 3e-6;
  for (const long long window : {0LL, 1030LL}) {
    m.sliding_window = window;
    for (const long long batch : {1LL, 64LL, 512LL}) {
      const long long s = 1000;
      const long long o = 60;
      double sum = 0.0;
      for (long long j = 1; j <= o - 1; ++j) sum += estimate(m, hw, scenario(batch, s + j - 1, 2)).tpot_s;
      CHECK(estimate(m, hw, scenario(batch, s, o)).tpot_s == Approx(sum / (o - 1)).epsilon(1e-12));
    }
  }
}

TEST_CASE("One output token: no decode step, end-to-end is the prefill") {
  const Estimate e = estimate(test::llama2_7b(), test::ideal_a100(), scenario(4, 512, 1));
  CHECK(e.tpot_s == 0.0);
  CHECK(e.e2e_latency_s == e.ttft_s);
  CHECK(e.output_throughput_tok_s == Approx(4.0 / e.ttft_s));
}

TEST_CASE("Scenarios the device or the model cannot run are input errors") {
  Scenario sc = scenario(1, 1024, 256);
  sc.activations = Dtype::fp8;  // the A100 has no fp8 peak
  CHECK_THROWS_AS(estimate(test::llama2_7b(), test::ideal_a100(), sc), InputError);
  CHECK_THROWS_AS(estimate(test::llama2_7b(), test::ideal_a100(), scenario(1, 4000, 200)), InputError);
  CHECK_THROWS_AS(estimate(test::llama2_7b(), test::ideal_a100(), scenario(0, 10, 10)), InputError);
}

TEST_CASE("Acceptance: llama-2-7b on a100-80gb-sxm (shipped files)") {
  const ModelSpec m = load_model(test::source_path("model_configs/llama-2-7b.yaml"));
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/a100-80gb-sxm.yaml"));
  const Estimate e = estimate(m, hw, scenario(1, 1024, 256));
  CHECK(e.params_total == Approx(6'738'415'616.0).epsilon(0.001));  // model card
  CHECK(e.kv_bytes_per_token == 524'288.0);                         // 2*32*32*128*2
  CHECK(e.weight_bytes == Approx(13.48e9).epsilon(0.01));           // 2 B per parameter
  CHECK(e.decode_step.bound == Bound::memory);
  CHECK(e.prefill.bound == Bound::compute);
  // Floor 6.9 ms (spec bandwidth); gpt-fast measured 9.5 ms on a power-limited A100
  // (validation/published/published_measurements.csv).
  CHECK(e.tpot_s > 6.6e-3);
  CHECK(e.tpot_s < 10e-3);
  CHECK(e.fits);
  // Batch 1, 3840 + 256 tokens: 4096 * 524,288 = 2 GiB.
  CHECK(estimate(m, hw, scenario(1, 3840, 256)).kv_cache_bytes == 2'147'483'648.0);
}

TEST_CASE("Acceptance: Mistral-7B (GQA-8) caches 4x less than Llama-2-7B, Falcon-7B (MQA) 8,192 B/token") {
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/a100-80gb-sxm.yaml"));
  const Scenario sc = scenario(1, 1024, 256);
  const double llama =
      estimate(load_model(test::source_path("model_configs/llama-2-7b.yaml")), hw, sc).kv_bytes_per_token;
  const double mistral =
      estimate(load_model(test::source_path("model_configs/mistral-7b.yaml")), hw, sc).kv_bytes_per_token;
  const double falcon =
      estimate(load_model(test::source_path("model_configs/falcon-7b.yaml")), hw, sc).kv_bytes_per_token;
  CHECK(llama / mistral == 4.0);
  CHECK(falcon == 8192.0);
}

TEST_CASE(
    "On hardware whose GEMMs add compute and memory time, each decode step pays the weight GEMMs' compute") {
  // Llama-2-7B at batch 1: the weight GEMMs are q, k, v, o (4 x 4096 x 4096) and gate, up, down
  // (3 x 4096 x 11008) in 32 layers, 6,476,005,376 weights, plus the LM head 4096 x 32000 =
  // 131,072,000: 2 x 6,607,077,376 = 13,214,154,752 FLOPs a step. On the ideal A100 (312 TFLOP/s bf16,
  // efficiency 1) that is 42.353 us, which gemm_time: sum adds to every (memory-bound) step; attention
  // (no weights) keeps the larger of its two times.
  HardwareSpec hw = test::ideal_a100();
  const Estimate overlap = estimate(test::llama2_7b(), hw, scenario(1, 1024, 256));
  hw.gemm_time_is_sum = true;
  const Estimate sum = estimate(test::llama2_7b(), hw, scenario(1, 1024, 256));
  CHECK(sum.tpot_s - overlap.tpot_s == Approx(13214154752.0 / 312e12));
  CHECK(sum.decode_step.time_s - overlap.decode_step.time_s == Approx(13214154752.0 / 312e12));
}

TEST_CASE("A weight-packing rate slows the GEMMs of many rows by their weights' bytes, not a one-row GEMV") {
  // Llama-2-7B's weight GEMMs read 6,607,077,376 bf16 weights (the case above), 13,214,154,752 B, in
  // the prefill and in every decode step. Taken in at a packing rate of 1e12 B/s instead of the ideal
  // A100's 2.039e12, each pass takes 13,214,154,752 x (1 / 1e12 - 1 / 2.039e12) = 6.733426 ms longer.
  // At batch 1 a decode step is a GEMV, which streams its weights unpacked: no change.
  HardwareSpec hw = test::ideal_a100();
  hw.gemm_time_is_sum = true;
  const double extra_s = 13214154752.0 * (1.0 / 1e12 - 1.0 / 2.039e12);
  for (long long batch : {1LL, 4LL}) {
    hw.weight_pack_bandwidth_Bps.reset();
    const Estimate plain = estimate(test::llama2_7b(), hw, scenario(batch, 1024, 256));
    hw.weight_pack_bandwidth_Bps = 1e12;
    const Estimate packed = estimate(test::llama2_7b(), hw, scenario(batch, 1024, 256));
    CHECK(packed.prefill.time_s - plain.prefill.time_s == Approx(extra_s));
    CHECK(packed.decode_step.time_s - plain.decode_step.time_s == Approx(batch == 1 ? 0.0 : extra_s));
    CHECK(packed.tpot_s - plain.tpot_s == Approx(batch == 1 ? 0.0 : extra_s));
  }
}

namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_phase(const PhaseResult& a, const PhaseResult& b) {
  if (a.ops.size() != b.ops.size()) return false;
  for (std::size_t i = 0; i < a.ops.size(); ++i) {
    const OpResult& x = a.ops[i];
    const OpResult& y = b.ops[i];
    if (std::strcmp(x.name, y.name) != 0 || x.unit != y.unit || x.bound != y.bound ||
        !same_bits(x.kernels, y.kernels) || !same_bits(x.cost.flops, y.cost.flops) ||
        !same_bits(total_bytes(x.cost.bytes), total_bytes(y.cost.bytes)) || !same_bits(x.time_s, y.time_s) ||
        !same_bits(x.compute_s, y.compute_s) || !same_bits(x.memory_s, y.memory_s) ||
        !same_bits(x.intensity, y.intensity))
      return false;
  }
  return same_bits(a.flops, b.flops) && same_bits(a.bytes, b.bytes) && same_bits(a.time_s, b.time_s) &&
         same_bits(a.compute_bound_s, b.compute_bound_s) && same_bits(a.memory_bound_s, b.memory_bound_s) &&
         same_bits(a.link_s, b.link_s) && same_bits(a.kernels, b.kernels) && a.bound == b.bound;
}

bool same_estimate(const Estimate& a, const Estimate& b) {
  const double Estimate::*fields[] = {&Estimate::params_total,
                                      &Estimate::params_active,
                                      &Estimate::weight_bytes,
                                      &Estimate::weight_bits_effective,
                                      &Estimate::kv_bytes_per_token,
                                      &Estimate::kv_cache_bytes,
                                      &Estimate::activation_bytes,
                                      &Estimate::runtime_reserve_bytes,
                                      &Estimate::memory_per_device_bytes,
                                      &Estimate::device_memory_bytes,
                                      &Estimate::usable_memory_bytes,
                                      &Estimate::weight_bytes_per_device,
                                      &Estimate::kv_cache_bytes_per_device,
                                      &Estimate::comm_time_prefill_s,
                                      &Estimate::comm_time_per_decode_step_s,
                                      &Estimate::pipeline_bubble_fraction,
                                      &Estimate::prefill_flops,
                                      &Estimate::decode_flops_per_token,
                                      &Estimate::decode_mean_context,
                                      &Estimate::runtime_overhead_prefill_s,
                                      &Estimate::runtime_overhead_per_step_s,
                                      &Estimate::ttft_s,
                                      &Estimate::tpot_s,
                                      &Estimate::e2e_latency_s,
                                      &Estimate::output_throughput_tok_s};
  for (const auto field : fields) {
    if (!same_bits(a.*field, b.*field)) return false;
  }
  return a.fits == b.fits && a.devices == b.devices && same_phase(a.prefill, b.prefill) &&
         same_phase(a.decode_step, b.decode_step);
}

}  // namespace

TEST_CASE("One scratch across many configurations gives every estimate bit for bit as a fresh one") {
  // The scratch keeps the passes of recent configurations for those that share them (core/pass_cache.hpp):
  // more configurations than it keeps, in two orders, with and without operators.
  std::vector<ModelSpec> models;
  for (const char* name : {"llama-2-7b", "mixtral-8x7b", "deepseek-v3", "falcon-7b"})
    models.push_back(load_model(test::source_path(std::string("model_configs/") + name + ".yaml")));
  std::vector<HardwareSpec> devices;
  for (const char* name : {"h100-sxm", "mi300x"})
    devices.push_back(load_hardware(test::source_path(std::string("hardware_profiles/") + name + ".yaml")));
  struct Case {
    const ModelSpec* m;
    const HardwareSpec* hw;
    Scenario sc;
  };
  std::vector<Case> cases;
  for (const ModelSpec& m : models) {
    for (const HardwareSpec& hw : devices) {
      for (const long long input : {128LL, 2000LL}) {
        for (const long long output : {1LL, 2LL, 300LL}) {
          for (const int tp : {1, 8}) {
            for (const int pp : {1, 3}) {
              for (const Dtype w : {Dtype::bf16, Dtype::int4}) {
                Scenario sc = scenario(4, input, output);
                sc.layout.tp = tp;
                sc.layout.pp = pp;
                sc.layout.micro_batches = pp == 3 ? 2 : 1;
                sc.weights = default_storage_format(w);
                sc.kv = output == 2 ? Dtype::fp8 : Dtype::bf16;
                sc.attention = input == 128 && tp == 1 ? AttentionKernel::unfused : AttentionKernel::fused;
                sc.mla = output == 300 ? MlaDecode::naive : MlaDecode::absorbed;
                sc.runtime.int4_weight_only_efficiency = pp == 3 ? 0.5 : 1.0;
                if (!why_invalid(m, hw, sc)) cases.push_back({&m, &hw, sc});
              }
            }
          }
        }
      }
    }
  }
  REQUIRE(cases.size() > 2 * detail::RecentEntries<detail::PrefillEntry>::kCapacity);
  for (const bool keep : {false, true}) {
    EstimateScratch scratch;
    std::size_t differing = 0;
    for (int round = 0; round < 2; ++round) {
      for (std::size_t i = 0; i < cases.size(); ++i) {
        const Case& c = cases[round == 0 ? i : cases.size() - 1 - i];
        if (!same_estimate(estimate(*c.m, *c.hw, c.sc, keep, scratch), estimate(*c.m, *c.hw, c.sc, keep)))
          ++differing;
      }
    }
    CHECK(differing == 0);
  }
}

TEST_CASE("A decode step timed from its operators' terms equals one timed operator by operator") {
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  for (const char* name : {"llama-2-7b", "mixtral-8x7b", "deepseek-v3"}) {
    const ModelSpec m = load_model(test::source_path(std::string("model_configs/") + name + ".yaml"));
    for (const Dtype w : {Dtype::bf16, Dtype::int4}) {
      Scenario sc = scenario(8, 1000, 200);
      sc.weights = default_storage_format(w);
      const Roofs roofs = decode_step_roofs(roofs_for(hw, sc), 8.0);
      PassShape shape;
      shape.batch = 8.0;
      shape.formats = {weight_formats(sc.weights, false), 2.0, 2.0};
      const std::vector<Operator> ops = decode_operators(m, shape);
      std::vector<detail::DecodeOpTerms> terms;
      for (const Operator& op : ops) terms.push_back(detail::decode_op_terms(op, roofs));
      for (const bool keep : {false, true}) {
        for (const double keys : {0.0, 1.0, 1100.0, 4096.0}) {
          PhaseResult direct;
          PhaseResult from_terms;
          detail::add_ops(direct, ops, keys, roofs, keep);
          detail::add_ops(from_terms, ops, terms, keys, roofs, keep);
          CHECK(same_phase(direct, from_terms));
        }
      }
      for (const KeySpan span :
           {KeySpan{}, KeySpan{KeySpanKind::sliding, 512}, KeySpan{KeySpanKind::chunked, 64}}) {
        ModelSpec spanned = m;
        spanned.attention_pattern = {span};
        const std::vector<Operator> span_ops = decode_operators(spanned, shape);
        std::vector<detail::DecodeOpTerms> span_terms;
        for (const Operator& op : span_ops) span_terms.push_back(detail::decode_op_terms(op, roofs));
        CHECK(same_bits(detail::decode_time_sum_s(span_ops, roofs, 1001, 1199),
                        detail::decode_time_sum_s(span_ops, span_terms, roofs, 1001, 1199)));
      }
    }
  }
}

// Where the predicted time goes (core/time_by_class.hpp, docs/formulas.md#time_by_class): which class each
// operator falls in, the class times of a pass worked by hand from the model's shapes, the sharing out of a
// device time, and a serving run's breakdown against its iteration count. Expected values are typed in
// from the class definitions and from Llama-2-7B's shapes (meta-llama config.json), not computed by the
// code under test.
#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/operators.hpp"
#include "core/phase.hpp"
#include "core/step.hpp"
#include "core/time_by_class.hpp"
#include "core/weights.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "serving/simulator.hpp"
#include "support/fixtures.hpp"
#include "support/request_list.hpp"
#include "support/roofs.hpp"

using namespace infersim;

namespace {

PassShape bf16_shape(double batch, double prompt, int tp) {
  PassShape s;
  s.batch = batch;
  s.prompt_tokens = prompt;
  s.formats =
      tensor_formats(weight_formats(default_storage_format(Dtype::bf16), false), Dtype::bf16, Dtype::bf16);
  s.layout.tp = tp;
  return s;
}

// Each operator's class by name (an operator name that appears twice must have one class).
std::map<std::string, OpClass> classes(const std::vector<Operator>& ops) {
  std::map<std::string, OpClass> out;
  for (const Operator& op : ops) {
    const auto [it, fresh] = out.emplace(op.name, op_class(op));
    CHECK((fresh || it->second == op_class(op)));
  }
  return out;
}

}  // namespace

TEST_CASE("Operator classes: the projections are GEMMs, the experts grouped GEMMs, collectives apart") {
  // Mixtral-8x7B's prefill over two tensor-parallel devices: every operator it builds, by name.
  const std::map<std::string, OpClass> c =
      classes(prefill_operators(test::mixtral_8x7b(), bf16_shape(1, 512, 2)));
  const std::map<std::string, OpClass> expected = {{"embedding", OpClass::elementwise},
                                                   {"attn_norm", OpClass::elementwise},
                                                   {"q_proj", OpClass::gemm},
                                                   {"k_proj", OpClass::gemm},
                                                   {"v_proj", OpClass::gemm},
                                                   {"rotary", OpClass::elementwise},
                                                   {"attention", OpClass::attention},
                                                   {"o_proj", OpClass::gemm},
                                                   {"attn_allreduce", OpClass::collective},
                                                   {"attn_residual", OpClass::elementwise},
                                                   {"mlp_norm", OpClass::elementwise},
                                                   {"router", OpClass::gemm},
                                                   {"router_topk", OpClass::elementwise},
                                                   {"experts_permute", OpClass::elementwise},
                                                   {"experts_up", OpClass::expert_gemm},
                                                   {"experts_act", OpClass::elementwise},
                                                   {"experts_down", OpClass::expert_gemm},
                                                   {"experts_combine", OpClass::elementwise},
                                                   {"mlp_allreduce", OpClass::collective},
                                                   {"mlp_residual", OpClass::elementwise},
                                                   {"final_norm", OpClass::elementwise},
                                                   {"lm_head", OpClass::gemm},
                                                   {"embed_allreduce", OpClass::collective},
                                                   {"logits_allgather", OpClass::collective}};
  CHECK(c.size() == expected.size());
  for (const auto& [name, cls] : c) {
    INFO(name);
    REQUIRE(expected.count(name) == 1);
    CHECK(cls == expected.at(name));
  }
}

TEST_CASE("Operator classes: unfused attention's three kernels are attention, MLA's projections GEMMs") {
  PassShape unfused = bf16_shape(1, 512, 1);
  unfused.attention = AttentionKernel::unfused;
  const std::map<std::string, OpClass> u = classes(prefill_operators(test::llama2_7b(), unfused));
  CHECK(u.at("attn_scores") == OpClass::attention);
  CHECK(u.at("softmax") == OpClass::attention);
  CHECK(u.at("attn_values") == OpClass::attention);
  CHECK(u.at("q_proj") == OpClass::gemm);
  const std::map<std::string, OpClass> d = classes(decode_operators(test::llama2_7b(), unfused));
  CHECK(d.at("attn_scores") == OpClass::attention);
  CHECK(d.at("softmax") == OpClass::attention);
  CHECK(d.at("attn_values") == OpClass::attention);
  // DeepSeek-V3's absorbed decode: the per-head absorb and value up-projection read weights (GEMMs); the
  // kernel over the cached latents is attention.
  const ModelSpec ds = load_model(test::source_path("model_configs/deepseek-v3.yaml"));
  const std::map<std::string, OpClass> a = classes(decode_operators(ds, bf16_shape(1, 1, 1)));
  CHECK(a.at("q_absorb") == OpClass::gemm);
  CHECK(a.at("v_up") == OpClass::gemm);
  CHECK(a.at("attention") == OpClass::attention);
  CHECK(a.at("experts_up") == OpClass::expert_gemm);
  CHECK(op_class(pipeline_sends(Layout{.pp = 2}, ds, 1.0, 2.0)) == OpClass::collective);
}

TEST_CASE("A batch-1 decode step of Llama-2-7B: its GEMMs are their bytes at the memory roof") {
  // Flat roofs of 1e12 B/s and 1e15 FLOP/s, no launch cost: at batch 1 every weight GEMM is memory-bound
  // (about 1 FLOP per byte). Per layer, bf16: q, k, v, o read 4096 x 4096 x 2 = 33,554,432 B of weights and
  // 2 x 4096 x 2 = 16,384 B of activations each; gate_up 4096 x 22016 x 2 = 180,355,072 and
  // (4096 + 22016) x 2 = 52,224; down 11008 x 4096 x 2 = 90,177,536 and (11008 + 4096) x 2 = 30,208. Layer:
  // 404,750,336 + 147,968 B; 32 layers: 12,956,745,728 B. The LM head: 32000 x 4096 x 2 = 262,144,000 and
  // (4096 + 32000) x 2 = 72,192. GEMMs: 13,218,961,920 B = 13.218961920 ms.
  // Attention at 1000 keys: per layer the cached K and V of 1000 keys, 1000 x 2 x 4096 x 2 = 16,384,000 B,
  // the new q, k, v read (3 x 4096 x 2 = 24,576), the output written (8,192) and the new K, V appended
  // (16,384): 16,433,152 B; 32 layers: 525,860,864 B = 0.525860864 ms.
  const ModelSpec m = test::llama2_7b();
  const Roofs roofs = test::flat_roofs(1e15, 1e15, 1e12);
  PhaseResult step;
  detail::add_ops(step, decode_operators(m, bf16_shape(1, 1, 1)), 1000.0, roofs, false);
  const auto at = [&step](OpClass c) { return step.class_s[static_cast<std::size_t>(c)]; };
  CHECK(at(OpClass::gemm) == Approx(13.218961920e-3).epsilon(1e-12));
  CHECK(at(OpClass::attention) == Approx(0.525860864e-3).epsilon(1e-12));
  CHECK(at(OpClass::expert_gemm) == 0.0);
  CHECK(at(OpClass::collective) == 0.0);
  double sum = 0.0;
  for (const double x : step.class_s) sum += x;
  CHECK(sum == Approx(step.time_s).epsilon(1e-12));  // every operator in exactly one class
}

TEST_CASE("A device time is shared out in proportion to the class times, the host beside it") {
  PhaseResult p;
  p.class_s = {1.0, 2.0, 0.0, 1.0, 0.0};                   // GEMMs 1, expert GEMMs 2, elementwise 1: 4 in all
  const TimeByClass t = phase_time_by_class(p, 8.0, 1.0);  // a device time twice their sum
  CHECK(t.device_s[0] == 2.0);
  CHECK(t.device_s[1] == 4.0);
  CHECK(t.device_s[2] == 0.0);
  CHECK(t.device_s[3] == 2.0);
  CHECK(t.host_s == 1.0);
  CHECK(total_s(t) == 9.0);
  REQUIRE(dominant_class(t));
  CHECK(std::string(time_class_name(*dominant_class(t))) == "expert GEMMs");
  CHECK_FALSE(dominant_class(TimeByClass{}));
  CHECK(std::string(time_class_name(kOpClasses)) == "host (runtime)");
  CHECK(std::string(time_class_key(kTimeClasses - 1)) == "kv_swaps");
}

TEST_CASE("An estimate's request: the prefill, then its decode steps each as the one at the mean context") {
  // TTFT 3 s: 2 s of GEMMs and 1 s of host; TPOT 0.5 s: 0.4 s of attention and 0.1 s of host; 5 tokens:
  // e2e = 3 + 4 x 0.5 = 5 s. The request: GEMMs 2, attention 4 x 0.4 = 1.6, host 1 + 4 x 0.1 = 1.4.
  Estimate e;
  e.prefill.class_s = {2.0, 0.0, 0.0, 0.0, 0.0};
  e.runtime_overhead_prefill_s = 1.0;
  e.ttft_s = 3.0;
  e.decode_step.class_s = {0.0, 0.0, 0.4, 0.0, 0.0};
  e.runtime_overhead_per_step_s = 0.1;
  e.tpot_s = 0.5;
  e.e2e_latency_s = 5.0;
  const TimeByClass r = estimate_time_by_class(e, EstimateSpan::request);
  CHECK(r.device_s[0] == Approx(2.0));
  CHECK(r.device_s[2] == Approx(1.6));
  CHECK(r.host_s == Approx(1.4));
  CHECK(total_s(r) == Approx(5.0));
  CHECK(total_s(estimate_time_by_class(e, EstimateSpan::prefill)) == Approx(3.0));
  CHECK(total_s(estimate_time_by_class(e, EstimateSpan::decode_step)) == Approx(0.5));
}

TEST_CASE("A serving run's breakdown: its host row is the iterations times the step overhead") {
  // One request of 1024 + 256 tokens alone on an H100: one prefill iteration, then 255 decode iterations;
  // a runtime whose only host term is 100 us a pass takes 256 x 100 us = 25.6 ms of host time. The rows
  // add up to the run's duration (one replica, never idle).
  const ModelSpec m = load_model(test::source_path("model_configs/llama-3-8b.yaml"));
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc;
  sc.input_tokens = 1024;
  sc.output_tokens = 256;
  sc.runtime.name = "test";
  sc.runtime.step_overhead_s = 100e-6;
  StepTimer timer(m, hw, sc);
  serving::ServeConfig cfg;
  test::ListSource source(test::at_zero(1, 1024, 256));
  long long iterations = 0;
  serving::ServeObserver obs;
  obs.step = [&iterations](const serving::StepRecord&) { ++iterations; };
  const serving::ServeResult out = serving::simulate(timer, cfg, source, 1, {}, 0.0, obs);
  CHECK(iterations == 256);
  CHECK(out.time_by_class.host_s == Approx(25.6e-3).epsilon(1e-9));
  CHECK(total_s(out.time_by_class) == Approx(out.summary.duration_s).epsilon(1e-9));
  CHECK(out.time_by_class.swap_s == 0.0);
  CHECK(out.time_by_class.device_s[static_cast<std::size_t>(OpClass::expert_gemm)] == 0.0);  // dense
}

TEST_CASE("A breakdown row's share of the total, none when nothing took time") {
  TimeByClass t;
  t.device_s[0] = 1.0;  // GEMMs
  t.device_s[2] = 1.0;  // attention
  t.host_s = 2.0;       // 4 s in all
  CHECK(time_class_share(t, 0) == 0.25);
  CHECK(time_class_share(t, 1) == 0.0);
  CHECK(time_class_share(t, kOpClasses) == 0.5);  // the host's row follows the device's classes
  CHECK_FALSE(time_class_share(TimeByClass{}, 0).has_value());
}

// Serving engines' MoE kernels against the engine's MoE layer (docs/formulas.md#moe_gemm_kernel): vLLM's
// Triton fused MoE (kernel rows 377-396 of validation/published/published_measurements.csv) and
// TensorRT-LLM's TRTLLM-Gen and CUTLASS MoE backends on a B200 (rows 397-424), FlashInfer's TRTLLM-Gen fused
// MoE on a B200 at up to 4096 tokens (rows 425-443), its CUTLASS and TRTLLM-Gen fused MoE on a GB200 at up to
// 8192 tokens (rows 444-457), TensorRT-LLM 1.2.0rc5's CUTLASS MoE module on a B200 and an H200 (rows
// 458-487, aiconfigurator's collected tables, judged as the model stood), FlashInfer's CUTLASS fused MoE on
// an RTX PRO 6000 (rows 1066-1095, judged as the model stood), and the runtime terms they set on hand-worked
// cases.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/estimate.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/config/scenario_text.hpp"
#include "io/published/published_csv.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {

// One fused MoE call's measured time at `tokens` tokens (CSV metric moe_layer_kernel_time, in us).
struct MoeRow {
  int line = 0;
  double tokens = 0.0;
  double measured_s = 0.0;
};

// The MoE-module rows of a source (its prefix), optionally only those between two CSV lines.
std::vector<MoeRow> moe_rows(const std::string& source_prefix, int first_line = 0, int last_line = 1 << 30) {
  std::vector<MoeRow> out;
  for (const PublishedRow& r :
       read_published_csv(test::source_path("validation/published/published_measurements.csv"))) {
    if (r.source.rfind(source_prefix, 0) != 0 || r.metric != "moe_layer_kernel_time") continue;
    if (r.line < first_line || r.line > last_line) continue;
    out.push_back({r.line, std::stod(r.batch), std::stod(r.value) * 1e-6});
  }
  return out;
}

// What one timed call of the fused MoE contains (vllm benchmarks/kernels/benchmark_moe.py): the top-k over
// given gating logits, both grouped GEMMs, the activation and the weighted sum, which the engine's
// operators router_topk, experts_permute, experts_up, experts_act, experts_down and experts_combine
// stand for. The router GEMM is not timed.
bool in_fused_moe(const char* name) {
  for (const char* op :
       {"router_topk", "experts_permute", "experts_up", "experts_act", "experts_down", "experts_combine"})
    if (std::strcmp(name, op) == 0) return true;
  return false;
}

// The engine's time for one layer's MoE at `tokens` tokens in a prefill, under runtime terms `rt`.
double moe_layer_s(const ModelSpec& m, const HardwareSpec& hw, const RuntimeTerms& rt, int tp,
                   double tokens) {
  Scenario sc;
  sc.batch = 1;
  sc.input_tokens = static_cast<long long>(tokens);
  sc.output_tokens = 1;
  sc.layout.tp = tp;
  sc.runtime = rt;
  const Estimate e = estimate(m, hw, sc);
  double s = 0.0;
  for (const OpResult& op : e.prefill.ops)
    if (in_fused_moe(op.name)) s += op.time_s;
  return s / m.layers;
}

// What TensorRT-LLM's blog times (blog24_MoE_as_Dense_GEMM.md, Setup): the per-rank MoE module, router
// GEMM, top-k, quantization, FC1 and FC2, the shared expert and the all-reduces outside it; the engine's
// router, router_topk and experts_* operators.
bool in_trtllm_moe_module(const char* name) { return std::strcmp(name, "router") == 0 || in_fused_moe(name); }

// The engine's time for one MoE layer's module at `tokens` tokens in a prefill of DeepSeek-V3 in nvfp4 at
// tp 8 on a B200 (as `infersim estimate -m deepseek-v3 -g b200 --tp 8 --quant nvfp4`), under `rt`.
double deepseek_module_s(const RuntimeTerms& rt, double tokens) {
  const ModelSpec m = load_model(test::source_path("model_configs/deepseek-v3.yaml"));
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/b200.yaml"));
  ScenarioValues v;
  v.batch = 1;
  v.input_tokens = static_cast<long long>(tokens);
  v.output_tokens = 1;
  v.tp = 8;
  parse_scenario_value(v, ScenarioKey::quant, "nvfp4", "--quant");
  const Estimate e = estimate(m, hw, compose_scenario(v, rt, m));
  double s = 0.0;
  double moe_layers = 0.0;
  for (const OpResult& op : e.prefill.ops) {
    if (in_trtllm_moe_module(op.name)) s += op.time_s;
    if (std::strcmp(op.name, "router") == 0) moe_layers = op.kernels;  // one router GEMM a MoE layer
  }
  REQUIRE(moe_layers == 58);  // DeepSeek-V3: 61 layers, the first 3 dense
  return s / moe_layers;
}

// The engine's time for one fused MoE call (in_fused_moe, one MoE layer) at `tokens` tokens in a prefill of
// `model_file` on `hardware_file` in `quant` (a --quant preset; "fp16": 16-bit weights and GEMMs; empty: the
// checkpoint's own dtypes), under `rt`, with the routed experts written as
// `experts` of which each token chooses `experts_per_token` (0: the model's own) and every expert 1/ffn_ways
// as wide (of `expert_intermediate`, where given, instead of the model's width), the tokens routed as
// `routing` says (balanced: as a benchmark's round-robin routing spreads them). The MoE layers are counted
// from the operators (one top-k a MoE layer).
double fused_moe_call_s(const RuntimeTerms& rt, const char* model_file, const char* hardware_file,
                        const std::string& quant, double tokens, int experts = 0, int experts_per_token = 0,
                        int ffn_ways = 1, int expert_intermediate = 0,
                        MoeRouting routing = MoeRouting::uniform) {
  ModelSpec m = load_model(test::source_path(model_file));
  if (expert_intermediate > 0) m.moe.expert_intermediate_size = expert_intermediate;
  REQUIRE(m.moe.expert_intermediate_size % ffn_ways == 0);
  m.moe.expert_intermediate_size /= ffn_ways;
  if (experts > 0) m.moe.experts = experts;
  if (experts_per_token > 0) m.moe.experts_per_token = experts_per_token;
  const HardwareSpec hw = load_hardware(test::source_path(hardware_file));
  ScenarioValues v;
  v.batch = 1;
  v.input_tokens = static_cast<long long>(tokens);
  v.output_tokens = 1;
  v.moe_routing = routing;
  if (quant == "fp16") {  // 16-bit weights and GEMMs whatever the checkpoint ships
    parse_scenario_value(v, ScenarioKey::weights, "fp16", "--weights");
    parse_scenario_value(v, ScenarioKey::activations, "fp16", "--activations");
  } else if (!quant.empty()) {
    parse_scenario_value(v, ScenarioKey::quant, quant, "--quant");
  }
  const Estimate e = estimate(m, hw, compose_scenario(v, rt, m));
  double s = 0.0;
  double moe_layers = 0.0;
  for (const OpResult& op : e.prefill.ops) {
    if (in_fused_moe(op.name)) s += op.time_s;
    if (std::strcmp(op.name, "router_topk") == 0) moe_layers = op.kernels;
  }
  REQUIRE(moe_layers > 0.0);
  return s / moe_layers;
}

// `rt` with its grouped MoE GEMMs at the hardware profile's roofs (the library's kernels, TRTLLM-Gen's for
// instance): both shares 1, and the per-device terms of the runtime's CUTLASS module, which are not those
// kernels', left out.
RuntimeTerms at_library_roofs(RuntimeTerms rt) {
  rt.moe_gemm_stream_efficiency = 1.0;
  rt.moe_gemm_efficiency = 1.0;
  rt.moe_gemm_stream_efficiency_by_hardware.clear();
  rt.moe_module_fixed_s_by_hardware.clear();
  return rt;
}

// The engine's time for one call of FlashInfer's DeepSeek-V3 MoE benchmark (benchmarks/bench_moe_deepseek.py)
// at `tokens` tokens in nvfp4 on `hardware` (a B200 unless named), under `rt`: the fused MoE call
// (in_fused_moe, one layer) with DeepSeek-V3's experts written as `experts` of which each token chooses
// `experts_per_token`. The benchmark runs expert parallelism on one GPU by keeping the rows routed to one
// device's experts (experts 0-31 for --ep 8), a device of mean load: the engine's expert-parallel device is
// its busiest (docs/formulas.md#moe_device_imbalance), so the local experts are written as a model of their
// own instead, each token choosing 8 x 32 / 256 = 1 of them. That keeps k/E = 1/32, so the rows (one a token)
// and the experts touched are the benchmark's; its top-k reads 32 logits a token instead of 256 (at 4096
// tokens 3.7 MB less, under 1 us at the memory roof). Routing that sends every token to the same few experts
// is written the same way: the experts it reaches, each token choosing 8 of them.
double deepseek_fused_moe_s(const RuntimeTerms& rt, double tokens, int experts, int experts_per_token,
                            const char* hardware = "hardware_profiles/b200.yaml") {
  const ModelSpec m = load_model(test::source_path("model_configs/deepseek-v3.yaml"));
  REQUIRE(m.moe.experts == 256);
  REQUIRE(m.moe.experts_per_token == 8);
  REQUIRE(moe_layer_count(m) == 58);  // DeepSeek-V3: 61 layers, the first 3 dense
  return fused_moe_call_s(rt, "model_configs/deepseek-v3.yaml", hardware, "nvfp4", tokens, experts,
                          experts_per_token);
}

// The time to the first token of one prompt of `tokens` on the ideal A100 (fixtures.hpp) under `rt`.
double ideal_ttft_s(const ModelSpec& m, long long tokens, const RuntimeTerms& rt) {
  Scenario sc = test::scenario(1, tokens, 1);
  sc.runtime = rt;
  return estimate(m, test::ideal_a100(), sc).ttft_s;
}

}  // namespace

TEST_CASE("TensorRT-LLM's MoE backends against the engine's MoE module: DeepSeek-V3 tp 8 rank, nvfp4, B200") {
  // NVIDIA/TensorRT-LLM docs/source/blogs/tech_blog/blog24_MoE_as_Dense_GEMM.md @ 2226a865, Per-Rank MoE
  // Module Latency: 1 to 384 tokens through one TP8 rank's routed MoE (256 experts of 256 a rank, top-8).
  const RuntimeTerms trtllm = load_runtime(test::source_path("runtime_profiles/trtllm.yaml")).terms;
  REQUIRE(trtllm.moe_gemm_stream_efficiency == 0.40);
  REQUIRE(trtllm.moe_gemm_efficiency == 0.66);
  const RuntimeTerms library = at_library_roofs(trtllm);  // the grouped GEMMs at the hardware profile's roofs
  // The CUTLASS column set the runtime's share (0.40) on this rank; since then the B200 has terms of its own,
  // set on whole experts (the section of 2026-12-06, eighth session, of fit_split.md). The share is checked
  // here as it was set, the B200's own terms left out; the engine as it runs on a B200 is pinned beside it.
  RuntimeTerms rank_share = trtllm;
  std::erase_if(rank_share.moe_gemm_stream_efficiency_by_hardware,
                [](const auto& e) { return e.first == "b200"; });
  rank_share.moe_module_fixed_s_by_hardware.clear();
  REQUIRE(moe_gemm_stream_share(trtllm, "b200") == 0.84);
  const std::vector<MoeRow> gen = moe_rows(
      "NVIDIA/TensorRT-LLM docs/source/blogs/tech_blog/blog24_MoE_as_Dense_GEMM.md "
      "@ 2226a86553b666009aff1655788ba20b6f50075a ('MoE as Dense GEMM: "
      "Optimizing Low-Latency MoE Inference on NVIDIA Blackwell', Per-Rank "
      "MoE Module Latency table, the TRTLLM-Gen column)");
  const std::vector<MoeRow> cutlass = moe_rows(
      "NVIDIA/TensorRT-LLM docs/source/blogs/tech_blog/"
      "blog24_MoE_as_Dense_GEMM.md @ 2226a86553b666009aff1655788ba20b6f50075a "
      "('MoE as Dense GEMM: Optimizing Low-Latency MoE Inference on NVIDIA "
      "Blackwell', Per-Rank MoE Module Latency table, the CUTLASS column)");
  REQUIRE(gen.size() == 14);
  REQUIRE(cutlass.size() == 14);
  CHECK(gen.front().line == 397);
  CHECK(cutlass.front().line == 411);
  CHECK(cutlass.back().line == 424);
  for (std::size_t i = 0; i < gen.size(); ++i) {
    const double tokens = gen[i].tokens;
    REQUIRE(cutlass[i].tokens == tokens);
    const double at_library_s = deepseek_module_s(library, tokens);
    const double at_share_s = deepseek_module_s(rank_share, tokens);
    const double on_b200_s = deepseek_module_s(trtllm, tokens);
    const double gen_error = at_library_s / gen[i].measured_s - 1.0;  // time domain: < 0 is fast
    const double cutlass_error = at_share_s / cutlass[i].measured_s - 1.0;
    const double b200_error = on_b200_s / cutlass[i].measured_s - 1.0;
    INFO(tokens << " tokens: TRTLLM-Gen " << gen[i].measured_s * 1e6
                << " us, the engine at the library's roofs " << at_library_s * 1e6 << " us ("
                << gen_error * 100 << " %); CUTLASS " << cutlass[i].measured_s * 1e6
                << " us, the engine at the trtllm share " << at_share_s * 1e6 << " us ("
                << cutlass_error * 100 << " %), at the B200's own terms " << on_b200_s * 1e6 << " us ("
                << b200_error * 100 << " %)");
    // The B200's own terms (share 0.84 and 42 us a call, set on whole experts) leave this rank's experts,
    // each an eighth as wide (256), fast at every size: -27 % at one token, -31 to -40 % from 8 tokens on.
    // The share's dependence on the experts' width is not modelled (docs/formulas.md#moe_module_fixed_time).
    CHECK(b200_error > -0.40);
    CHECK(b200_error < (tokens == 1 ? -0.20 : -0.30));
    // TRTLLM-Gen's per-expert grouped GEMM, checked (sets nothing): the engine at the library's roofs, the
    // B200's grouped GEMMs' weights streaming serially (b200.yaml grouped_gemm_time), is within 24 % at every
    // size, fast below 64 tokens (-24 % at 8), within 8 % from 64 tokens on (-7.9 to -2.6 %), +7.3 % at one
    // token. (Their sum gave -6.6 to +0.8 % from 64 tokens on, the larger of the two times -9 to -12 %.)
    CHECK(std::abs(gen_error) <= 0.24);
    if (tokens >= 64) CHECK(std::abs(gen_error) <= 0.08);
    if (tokens == 128 || tokens == 256 || tokens == 384) {
      // CUTLASS at 128, 256 and 384 tokens (nearly every expert reached, 4 to 12 rows each: memory-bound) set
      // the share, least squares of the log time with the compute share that lines 448-450 set: 0.394 with
      // 0.79 (+0.2 %, +2.3 %, -0.1 %), refitted when that share became 0.66 (fit_split.md, the section of
      // 2026-12-07, twelfth session): 0.398, written 0.40: -1.4 %, +1.4 %, -1.0 %. (0.40 when the grouped
      // GEMMs added their times, 0.378 when they took the larger, both at 0.79.)
      CHECK(std::abs(cutlass_error) <= 0.025);
    } else if (tokens >= 48) {
      // Checks: 48 to 336 tokens within 10 % (-9.7 % at 48).
      CHECK(std::abs(cutlass_error) <= 0.10);
    } else {
      // 1 to 32 tokens: the CUTLASS path's fixed cost (97 us at one token, where the 8 experts' weights take
      // 4 us) is not modelled: -70 % at one token, -17 % at 32. Pins today's known error.
      CHECK(cutlass_error < -0.15);
      CHECK(cutlass_error > -0.75);
    }
  }
}

TEST_CASE("FlashInfer's TRTLLM-Gen fused MoE up to 4096 tokens against the engine: B200 nvfp4") {
  // flashinfer-ai/flashinfer pull requests #4048 (commit c9172e6a, CSV lines 425-437: 32 local experts, the
  // activations' FP4 quantization timed) and #3645 (commit 59b1516a, lines 438-443: all 256 experts, the
  // quantization not timed); DeepSeek-V3's routed MoE (top-8, hidden 7168, intermediate 2048) through
  // trtllm_fp4_block_scale_moe on one B200. The engine at the library's roofs, the B200's grouped GEMMs'
  // weights streaming serially (b200.yaml grouped_gemm_time; docs/formulas.md#grouped_gemm_time).
  const RuntimeTerms library =
      at_library_roofs(load_runtime(test::source_path("runtime_profiles/trtllm.yaml")).terms);
  const std::vector<MoeRow> ep8 =
      moe_rows("flashinfer-ai/flashinfer commit c9172e6aac70486d470c8b8d5d9b7455e9838359 ");
  const std::vector<MoeRow> ep1 =
      moe_rows("flashinfer-ai/flashinfer commit 59b1516a2167ffe430ace53412df4838c24ffaa8 ");
  REQUIRE(ep8.size() == 13);
  REQUIRE(ep1.size() == 6);
  CHECK(ep8.front().line == 425);
  CHECK(ep1.front().line == 438);
  CHECK(ep1.back().line == 443);
  const auto error_of = [&](const MoeRow& r, int local_experts) {
    const double engine_s = deepseek_fused_moe_s(library, r.tokens, local_experts, 8 * local_experts / 256);
    INFO("line " << r.line << ": " << local_experts << " experts, " << r.tokens << " tokens: measured "
                 << r.measured_s * 1e6 << " us, engine " << engine_s * 1e6 << " us");
    return engine_s / r.measured_s - 1.0;  // time domain: < 0 is faster than measured
  };
  for (const MoeRow& r : ep1) {
    const double error = error_of(r, 256);
    INFO("line " << r.line << ": " << error * 100 << " %");
    if (r.tokens >= 512) {
      // 512-4096 tokens set the form with the GB200's lines 453 and 455-457 (validation/published/
      // fit_split.md): -3.0 %, +6.9 %, -1.5 %, -8.1 % then. With the larger of the two times they were -14 %,
      // -15 %, -18 %, -32 %, short by about the compute time (2 x 4096 x 8 x 44 M weights = 2.9 TFLOP at 4096
      // tokens, 0.51 ms at the fp4 roof, beside the weights' 0.96 ms); with their sum -1.6, +9.6, +3.2, -1.5
      // %. Since the grouped GEMM's mean rows are tiled whole (tiled_rows: 16.0000014 rows an expert at 512
      // tokens had been padded to a 32-row tile, 32.0000001 at 1024 to 64): -9.5 %, -5.3 %, -1.5 %, -8.1 %.
      CHECK(std::abs(error) <= 0.10);
    } else {
      // Checks: 128 and 256 tokens, 4 and 8 rows an expert, every expert's weights (6.34 GB) streamed, +13 %
      // and +14 % (slow): the kernel streams them at 0.93 of the spec bandwidth (6.34 GB in 890 us) where the
      // profile's memory share is an estimate of 0.86. Pins the error.
      CHECK(error > 0.10);
      CHECK(error < 0.16);
    }
  }
  for (const MoeRow& r : ep8) {
    const double error = error_of(r, 32);
    INFO("line " << r.line << ": " << error * 100 << " %");
    if (r.tokens >= 64) {
      // Checks: 128-4096 tokens within 15 % (-14.1 % to +3.3 %; within 12 % before the mean rows were tiled
      // whole, which took 512 and 1024 tokens' 16.0000005 and 32.0000001 rows an expert off a doubled row
      // tile), 64 tokens -17.9 %. With the larger of the two times they were -15 to -25 %, with their sum
      // -11.5 to +9.9 %.
      CHECK(std::abs(error) <= 0.18);
      if (r.tokens >= 128) CHECK(std::abs(error) <= 0.15);
    } else {
      // 1-32 tokens: 20-54 % fast. The call's fixed cost (37 us at one token against the engine's 28 us, of
      // which 12 us are its six kernels' 2 us each; TRTLLM falls back to its default tactic below 8 tokens,
      // the description says) is not modelled. Pins the error.
      CHECK(error < -0.19);
      CHECK(error > -0.55);
    }
  }
}

TEST_CASE("vLLM's fused MoE kernel against the engine's MoE layer: Mixtral-8x7B at tp 2 on an H100 SXM") {
  // vllm-project/vllm pull request #24700, "Benchmarks on H100", Mixtral BF16 with the tuned configuration
  // (CSV lines 377-391): 1 to 1536 tokens through the tp 2 shard of a layer (8 experts of 7168, top-2).
  const ModelSpec m = load_model(test::source_path("model_configs/mixtral-8x7b.yaml"));
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  const RuntimeTerms vllm = load_runtime(test::source_path("runtime_profiles/vllm.yaml")).terms;
  REQUIRE(vllm.moe_gemm_efficiency == 0.69);
  RuntimeTerms library = vllm;  // the same runtime with its MoE GEMMs at the library's rate
  library.moe_gemm_efficiency = 1.0;
  const std::vector<MoeRow> rows = moe_rows("vllm-project/vllm pull request #24700 ");
  REQUIRE(rows.size() == 15);
  CHECK(rows.front().line == 377);
  CHECK(rows.back().line == 391);
  for (const MoeRow& r : rows) {
    const double engine_s = moe_layer_s(m, hw, vllm, 2, r.tokens);
    const double error = engine_s / r.measured_s - 1.0;  // time domain: < 0 is faster than measured
    const double without = moe_layer_s(m, hw, library, 2, r.tokens) / r.measured_s - 1.0;
    INFO("line " << r.line << ": " << r.tokens << " tokens, measured " << r.measured_s * 1e6 << " us, engine "
                 << engine_s * 1e6 << " us (" << error * 100 << " %; at the library's rate " << without * 100
                 << " %)");
    if (r.tokens <= 256) {
      // Checks, not fitted: up to 64 rows an expert the layer streams the weights of the experts it touches
      // (1.41 GB when all 8 of the tp 2 shard are), memory-bound, and the term does not apply: within 10 %
      // (the worst is the single token, 130 against 144 us).
      CHECK(std::abs(error) <= 0.10);
      CHECK(without == Approx(error).margin(1e-9));
    } else if (r.tokens == 512) {
      // 128 rows an expert: the two GEMMs' memory time (0.49 ms at the profile's 2.98 TB/s) and compute time
      // (0.39 ms at the share) are close, and the kernel reaches neither roof (the loss DeepGEMM's masked
      // rows show, docs/formulas.md#grouped_gemm): 20 % faster than measured, with or without the term. Pins
      // today's known error.
      CHECK(error == Approx(-0.20).margin(0.01));
    } else {
      // 1024 and 1536 tokens (256 and 384 rows an expert, compute-bound) set the share 0.69, least squares of
      // the log time: -6.5 % and +6.6 % (validation/published/fit_split.md). At the library's rate they were
      // -31 % and -24 %.
      CHECK(std::abs(error) <= 0.07);
      CHECK(without < -0.20);
    }
  }
}

TEST_CASE("vLLM's fused MoE kernel against the engine's MoE layer: a Gemma 4 MoE shape on an H200 (checks)") {
  // vllm-project/vllm pull request #44818 (CSV lines 392-396): 128 experts of 704, top-8, hidden 2816, bf16,
  // the tuned configuration, 1024 to 4096 tokens on one H200. The layer's other shapes do not enter the MoE
  // call, so Qwen3-30B-A3B's file (128 experts, top-8) stands for it with Gemma 4's widths and GELU.
  ModelSpec m = load_model(test::source_path("model_configs/qwen3-30b-a3b.yaml"));
  m.hidden_size = 2816;
  m.moe.expert_intermediate_size = 704;
  m.activation = Activation::gelu;
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h200-sxm.yaml"));
  const RuntimeTerms vllm = load_runtime(test::source_path("runtime_profiles/vllm.yaml")).terms;
  RuntimeTerms library = vllm;
  library.moe_gemm_efficiency = 1.0;
  const std::vector<MoeRow> rows = moe_rows("vllm-project/vllm pull request #44818 ");
  REQUIRE(rows.size() == 5);
  CHECK(rows.front().line == 392);
  double sum_abs = 0.0, sum = 0.0, sum_abs_without = 0.0;
  for (const MoeRow& r : rows) {
    const double error = moe_layer_s(m, hw, vllm, 1, r.tokens) / r.measured_s - 1.0;
    const double without = moe_layer_s(m, hw, library, 1, r.tokens) / r.measured_s - 1.0;
    INFO("line " << r.line << ": " << r.tokens << " tokens: " << error * 100 << " % (at the library's rate "
                 << without * 100 << " %)");
    // Set nothing. Each within 25 %: the engine pads each expert's 128 < m < 256 rows to two 128-row tiles
    // (3072 tokens: 192 rows, +10 %) where a tuned kernel picks its row block, and is 23 % fast at 2048
    // tokens (128 rows: one full tile).
    CHECK(std::abs(error) <= 0.25);
    sum_abs += std::abs(error);
    sum += error;
    sum_abs_without += std::abs(without);
  }
  // Mean absolute error 12.4 % (signed -8.4 %), where the library's rate gives 21 % (all fast).
  CHECK(sum_abs / 5.0 <= 0.13);
  CHECK(sum / 5.0 == Approx(-0.084).margin(0.01));
  CHECK(sum_abs_without / 5.0 > 0.20);
}

TEST_CASE("The runtime's MoE kernel share scales the compute time of the experts' GEMMs only") {
  // Mixtral-8x7B on the ideal A100 (efficiencies 1, no launch cost, no GEMM tiling: fixtures.hpp), one
  // prefill of 4096 tokens: 8192 routed rows. Each expert GEMM's FLOPs: up 2 x 8192 x 4096 x 28672 =
  // 1,924,145,348,608; down 2 x 8192 x 14336 x 4096 = 962,072,674,304. Their bytes (8 experts' bf16 weights,
  // 1.88 GB up and 0.94 GB down, plus the rows: 2.42 and 1.24 GB) take 1.19 and 0.61 ms at 2.039 TB/s, their
  // compute at the bf16 peak of 312 TFLOP/s 6.17 and 3.08 ms: compute-bound. At a share of 0.5 each takes
  // twice its compute time: the prefill grows by (1,924,145,348,608 + 962,072,674,304) / 312e12 = 9.2507 ms
  // a layer, 32 layers.
  RuntimeTerms half;
  half.moe_gemm_efficiency = 0.5;
  const ModelSpec m = test::mixtral_8x7b();
  CHECK(ideal_ttft_s(m, 4096, half) - ideal_ttft_s(m, 4096, {}) ==
        Approx(32 * (1924145348608.0 + 962072674304.0) / 312e12));
  // The stream share leaves a compute-bound expert GEMM alone.
  RuntimeTerms half_stream;
  half_stream.moe_gemm_stream_efficiency = 0.5;
  CHECK(ideal_ttft_s(m, 4096, half_stream) == Approx(ideal_ttft_s(m, 4096, {})));
  // A dense model has no expert GEMMs: the share changes nothing.
  CHECK(ideal_ttft_s(test::llama2_7b(), 2048, half) == ideal_ttft_s(test::llama2_7b(), 2048, {}));
}

TEST_CASE("The runtime's MoE stream share scales the experts' weight streaming only") {
  // Mixtral-8x7B on the ideal A100 (efficiencies 1, no launch cost, no GEMM tiling: fixtures.hpp), one
  // prefill of one token: 2 rows, one in each of 2 experts (top-2). Their bytes, bf16:
  //   up:   weights 2 x 4096 x 28672 x 2 = 469,762,048; rows in 2 x 4096 x 2 = 16,384; out 2 x 28672 x 2 =
  //         114,688
  //   down: weights 2 x 14336 x 4096 x 2 = 234,881,024; rows in 2 x 14336 x 2 = 57,344; out 2 x 4096 x 2 =
  //         16,384
  // 704,847,872 B in all, 0.346 ms at 2.039 TB/s, against 2 x 2 x 4096 x 28672 + 2 x 2 x 14336 x 4096 FLOPs
  // = 0.704 GFLOP, 2.3 us at 312 TFLOP/s: memory-bound. At a share of 0.5 the weights (704,643,072 B) stream
  // in twice their time and the rows as before: the prefill grows by 704,643,072 / 2.039e12 a layer, 32
  // layers.
  RuntimeTerms half_stream;
  half_stream.moe_gemm_stream_efficiency = 0.5;
  const ModelSpec m = test::mixtral_8x7b();
  CHECK(ideal_ttft_s(m, 1, half_stream) - ideal_ttft_s(m, 1, {}) == Approx(32 * 704643072.0 / 2.039e12));
  // A share for the device by its profile's name ("ideal-a100", fixtures.hpp) replaces the runtime's own
  // there, and only there: 0.5 for this device over a runtime share of 1 grows the prefill by the same.
  RuntimeTerms half_here;
  half_here.moe_gemm_stream_efficiency_by_hardware = {{"ideal-a100", 0.5}};
  CHECK(ideal_ttft_s(m, 1, half_here) - ideal_ttft_s(m, 1, {}) == Approx(32 * 704643072.0 / 2.039e12));
  RuntimeTerms half_elsewhere;
  half_elsewhere.moe_gemm_stream_efficiency_by_hardware = {{"h100-sxm", 0.5}};
  CHECK(ideal_ttft_s(m, 1, half_elsewhere) == ideal_ttft_s(m, 1, {}));
  // Over a runtime share of 0.5, the device's 1 undoes it.
  RuntimeTerms full_here = half_stream;
  full_here.moe_gemm_stream_efficiency_by_hardware = {{"ideal-a100", 1.0}};
  CHECK(ideal_ttft_s(m, 1, full_here) == ideal_ttft_s(m, 1, {}));
  // The compute share leaves a memory-bound expert GEMM alone.
  RuntimeTerms half;
  half.moe_gemm_efficiency = 0.5;
  CHECK(ideal_ttft_s(m, 1, half) == Approx(ideal_ttft_s(m, 1, {})));
  // A dense model has no expert GEMMs: the share changes nothing.
  CHECK(ideal_ttft_s(test::llama2_7b(), 16, half_stream) == ideal_ttft_s(test::llama2_7b(), 16, {}));
}

TEST_CASE("The runtime's MoE module fixed time adds once a MoE layer's call, on the named device only") {
  // Mixtral-8x7B on the ideal A100 (efficiencies 1, no launch cost: fixtures.hpp), 32 layers, each with one
  // call of the MoE module. A fixed 50 us a call for this device ("ideal-a100") adds 32 x 50 us to one
  // prefill, whatever its tokens (the module is called once a layer), and the same to every decode step:
  // the top-k that carries it is memory-bound (at 4096 tokens it reads each token's 8 bf16 logits and writes
  // its top-2, 32 B a token, 131,072 B in 64 ns, and computes 5 x 4096 x 8 = 163,840 FLOP), so the 50 us add
  // to its time whole.
  RuntimeTerms fixed_here;
  fixed_here.moe_module_fixed_s_by_hardware = {{"ideal-a100", 50e-6}};
  const ModelSpec m = test::mixtral_8x7b();
  CHECK(ideal_ttft_s(m, 1, fixed_here) - ideal_ttft_s(m, 1, {}) == Approx(32 * 50e-6));
  CHECK(ideal_ttft_s(m, 4096, fixed_here) - ideal_ttft_s(m, 4096, {}) == Approx(32 * 50e-6));
  Scenario decode = test::scenario(4, 128, 64);
  const double tpot_s = estimate(m, test::ideal_a100(), decode).tpot_s;
  decode.runtime = fixed_here;
  CHECK(estimate(m, test::ideal_a100(), decode).tpot_s - tpot_s == Approx(32 * 50e-6));
  // Named for another device, it adds nothing here; a dense model has no MoE module.
  RuntimeTerms fixed_elsewhere;
  fixed_elsewhere.moe_module_fixed_s_by_hardware = {{"b200", 50e-6}};
  CHECK(ideal_ttft_s(m, 1, fixed_elsewhere) == ideal_ttft_s(m, 1, {}));
  CHECK(ideal_ttft_s(test::llama2_7b(), 16, fixed_here) == ideal_ttft_s(test::llama2_7b(), 16, {}));
}

TEST_CASE("FlashInfer's CUTLASS and TRTLLM-Gen MoE on a GB200") {
  // flashinfer-ai/flashinfer pull request #2529 (commit b0f1c960, "tested on GB200"; CSV lines 444-450 the
  // CUTLASS column, 451-457 the TRTLLM gen column): DeepSeek-V3's routed MoE (hidden 7168, intermediate 2048,
  // top-8) in nvfp4 through cutlass_fused_moe (TensorRT-LLM's CUTLASS MoE, the trtllm profile's backend) and
  // trtllm_fp4_block_scale_moe, the activations quantized before the timed call. The script's unscaled random
  // routing bias sends most tokens to the same few experts: 8, 16, 27, 28, 28, 28 and 37 of the 256 reached
  // at 1, 8, 512, 1024, 2048, 4096 and 8192 tokens (pull request #2678's histogram of the same inputs), each
  // token choosing 8 of them (deepseek_fused_moe_s).
  const RuntimeTerms trtllm = load_runtime(test::source_path("runtime_profiles/trtllm.yaml")).terms;
  REQUIRE(trtllm.moe_gemm_efficiency == 0.66);
  REQUIRE(moe_gemm_stream_share(trtllm, "gb200") == 1.0);
  REQUIRE(moe_module_fixed_s(trtllm, "gb200") == Approx(38e-6));
  const RuntimeTerms library =
      at_library_roofs(trtllm);  // TRTLLM-Gen: the grouped GEMMs at the hardware profile's roofs
  const std::string source =
      "flashinfer-ai/flashinfer commit b0f1c9602623804c0848af35b7860a86d0e38a97 (pull request #2529, "
      "nv-yunzheq, 2026-02-16, 'Chore: Cute dsl moe update (TMA.RED implementation)'; its description's perf "
      "table, the ";
  const std::vector<MoeRow> cutlass = moe_rows(source + "CUTLASS column)");
  const std::vector<MoeRow> gen = moe_rows(source + "TRTLLM gen column)");
  REQUIRE(cutlass.size() == 7);
  REQUIRE(gen.size() == 7);
  CHECK(cutlass.front().line == 444);
  CHECK(gen.front().line == 451);
  CHECK(gen.back().line == 457);
  const std::vector<double> tokens = {1, 8, 512, 1024, 2048, 4096, 8192};
  const std::vector<int> reached = {8, 16, 27, 28, 28, 28, 37};
  const char* gb200 = "hardware_profiles/gb200.yaml";
  double sum_log = 0.0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    REQUIRE(cutlass[i].tokens == tokens[i]);
    REQUIRE(gen[i].tokens == tokens[i]);
    const double cutlass_s = deepseek_fused_moe_s(trtllm, tokens[i], reached[i], 8, gb200);
    const double gen_s = deepseek_fused_moe_s(library, tokens[i], reached[i], 8, gb200);
    const double cutlass_error = cutlass_s / cutlass[i].measured_s - 1.0;  // time domain: < 0 is fast
    const double gen_error = gen_s / gen[i].measured_s - 1.0;
    INFO(tokens[i] << " tokens: CUTLASS " << cutlass[i].measured_s * 1e6 << " us, the engine at the trtllm "
                   << "shares " << cutlass_s * 1e6 << " us (" << cutlass_error * 100 << " %); TRTLLM-Gen "
                   << gen[i].measured_s * 1e6 << " us, the engine at the library's roofs " << gen_s * 1e6
                   << " us (" << gen_error * 100 << " %)");
    if (tokens[i] >= 2048) {
      // CUTLASS at 2048, 4096 and 8192 tokens (585 to 1771 rows an expert reached: compute-bound) set the
      // trtllm profile's compute share (validation/published/fit_split.md), least squares of the log time:
      // 0.787 with the stream share that lines 417, 421 and 424 set (0.39), rounded to 0.79 (+7.7 %, -0.9 %,
      // -6.9 %; 1.008 when the grouped GEMMs added their times); refitted on these rows when the GB200 took
      // its own module terms (stream share 1.0 and 38 us a call, set on lines 1235-1250; the section of
      // 2026-12-07, twelfth session): 0.656, written 0.66: +1.3 %, +0.9 %, -3.2 %.
      CHECK(std::abs(cutlass_error) <= 0.05);
      sum_log += std::log(cutlass_s / cutlass[i].measured_s);
    } else if (tokens[i] >= 512) {
      // Checks: 512 and 1024 tokens, +6.2 % and +2.0 % (+31.9 % and +17.5 % with the runtime's stream share
      // of 0.39 and no fixed time on this device). Pins the error.
      CHECK(cutlass_error > 0.0);
      CHECK(cutlass_error < 0.09);
    } else {
      // 1 and 8 tokens: -18.5 % and -14.8 % (-11.6 % and +24.3 % before the GB200's own terms): the module's
      // fixed time, 38 us, short of the 99 us measured at one token here. Pins the error.
      CHECK(cutlass_error < -0.10);
      CHECK(cutlass_error > -0.25);
    }
    // TRTLLM-Gen: at 512, 2048, 4096 and 8192 tokens these set the GB200's and the B200's grouped GEMM form
    // (weights_serial) with the B200's lines 440-443 (validation/published/fit_split.md): -5.2, -2.2, +9.6,
    // +4.8 %. Few experts take many rows each here, so the compute leads: their sum gave +0.8, +16.2, +41.6,
    // +38.4 %, the larger of the two times -40, -20, -2, -3 %. Checks: 1024 tokens -37.3 %, a measured time
    // above 2048 tokens' (576 against 555 us); 1 and 8 tokens -20.6 and -20.5 %, the call's fixed cost. Pins
    // today's known errors.
    if (tokens[i] == 512 || tokens[i] >= 2048) CHECK(std::abs(gen_error) <= 0.10);
    if (tokens[i] == 1024) CHECK(gen_error == Approx(-0.373).margin(0.01));
    if (tokens[i] <= 8) CHECK(gen_error == Approx(-0.205).margin(0.01));
  }
  // The three fit rows' mean log error at the share 0.66 (the least-squares share 0.656).
  CHECK(std::abs(sum_log / 3.0) <= 0.005);
}

namespace {

// What a grouped GEMM form (GroupedGemmTime) adds to Mixtral-8x7B on the ideal A100 (efficiencies 1, no
// launch cost, no GEMM tiling: fixtures.hpp) against the roofline's larger of the two times: to one prefill
// of 4096 tokens, to TPOT (the decode span's affine sum, docs/formulas.md#sum_max_affine) and to one decode
// step at the mean context (timed operator by operator) of one sequence of 512 + 64 tokens; and whether a
// dense model's prefill is unchanged.
struct FormGrowth {
  double prefill_s = 0.0;
  double tpot_s = 0.0;
  double step_s = 0.0;
  bool dense_unchanged = false;
};

FormGrowth growth_under(GroupedGemmTime form) {
  HardwareSpec hw = test::ideal_a100();
  hw.grouped_gemm_time = form;
  const HardwareSpec roofline = test::ideal_a100();
  const ModelSpec m = test::mixtral_8x7b();
  const Scenario prefill = test::scenario(1, 4096, 1);
  const Scenario decode = test::scenario(1, 512, 65);
  const Scenario dense = test::scenario(1, 2048, 1);
  const Estimate d = estimate(m, hw, decode);
  const Estimate d0 = estimate(m, roofline, decode);
  return {
      estimate(m, hw, prefill).ttft_s - estimate(m, roofline, prefill).ttft_s, d.tpot_s - d0.tpot_s,
      d.decode_step.time_s - d0.decode_step.time_s,
      estimate(test::llama2_7b(), hw, dense).ttft_s == estimate(test::llama2_7b(), roofline, dense).ttft_s};
}

}  // namespace

TEST_CASE("Grouped GEMMs that add their times: each expert GEMM takes its compute plus its memory time") {
  // One prefill of 4096 tokens is compute-bound (the share test above): each expert GEMM's time grows by its
  // memory time, its bytes at 2.039 TB/s: up 1,879,048,192 (8 experts' weights) + 67,108,864 (8192 rows of
  // 4096) + 469,762,048 (8192 rows of 28672) = 2,415,919,104; down 939,524,096 + 234,881,024 + 67,108,864 =
  // 1,241,513,984; 32 layers.
  const FormGrowth g = growth_under(GroupedGemmTime::sum);
  CHECK(g.prefill_s == Approx(32 * (2415919104.0 + 1241513984.0) / 2.039e12));
  // A decode step of one sequence is memory-bound: each step grows by the two routed rows' compute, 2 x 2 x
  // 4096 x 28672 + 2 x 2 x 14336 x 4096 = 704,643,072 FLOPs a layer at 312 TFLOP/s, 32 layers.
  CHECK(g.tpot_s == Approx(32 * 704643072.0 / 312e12));
  CHECK(g.step_s == Approx(32 * 704643072.0 / 312e12));
  // A dense model has no grouped GEMMs: nothing changes.
  CHECK(g.dense_unchanged);
}

TEST_CASE("Grouped GEMMs whose weights stream serially: the weights' time adds to the larger of the rest") {
  // One prefill of 4096 tokens is compute-bound (the share test above: 6.17 and 3.08 ms of compute against
  // the rows' 0.26 and 0.15 ms): each expert GEMM's time grows by its weights' time alone, 1,879,048,192 (up,
  // 8 experts) and 939,524,096 (down) bytes at 2.039 TB/s, 32 layers.
  const FormGrowth g = growth_under(GroupedGemmTime::weights_serial);
  CHECK(g.prefill_s == Approx(32 * (1879048192.0 + 939524096.0) / 2.039e12));
  // A decode step of one sequence is memory-bound: 2 rows, their weights 469,762,048 (up) and 234,881,024
  // (down) bytes, the rows' own bytes 16,384 + 114,688 (up) and 57,344 + 16,384 (down). Each GEMM takes its
  // weights' time plus the larger of its compute (2 x 2 x 4096 x 28672 and 2 x 2 x 14336 x 4096 FLOPs at 312
  // TFLOP/s) and its rows' time, where the roofline took its bytes' time: each step grows by the compute less
  // the rows' time, 32 layers, in TPOT's affine sum and in the step timed operator by operator alike.
  const double growth_s = 32 * (704643072.0 / 312e12 - (131072.0 + 73728.0) / 2.039e12);
  CHECK(g.tpot_s == Approx(growth_s));
  CHECK(g.step_s == Approx(growth_s));
  CHECK(g.dense_unchanged);
}

namespace {

// One fused MoE call of the TensorRT-LLM 1.2.0rc5 MoE module at `tokens` tokens as the engine times it under
// the trtllm profile: the fused MoE operators (in_fused_moe) of one MoE layer of a prefill of `model_file`
// on `hardware_file`, in `quant` (empty: the checkpoint's own dtypes, bf16 for these models). With
// `local_experts`, the collector's expert parallelism on one GPU (moe_ep: E / local experts of the E, every
// expert receiving tokens x k / E rows) is written as a model of `local_experts` experts each token choosing
// one, as deepseek_fused_moe_s above writes it. With `ffn_ways`, its tensor parallelism of each expert
// (moe_tp) as the one GPU's slice: every expert 1/ffn_ways as wide. A table's shape that no shipped model
// has is the model's layout with `experts`, `experts_per_token` and `expert_intermediate` (0: the model's;
// not beside `local_experts`). The collector's routing is balanced (collector/helper.py balanced_logits),
// and so is the engine's here.
double trtllm_moe_call_s(const char* model_file, const char* hardware_file, const std::string& quant,
                         double tokens, int local_experts = 0, int ffn_ways = 1, int experts = 0,
                         int experts_per_token = 0, int expert_intermediate = 0) {
  if (local_experts > 0) {
    const ModelSpec m = load_model(test::source_path(model_file));
    REQUIRE(experts == 0);
    REQUIRE(experts_per_token == 0);
    REQUIRE(m.moe.experts / local_experts == m.moe.experts_per_token);  // one routed row a token is local
  }
  const RuntimeTerms trtllm = load_runtime(test::source_path("runtime_profiles/trtllm.yaml")).terms;
  return fused_moe_call_s(
      trtllm, model_file, hardware_file, quant, tokens, local_experts > 0 ? local_experts : experts,
      local_experts > 0 ? 1 : experts_per_token, ffn_ways, expert_intermediate, MoeRouting::balanced);
}

// The MoE-module rows of NVIDIA's collected tables (ai-dynamo/aiconfigurator @ 095f58a5) on CSV lines `first`
// to `last`, every line among them one.
std::vector<MoeRow> aiconfigurator_rows(int first, int last) {
  const auto rows =
      moe_rows("ai-dynamo/aiconfigurator @ 095f58a51c4ca8e61b66ec108d86f223f8d559ce", first, last);
  REQUIRE(rows.size() == static_cast<std::size_t>(last - first + 1));
  CHECK(rows.front().line == first);
  CHECK(rows.back().line == last);
  return rows;
}

// One case of a table of TensorRT-LLM's MoE module (aiconfigurator): the model whose layout the row's shape
// takes, the band of today's error, and the shape and slice the table gives beside it.
struct ModuleCase {
  const char* model;
  double lo, hi;                // today's error band
  int experts = 0;              // the routed experts as the table writes them (0: the model's)
  int experts_per_token = 0;    // (0: the model's)
  int expert_intermediate = 0;  // (0: the model's)
  int local_experts = 0;        // expert parallelism on one GPU: the GPU's experts (0: all)
  int ffn_ways = 1;             // tensor parallelism of each expert: one rank's slice
};

const char* const qwen30 = "model_configs/qwen3-30b-a3b.yaml";
const char* const qwen235 = "model_configs/qwen3-235b-a22b.yaml";
const char* const mixtral = "model_configs/mixtral-8x7b.yaml";
const char* const mixtral22 = "model_configs/mixtral-8x22b.yaml";
const char* const deepseek = "model_configs/deepseek-v3.yaml";
const char* const scout = "model_configs/llama-4-scout-17b-16e.yaml";
const char* const maverick = "model_configs/llama-4-maverick-17b-128e.yaml";

// Each row's error (the time domain, < 0 fast) against the engine's nvfp4 module call on `hardware`
// (trtllm_moe_call_s), within its case's band.
void check_module_rows(const std::vector<MoeRow>& rows, const std::vector<ModuleCase>& cases,
                       const char* hardware) {
  REQUIRE(cases.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const ModuleCase& c = cases[i];
    const double predicted_s =
        trtllm_moe_call_s(c.model, hardware, "nvfp4", rows[i].tokens, c.local_experts, c.ffn_ways, c.experts,
                          c.experts_per_token, c.expert_intermediate);
    const double error = predicted_s / rows[i].measured_s - 1.0;
    INFO("line " << rows[i].line << ": " << c.model << " ways " << c.ffn_ways << " local " << c.local_experts
                 << ", " << rows[i].tokens << " tokens: measured " << rows[i].measured_s * 1e6
                 << " us, the engine " << predicted_s * 1e6 << " us (" << error * 100 << " %)");
    CHECK(error >= c.lo);
    CHECK(error <= c.hi);
  }
}

}  // namespace

TEST_CASE("TensorRT-LLM 1.2.0rc5's CUTLASS MoE module (aiconfigurator) against the engine") {
  // Lines 458-487 of validation/published/published_measurements.csv: NVIDIA's collected latencies of the
  // TensorRT-LLM MoE module, CUTLASS backend, balanced routing (ai-dynamo/aiconfigurator @ 095f58a5, the
  // 1.2.0rc5 moe_perf tables of a B200 and an H200). Added before any term uses them and judged by the model
  // as it stood (validation/published/fit_split.md, the section of 2026-12-05); checks since. Each band below
  // records today's error (the time domain, < 0 fast), so that a change of the model that moves a row shows
  // here. The B200's rows moved with the B200's own CUTLASS module terms (stream share 0.84 and 44 us a call,
  // set by lines 1096-1111: fit_split.md, the section of 2026-12-06, eighth session); their error as the
  // model stood before them is in that section. All moved again when the runtime's compute share was
  // refitted (0.79 -> 0.66), the stream share (0.39 -> 0.40) and the B200's fixed time (44 -> 42 us) with it
  // (the section of 2026-12-07, twelfth session): the compute-bound rows (4096 tokens and more, Mixtral's)
  // slower by up to 20 points.
  struct Case {
    const char* model;
    const char* hardware;
    const char* quant;
    int local_experts;
    double lo, hi;  // today's error band
    int ffn_ways = 1;
  };
  const auto rows = aiconfigurator_rows(458, 487);
  // Rows in the CSV's order: four shapes in nvfp4 on the B200 at 256, 1024, 4096, 16384 tokens;
  // Qwen3-30B-A3B's shape in bf16 and fp8 on the B200 at 1024, 4096, 16384; Qwen3-235B-A22B's with expert
  // parallelism 8 in fp8 on the H200 at 256, 1024, 4096, 16384; the same with tensor parallelism 8 of each
  // expert (lines 484-487, added after lines 458-483 and before the layout that runs it: a one-GPU slice
  // needs none).
  const char* b200 = "hardware_profiles/b200.yaml";
  const char* h200 = "hardware_profiles/h200-sxm.yaml";
  const std::vector<Case> cases = {
      // Qwen3-30B-A3B (hidden 2048, intermediate 768): fast, -10 % at 256 tokens to -47 % at 16384 (was +8 %
      // at 256 tokens).
      {"model_configs/qwen3-30b-a3b.yaml", b200, "nvfp4", 0, -0.14, -0.07},
      {"model_configs/qwen3-30b-a3b.yaml", b200, "nvfp4", 0, -0.24, -0.17},
      {"model_configs/qwen3-30b-a3b.yaml", b200, "nvfp4", 0, -0.39, -0.32},
      {"model_configs/qwen3-30b-a3b.yaml", b200, "nvfp4", 0, -0.50, -0.43},
      // Qwen3-235B-A22B (hidden 4096, intermediate 1536): +13 % at 256 tokens to -8 % at 16384 (was +92 to
      // -9).
      {"model_configs/qwen3-235b-a22b.yaml", b200, "nvfp4", 0, 0.08, 0.15},
      {"model_configs/qwen3-235b-a22b.yaml", b200, "nvfp4", 0, 0.07, 0.14},
      {"model_configs/qwen3-235b-a22b.yaml", b200, "nvfp4", 0, -0.01, 0.06},
      {"model_configs/qwen3-235b-a22b.yaml", b200, "nvfp4", 0, -0.11, -0.04},
      // DeepSeek-V3 (hidden 7168, intermediate 2048, 256 experts): -26 % to +9 % (was -2 % to +60 %).
      {"model_configs/deepseek-v3.yaml", b200, "nvfp4", 0, -0.30, -0.23},
      {"model_configs/deepseek-v3.yaml", b200, "nvfp4", 0, -0.22, -0.15},
      {"model_configs/deepseek-v3.yaml", b200, "nvfp4", 0, 0.06, 0.13},
      {"model_configs/deepseek-v3.yaml", b200, "nvfp4", 0, -0.16, -0.09},
      // Mixtral-8x7B (8 experts, top-2, intermediate 14336): slow at every size, +43 to +64 % (was +34 to
      // +103).
      {"model_configs/mixtral-8x7b.yaml", b200, "nvfp4", 0, 0.40, 0.47},
      {"model_configs/mixtral-8x7b.yaml", b200, "nvfp4", 0, 0.60, 0.67},
      {"model_configs/mixtral-8x7b.yaml", b200, "nvfp4", 0, 0.49, 0.56},
      {"model_configs/mixtral-8x7b.yaml", b200, "nvfp4", 0, 0.46, 0.53},
      // Qwen3-30B-A3B in bf16 (slow) and fp8 (fast from 4096 on): the measured times barely depend on the
      // dtype.
      {"model_configs/qwen3-30b-a3b.yaml", b200, "", 0, 0.34, 0.41},
      {"model_configs/qwen3-30b-a3b.yaml", b200, "", 0, 0.39, 0.46},
      {"model_configs/qwen3-30b-a3b.yaml", b200, "", 0, 0.22, 0.29},
      {"model_configs/qwen3-30b-a3b.yaml", b200, "fp8", 0, 0.01, 0.08},
      {"model_configs/qwen3-30b-a3b.yaml", b200, "fp8", 0, -0.18, -0.11},
      {"model_configs/qwen3-30b-a3b.yaml", b200, "fp8", 0, -0.35, -0.28},
      // Qwen3-235B-A22B, 16 local experts, fp8 on the H200: slow, +75 and +44 % to 1024 tokens, +1 and +17 %
      // at 4096 and 16384.
      {"model_configs/qwen3-235b-a22b.yaml", h200, "fp8", 16, 0.72, 0.78},
      {"model_configs/qwen3-235b-a22b.yaml", h200, "fp8", 16, 0.41, 0.47},
      {"model_configs/qwen3-235b-a22b.yaml", h200, "fp8", 16, -0.02, 0.05},
      {"model_configs/qwen3-235b-a22b.yaml", h200, "fp8", 16, 0.14, 0.21},
      // The same, each expert 192 wide (moe_tp 8): slow at 256 tokens, fast from 4096 on (-11 % at 16384).
      {"model_configs/qwen3-235b-a22b.yaml", h200, "fp8", 0, 0.33, 0.40, 8},
      {"model_configs/qwen3-235b-a22b.yaml", h200, "fp8", 0, 0.03, 0.09, 8},
      {"model_configs/qwen3-235b-a22b.yaml", h200, "fp8", 0, -0.11, -0.05, 8},
      {"model_configs/qwen3-235b-a22b.yaml", h200, "fp8", 0, -0.14, -0.09, 8},
  };
  REQUIRE(cases.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Case& c = cases[i];
    const double predicted_s =
        trtllm_moe_call_s(c.model, c.hardware, c.quant, rows[i].tokens, c.local_experts, c.ffn_ways);
    const double error = predicted_s / rows[i].measured_s - 1.0;
    INFO("line " << rows[i].line << ": " << c.model << " " << (*c.quant ? c.quant : "bf16") << ", "
                 << rows[i].tokens << " tokens: measured " << rows[i].measured_s * 1e6 << " us, the engine "
                 << predicted_s * 1e6 << " us (" << error * 100 << " %)");
    CHECK(error >= c.lo);
    CHECK(error <= c.hi);
  }
}

TEST_CASE("FlashInfer's CUTLASS fused MoE on an RTX PRO 6000 (pull request #3014) against the engine") {
  // Lines 1066-1095 of validation/published/published_measurements.csv: FlashInfer's cutlass_fused_moe
  // (TensorRT-LLM's CUTLASS fused MoE, built for SM120) on an RTX PRO 6000, the "RTX P6K Before" column of
  // the table in flashinfer-ai/flashinfer commit 6248936f (pull request #3014): four routed-MoE shapes at 1,
  // 128 and 1024 tokens, no autotuning, routing from random logits (experts chosen about evenly, as the
  // engine's expected experts touched has it). Added before any term used them (validation/published/
  // fit_split.md, the section of 2026-12-06, fifth session); then the 128-token rows set the trtllm profile's
  // stream share on this device (moe_gemm_stream_efficiency_by_hardware, 0.90: least squares of the log
  // time), and the rest check it. Each band records today's error (the time domain, < 0 fast); as the model
  // stood before the share (0.39 here as on a B200): +142 to +154 % at 128 tokens for Maverick's shape, +129
  // to +141 % for DeepSeek-V3's, +58 and +88 % for the narrow shapes; +69 to +141 % at 1024 tokens.
  struct Case {
    const char* model;
    const char* quant;
    double lo, hi;  // today's error band
    int ffn_ways = 1;
    int expert_intermediate = 0;
  };
  const auto rows = moe_rows("flashinfer-ai/flashinfer commit 6248936f92a0076f9ea5cdc2e6a973597c80d634");
  REQUIRE(rows.size() == 30);
  CHECK(rows.front().line == 1066);
  CHECK(rows.back().line == 1095);
  const char* maverick = "model_configs/llama-4-maverick-17b-128e.yaml";
  const char* deepseek = "model_configs/deepseek-v3.yaml";
  const char* qwen = "model_configs/qwen3-30b-a3b.yaml";
  // Rows in the CSV's order: for Maverick's and DeepSeek-V3's shapes, at 1, 128 and 1024 tokens, fp16, fp8,
  // nvfp4 and fp16 with each expert split four ways (--tp_size 4, one rank's quarter); then Qwen3-30B-A3B's
  // shape and the same with intermediate 1536, nvfp4, at 1, 128 and 1024 tokens.
  const std::vector<Case> cases = {
      // Maverick's shape (hidden 5120, 128 experts of 8192, top-1) at 1 token: fp16, fp8, nvfp4, fp16 / 4;
      // fast: the CUTLASS path's fixed cost at a few tokens is not modelled
      // (docs/formulas.md#moe_gemm_kernel).
      {maverick, "fp16", -0.42, -0.36},
      {maverick, "fp8", -0.57, -0.51},
      {maverick, "nvfp4", -0.56, -0.50},
      {maverick, "fp16", -0.72, -0.66, 4},
      // At 128 tokens (about 81 experts reached, the weights nearly all the bytes): these set the share.
      {maverick, "fp16", 0.07, 0.13},
      {maverick, "fp8", 0.05, 0.11},
      {maverick, "nvfp4", 0.02, 0.08},
      {maverick, "fp16", 0.05, 0.11, 4},
      // At 1024 tokens (all 128 experts reached, 8 rows each).
      {maverick, "fp16", 0.01, 0.07},
      {maverick, "fp8", -0.01, 0.05},
      {maverick, "nvfp4", -0.03, 0.03},
      {maverick, "fp16", 0.00, 0.06, 4},
      // DeepSeek-V3's shape (hidden 7168, 256 experts of 2048, top-8) at 1, 128 (setting) and 1024 tokens.
      {deepseek, "fp16", -0.45, -0.39},
      {deepseek, "fp8", -0.28, -0.22},
      {deepseek, "nvfp4", -0.45, -0.40},
      {deepseek, "fp16", -0.47, -0.41, 4},
      {deepseek, "fp16", 0.02, 0.08},
      {deepseek, "fp8", 0.00, 0.06},
      {deepseek, "nvfp4", -0.03, 0.03},
      {deepseek, "fp16", -0.00, 0.06, 4},
      {deepseek, "fp16", -0.11, -0.05},
      {deepseek, "fp8", -0.04, 0.02},
      {deepseek, "nvfp4", -0.04, 0.02},
      {deepseek, "fp16", -0.02, 0.03, 4},
      // Qwen3-30B-A3B's shape (hidden 2048, 128 experts of 768, top-8), then intermediate 1536, nvfp4, at
      // 1, 128 (setting) and 1024 tokens: the narrow experts stream below the share.
      {qwen, "nvfp4", -0.65, -0.59},
      {qwen, "nvfp4", -0.30, -0.24},
      {qwen, "nvfp4", -0.10, -0.04},
      {qwen, "nvfp4", -0.60, -0.54, 1, 1536},
      {qwen, "nvfp4", -0.18, -0.12, 1, 1536},
      {qwen, "nvfp4", -0.07, -0.01, 1, 1536},
  };
  REQUIRE(cases.size() == rows.size());
  const RuntimeTerms trtllm = load_runtime(test::source_path("runtime_profiles/trtllm.yaml")).terms;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const Case& c = cases[i];
    const double predicted_s =
        fused_moe_call_s(trtllm, c.model, "hardware_profiles/rtx-pro-6000.yaml", c.quant, rows[i].tokens, 0,
                         0, c.ffn_ways, c.expert_intermediate);
    const double error = predicted_s / rows[i].measured_s - 1.0;
    INFO("line " << rows[i].line << ": " << c.model << " " << c.quant << " ways " << c.ffn_ways << ", "
                 << rows[i].tokens << " tokens: measured " << rows[i].measured_s * 1e6 << " us, the engine "
                 << predicted_s * 1e6 << " us (" << error * 100 << " %)");
    CHECK(error >= c.lo);
    CHECK(error <= c.hi);
  }
}

TEST_CASE(
    "TensorRT-LLM's CUTLASS MoE module at decode sizes (aiconfigurator, B200 and RTX PRO 6000): the B200's "
    "terms and their checks") {
  // Lines 1096-1153 of validation/published/published_measurements.csv: more of NVIDIA's collected latencies
  // of the TensorRT-LLM MoE module, CUTLASS backend, nvfp4, balanced routing (ai-dynamo/aiconfigurator @
  // 095f58a5): the B200's 1.2.0rc5 table (the source of lines 458-487) at 1 to 512 tokens for eight shapes,
  // and the RTX PRO 6000's 1.3.0rc20 table for the shapes of the RTX rows' models. Added before any term uses
  // them and judged by the model as it stood (validation/published/fit_split.md, the section of 2026-12-06,
  // seventh session, says which may set a term and which check it). Then lines 1096-1111 set the B200's own
  // terms of the module (the section of 2026-12-06, eighth session: stream share 0.84, 44 us a call; 42 us
  // since the runtime's compute share was refitted, the section of 2026-12-07, twelfth session), and the
  // rest check them. Each band records today's error (the time domain, < 0 fast) with the engine routing as
  // the collector did (balanced), so that a change of the model that moves a row shows here; the errors as
  // the model stood before the terms are in fit_split.md.
  using Case = ModuleCase;
  const auto rows = aiconfigurator_rows(1096, 1153);
  // B200 rows in the CSV's order: eight shapes at 16 and 64 tokens (lines 1096-1111), the same at 1 and 512
  // (1112-1127), then DeepSeek-V3's and Qwen3-235B-A22B's shapes with each expert split eight ways (moe_tp 8)
  // and with expert parallelism 8 (moe_ep 8) at 64 and 512 tokens (1128-1135). Shapes without a shipped model
  // are Mixtral-8x22B's layout (hidden 6144) with the table's experts, top-k and width.
  std::vector<Case> b200 = {
      // Set the B200's terms (fit_split.md): the eight shapes at 16 and 64 tokens, all experts on the GPU;
      // least squares of the log time, -37 to +27 % (before them +9 to +144 %, the runtime's share 0.39);
      // -36 to +28 % refitted with the compute share 0.66 (42 us).
      {qwen30, -0.04, 0.03},                  // line 1096: 16 tokens
      {qwen30, -0.08, -0.01},                 // line 1097: 64 tokens
      {qwen235, 0.11, 0.18},                  // line 1098: 16 tokens
      {qwen235, 0.09, 0.16},                  // line 1099: 64 tokens
      {mixtral, 0.21, 0.28},                  // line 1100: 16 tokens
      {mixtral, 0.24, 0.31},                  // line 1101: 64 tokens
      {mixtral22, -0.39, -0.32},              // line 1102: 16 tokens
      {mixtral22, -0.40, -0.33},              // line 1103: 64 tokens
      {deepseek, -0.38, -0.31},               // line 1104: 16 tokens
      {deepseek, -0.31, -0.24},               // line 1105: 64 tokens
      {deepseek, 0.11, 0.18, 384},            // line 1106: 16 tokens
      {deepseek, 0.16, 0.23, 384},            // line 1107: 64 tokens
      {mixtral22, 0.11, 0.18, 256, 8, 2048},  // line 1108: 16 tokens
      {mixtral22, 0.14, 0.21, 256, 8, 2048},  // line 1109: 64 tokens
      {mixtral22, 0.17, 0.24, 160, 8, 2560},  // line 1110: 16 tokens
      {mixtral22, 0.15, 0.22, 160, 8, 2560},  // line 1111: 64 tokens
      // Checks: the same shapes at 1 token (-42 to +26 %; before the terms -59 to +17 %) and at 512 tokens
      // (-24 to +58 %; before, +2 to +136 %; -25 to +49 % at the compute share 0.79).
      {qwen30, 0.17, 0.24},                     // line 1112: 1 tokens
      {qwen30, -0.18, -0.11},                   // line 1113: 512 tokens
      {qwen235, 0.25, 0.32},                    // line 1114: 1 tokens
      {qwen235, 0.06, 0.13},                    // line 1115: 512 tokens
      {mixtral, 0.25, 0.32},                    // line 1116: 1 tokens
      {mixtral, 0.55, 0.62},                    // line 1117: 512 tokens
      {mixtral22, -0.38, -0.31},                // line 1118: 1 tokens
      {mixtral22, 0.48, 0.55},                  // line 1119: 512 tokens
      {deepseek, -0.44, -0.37},                 // line 1120: 1 tokens
      {deepseek, -0.29, -0.22},                 // line 1121: 512 tokens
      {deepseek, -0.24, -0.17, 384},            // line 1122: 1 tokens
      {deepseek, 0.15, 0.22, 384},              // line 1123: 512 tokens
      {mixtral22, -0.15, -0.08, 256, 8, 2048},  // line 1124: 1 tokens
      {mixtral22, 0.12, 0.19, 256, 8, 2048},    // line 1125: 512 tokens
      {mixtral22, 0.01, 0.08, 160, 8, 2560},    // line 1126: 1 tokens
      {mixtral22, 0.19, 0.26, 160, 8, 2560},    // line 1127: 512 tokens
      // Checks: DeepSeek-V3's and Qwen3-235B-A22B's shapes sliced eight ways (moe_tp 8), then 32 and 16 local
      // experts of eight-way expert parallelism (moe_ep 8). The slices are fast, -56 to -32 % (before the
      // terms -39 to -30 %): the terms were set on whole experts, and a slice's narrow GEMMs stream more
      // slowly (not modelled); the local experts follow their shapes' whole rows (DeepSeek-V3's -34 and
      // -27 %, Qwen3-235B-A22B's +26 and +17 %).
      {deepseek, -0.59, -0.52, 0, 0, 0, 0, 8},  // line 1128: 64 tokens
      {deepseek, -0.56, -0.49, 0, 0, 0, 0, 8},  // line 1129: 512 tokens
      {deepseek, -0.37, -0.30, 0, 0, 0, 32},    // line 1130: 64 tokens
      {deepseek, -0.31, -0.24, 0, 0, 0, 32},    // line 1131: 512 tokens
      {qwen235, -0.35, -0.28, 0, 0, 0, 0, 8},   // line 1132: 64 tokens
      {qwen235, -0.37, -0.30, 0, 0, 0, 0, 8},   // line 1133: 512 tokens
      {qwen235, 0.25, 0.32, 0, 0, 0, 16},       // line 1134: 64 tokens
      {qwen235, 0.14, 0.21, 0, 0, 0, 16},       // line 1135: 512 tokens
  };
  // RTX PRO 6000 rows (1136-1153): Llama 4 Scout's shape with each expert split two and four ways, Maverick's
  // four ways, Qwen3-235B-A22B's two ways, Qwen3-30B-A3B's whole and four ways, at 64, 512 and 4096 tokens.
  // At 4096 tokens (compute-bound) slow, -2 to +61 % (-2 to +45 % at the compute share 0.79).
  std::vector<Case> rtx = {
      {scout, -0.11, -0.05, 0, 0, 0, 0, 2},     // line 1136: 64 tokens
      {scout, -0.09, -0.03, 0, 0, 0, 0, 2},     // line 1137: 512 tokens
      {scout, 0.18, 0.24, 0, 0, 0, 0, 2},       // line 1138: 4096 tokens
      {scout, -0.14, -0.08, 0, 0, 0, 0, 4},     // line 1139: 64 tokens
      {scout, -0.11, -0.05, 0, 0, 0, 0, 4},     // line 1140: 512 tokens
      {scout, 0.22, 0.28, 0, 0, 0, 0, 4},       // line 1141: 4096 tokens
      {maverick, -0.09, -0.03, 0, 0, 0, 0, 4},  // line 1142: 64 tokens
      {maverick, -0.06, 0.00, 0, 0, 0, 0, 4},   // line 1143: 512 tokens
      {maverick, -0.05, 0.01, 0, 0, 0, 0, 4},   // line 1144: 4096 tokens
      {qwen235, -0.11, -0.05, 0, 0, 0, 0, 2},   // line 1145: 64 tokens
      {qwen235, -0.02, 0.04, 0, 0, 0, 0, 2},    // line 1146: 512 tokens
      {qwen235, 0.58, 0.64, 0, 0, 0, 0, 2},     // line 1147: 4096 tokens
      {qwen30, -0.20, -0.14},                   // line 1148: 64 tokens
      {qwen30, -0.12, -0.06},                   // line 1149: 512 tokens
      {qwen30, 0.38, 0.44},                     // line 1150: 4096 tokens
      {qwen30, -0.33, -0.27, 0, 0, 0, 0, 4},    // line 1151: 64 tokens
      {qwen30, -0.09, -0.03, 0, 0, 0, 0, 4},    // line 1152: 512 tokens
      {qwen30, 0.49, 0.55, 0, 0, 0, 0, 4},      // line 1153: 4096 tokens
  };
  REQUIRE(b200.size() + rtx.size() == rows.size());
  const std::vector<MoeRow> b200_rows(rows.begin(), rows.begin() + static_cast<std::ptrdiff_t>(b200.size()));
  const std::vector<MoeRow> rtx_rows(rows.begin() + static_cast<std::ptrdiff_t>(b200.size()), rows.end());
  check_module_rows(b200_rows, b200, "hardware_profiles/b200.yaml");
  check_module_rows(rtx_rows, rtx, "hardware_profiles/rtx-pro-6000.yaml");
}

TEST_CASE("TensorRT-LLM's CUTLASS MoE module with each expert split (aiconfigurator, B200), as it stood") {
  // Lines 1154-1197 of validation/published/published_measurements.csv: the B200's 1.2.0rc5 table (the source
  // of lines 1096-1135) for the same eight shapes with each expert split two, four and eight ways (moe_tp;
  // one rank's slice of every expert on the GPU) at 16 and 64 tokens, nvfp4, balanced routing. Added before
  // any term of a slice's width uses them and judged by the model as it stood (validation/published/
  // fit_split.md, the section of 2026-12-06, eighth session, on split experts, says which may set such a
  // term and which check it); each band records that judgement (the time domain, < 0 fast), so that a change
  // of the model that moves a row shows here.
  using Case = ModuleCase;
  const auto rows = aiconfigurator_rows(1154, 1197);
  const std::vector<Case> cases = {
      // May set a term of a slice's width (fit_split.md): each expert split four ways, 16 and 64 tokens.
      {qwen30, -0.44, -0.38, 0, 0, 0, 0, 4},          // line 1154: 16 tokens
      {qwen30, -0.42, -0.36, 0, 0, 0, 0, 4},          // line 1155: 64 tokens
      {qwen235, -0.19, -0.13, 0, 0, 0, 0, 4},         // line 1156: 16 tokens
      {qwen235, -0.21, -0.15, 0, 0, 0, 0, 4},         // line 1157: 64 tokens
      {mixtral, 0.28, 0.34, 0, 0, 0, 0, 4},           // line 1158: 16 tokens
      {mixtral, 0.27, 0.33, 0, 0, 0, 0, 4},           // line 1159: 64 tokens
      {mixtral22, -0.27, -0.21, 0, 0, 0, 0, 4},       // line 1160: 16 tokens
      {mixtral22, -0.27, -0.21, 0, 0, 0, 0, 4},       // line 1161: 64 tokens
      {deepseek, -0.19, -0.13, 0, 0, 0, 0, 4},        // line 1162: 16 tokens
      {deepseek, -0.16, -0.10, 0, 0, 0, 0, 4},        // line 1163: 64 tokens
      {deepseek, -0.22, -0.16, 384, 0, 0, 0, 4},      // line 1164: 16 tokens
      {deepseek, -0.15, -0.09, 384, 0, 0, 0, 4},      // line 1165: 64 tokens
      {mixtral22, -0.18, -0.12, 256, 8, 2048, 0, 4},  // line 1166: 16 tokens
      {mixtral22, -0.17, -0.11, 256, 8, 2048, 0, 4},  // line 1167: 64 tokens
      {mixtral22, -0.47, -0.41, 160, 8, 2560, 0, 4},  // line 1168: 16 tokens
      {mixtral22, -0.44, -0.38, 160, 8, 2560, 0, 4},  // line 1169: 64 tokens
      // Checks: split two ways, 16 and 64 tokens.
      {qwen30, -0.15, -0.09, 0, 0, 0, 0, 2},          // line 1170: 16 tokens
      {qwen30, -0.18, -0.12, 0, 0, 0, 0, 2},          // line 1171: 64 tokens
      {qwen235, -0.45, -0.39, 0, 0, 0, 0, 2},         // line 1172: 16 tokens
      {qwen235, -0.36, -0.30, 0, 0, 0, 0, 2},         // line 1173: 64 tokens
      {mixtral, -0.33, -0.27, 0, 0, 0, 0, 2},         // line 1174: 16 tokens
      {mixtral, -0.28, -0.22, 0, 0, 0, 0, 2},         // line 1175: 64 tokens
      {mixtral22, 0.24, 0.30, 0, 0, 0, 0, 2},         // line 1176: 16 tokens
      {mixtral22, 0.27, 0.33, 0, 0, 0, 0, 2},         // line 1177: 64 tokens
      {deepseek, -0.47, -0.41, 0, 0, 0, 0, 2},        // line 1178: 16 tokens
      {deepseek, -0.37, -0.31, 0, 0, 0, 0, 2},        // line 1179: 64 tokens
      {deepseek, -0.00, 0.06, 384, 0, 0, 0, 2},       // line 1180: 16 tokens
      {deepseek, 0.08, 0.14, 384, 0, 0, 0, 2},        // line 1181: 64 tokens
      {mixtral22, -0.44, -0.38, 256, 8, 2048, 0, 2},  // line 1182: 16 tokens
      {mixtral22, -0.37, -0.31, 256, 8, 2048, 0, 2},  // line 1183: 64 tokens
      {mixtral22, 0.09, 0.15, 160, 8, 2560, 0, 2},    // line 1184: 16 tokens
      {mixtral22, 0.08, 0.14, 160, 8, 2560, 0, 2},    // line 1185: 64 tokens
      // Checks: split eight ways (at 64 tokens DeepSeek-V3's and Qwen3-235B-A22B's are lines 1128, 1132).
      {qwen235, -0.33, -0.27, 0, 0, 0, 0, 8},         // line 1186: 16 tokens
      {mixtral, -0.01, 0.05, 0, 0, 0, 0, 8},          // line 1187: 16 tokens
      {mixtral, 0.09, 0.15, 0, 0, 0, 0, 8},           // line 1188: 64 tokens
      {mixtral22, 0.30, 0.36, 0, 0, 0, 0, 8},         // line 1189: 16 tokens
      {mixtral22, 0.30, 0.36, 0, 0, 0, 0, 8},         // line 1190: 64 tokens
      {deepseek, -0.58, -0.52, 0, 0, 0, 0, 8},        // line 1191: 16 tokens
      {deepseek, -0.42, -0.36, 384, 0, 0, 0, 8},      // line 1192: 16 tokens
      {deepseek, -0.38, -0.32, 384, 0, 0, 0, 8},      // line 1193: 64 tokens
      {mixtral22, -0.57, -0.51, 256, 8, 2048, 0, 8},  // line 1194: 16 tokens
      {mixtral22, -0.58, -0.52, 256, 8, 2048, 0, 8},  // line 1195: 64 tokens
      {mixtral22, -0.56, -0.50, 160, 8, 2560, 0, 8},  // line 1196: 16 tokens
      {mixtral22, -0.54, -0.48, 160, 8, 2560, 0, 8},  // line 1197: 64 tokens
  };
  check_module_rows(rows, cases, "hardware_profiles/b200.yaml");
}

TEST_CASE("TensorRT-LLM's CUTLASS MoE module at prefill sizes (aiconfigurator, B200), as it stood") {
  // Lines 1198-1221 of validation/published/published_measurements.csv: the B200's 1.2.0rc5 table (the source
  // of lines 458-473 and 1096-1197) for the eight shapes of lines 1096-1111 at 2048, 8192 and 12288 tokens,
  // all experts on the GPU, nvfp4, balanced routing: the sizes of a prefill, where the module's time grows
  // with its routed rows (lines 458-473 hold four of the shapes at 256 to 16384 tokens). Added before any
  // term of the module's cost at prefill sizes uses them and judged by the model as it stood (the section of
  // 2026-12-07, ninth session, of validation/published/fit_split.md says which may set such a term and which
  // check it); each band records that judgement (the time domain, < 0 fast), so that a change of the model
  // that moves a row shows here. As it stands the error's sign follows the shape, not the size: the
  // narrowest experts (Qwen3-30B-A3B's, 2048 x 768) fast at every size, Mixtral-8x7B's slow at every size.
  // The bands moved with the runtime's compute share (0.79 -> 0.66, the section of 2026-12-07, twelfth
  // session): at 8192 tokens -47, -12, +31, -21, -14, +33, +12, +21 % became -42, -3, +50, -9, -7, +46, +23,
  // +35 %.
  using Case = ModuleCase;
  const auto rows = aiconfigurator_rows(1198, 1221);
  const std::vector<Case> cases = {
      // May set a term of the module's cost at prefill sizes (fit_split.md): the eight shapes at 8192 tokens.
      {qwen30, -0.45, -0.39},                 // line 1198: 8192 tokens
      {qwen235, -0.06, 0.00},                 // line 1199: 8192 tokens
      {mixtral, 0.47, 0.53},                  // line 1200: 8192 tokens
      {mixtral22, -0.12, -0.06},              // line 1201: 8192 tokens
      {deepseek, -0.09, -0.03},               // line 1202: 8192 tokens
      {deepseek, 0.43, 0.49, 384},            // line 1203: 8192 tokens
      {mixtral22, 0.20, 0.26, 256, 8, 2048},  // line 1204: 8192 tokens
      {mixtral22, 0.32, 0.38, 160, 8, 2560},  // line 1205: 8192 tokens
      // Checks: the eight shapes at 2048 tokens...
      {qwen30, -0.28, -0.22},                 // line 1206: 2048 tokens
      {qwen235, 0.11, 0.17},                  // line 1207: 2048 tokens
      {mixtral, 0.60, 0.66},                  // line 1208: 2048 tokens
      {mixtral22, 0.04, 0.10},                // line 1209: 2048 tokens
      {deepseek, -0.08, -0.02},               // line 1210: 2048 tokens
      {deepseek, 0.33, 0.39, 384},            // line 1211: 2048 tokens
      {mixtral22, 0.21, 0.27, 256, 8, 2048},  // line 1212: 2048 tokens
      {mixtral22, 0.42, 0.48, 160, 8, 2560},  // line 1213: 2048 tokens
      // ...and at 12288 tokens.
      {qwen30, -0.48, -0.42},                 // line 1214: 12288 tokens
      {qwen235, -0.09, -0.03},                // line 1215: 12288 tokens
      {mixtral, 0.50, 0.56},                  // line 1216: 12288 tokens
      {mixtral22, -0.13, -0.07},              // line 1217: 12288 tokens
      {deepseek, -0.12, -0.06},               // line 1218: 12288 tokens
      {deepseek, 0.23, 0.29, 384},            // line 1219: 12288 tokens
      {mixtral22, 0.12, 0.18, 256, 8, 2048},  // line 1220: 12288 tokens
      {mixtral22, 0.12, 0.18, 160, 8, 2560},  // line 1221: 12288 tokens
  };
  check_module_rows(rows, cases, "hardware_profiles/b200.yaml");
}

TEST_CASE("TensorRT-LLM 1.3.0rc10's CUTLASS MoE module on a GB200 (aiconfigurator): the GB200's terms") {
  // Lines 1235-1274 of validation/published/published_measurements.csv: NVIDIA's collected latencies of the
  // TensorRT-LLM 1.3.0rc10 MoE module, CUTLASS backend, nvfp4, balanced routing, every expert on the GPU, on
  // a GB200 (ai-dynamo/aiconfigurator @ 095f58a5, the GB200's own moe_perf table): the eight shapes of the
  // B200's lines 1096-1111 at 16 and 64 tokens, then at 1 and 512, then at 8192. Added before any term uses
  // them and judged by the model as it stood (the section of 2026-12-07, twelfth session, of
  // validation/published/fit_split.md says which may set the GB200's module terms and which check them); each
  // band records that judgement (the time domain, < 0 fast), so that a change of the model that moves a row
  // shows here. Registered with the GB200 at the runtime's stream share (0.39) and no module fixed time, the
  // engine was slow on them: +21 to +147 % at 16 and 64 tokens, +10 to +137 % at 512; -56 to +55 % at one
  // token; -38 % (Qwen3-30B-A3B's narrow experts) to +90 % at 8192. Then lines 1235-1250 set the GB200's own
  // terms (least squares of the log time: the stream share at its bound, 1.0, and 37.5 us a call, written
  // 38), jointly with the runtime's compute share refitted on its own rows (0.66; the same section).
  using Case = ModuleCase;
  const auto rows = aiconfigurator_rows(1235, 1274);
  const std::vector<Case> cases = {
      // Set the GB200's module terms (fit_split.md): the eight shapes at 16 and 64 tokens, -11 to +13 %.
      {qwen30, -0.12, -0.06},                  // line 1235: 16 tokens
      {qwen30, -0.14, -0.08},                  // line 1236: 64 tokens
      {qwen235, -0.01, 0.05},                  // line 1237: 16 tokens
      {qwen235, -0.05, 0.01},                  // line 1238: 64 tokens
      {mixtral, 0.10, 0.16},                   // line 1239: 16 tokens
      {mixtral, 0.09, 0.15},                   // line 1240: 64 tokens
      {mixtral22, 0.06, 0.12},                 // line 1241: 16 tokens
      {mixtral22, 0.08, 0.14},                 // line 1242: 64 tokens
      {deepseek, -0.01, 0.05},                 // line 1243: 16 tokens
      {deepseek, -0.01, 0.05},                 // line 1244: 64 tokens
      {deepseek, -0.04, 0.02, 384},            // line 1245: 16 tokens
      {deepseek, -0.00, 0.06, 384},            // line 1246: 64 tokens
      {mixtral22, -0.03, 0.03, 256, 8, 2048},  // line 1247: 16 tokens
      {mixtral22, -0.03, 0.03, 256, 8, 2048},  // line 1248: 64 tokens
      {mixtral22, 0.00, 0.06, 160, 8, 2560},   // line 1249: 16 tokens
      {mixtral22, -0.02, 0.04, 160, 8, 2560},  // line 1250: 64 tokens
      // Checks: the same shapes at 1 token (-25 to +31 %) and 512 tokens (-15 to +48 %, Mixtral's slow)...
      {qwen30, 0.20, 0.26},                     // line 1251: 1 tokens
      {qwen30, -0.18, -0.12},                   // line 1252: 512 tokens
      {qwen235, 0.16, 0.22},                    // line 1253: 1 tokens
      {qwen235, -0.03, 0.03},                   // line 1254: 512 tokens
      {mixtral, 0.28, 0.34},                    // line 1255: 1 tokens
      {mixtral, 0.37, 0.43},                    // line 1256: 512 tokens
      {mixtral22, 0.14, 0.20},                  // line 1257: 1 tokens
      {mixtral22, 0.44, 0.50},                  // line 1258: 512 tokens
      {deepseek, -0.18, -0.12},                 // line 1259: 1 tokens
      {deepseek, -0.01, 0.05},                  // line 1260: 512 tokens
      {deepseek, -0.28, -0.22, 384},            // line 1261: 1 tokens
      {deepseek, 0.00, 0.06, 384},              // line 1262: 512 tokens
      {mixtral22, -0.14, -0.08, 256, 8, 2048},  // line 1263: 1 tokens
      {mixtral22, -0.03, 0.03, 256, 8, 2048},   // line 1264: 512 tokens
      {mixtral22, -0.08, -0.02, 160, 8, 2560},  // line 1265: 1 tokens
      {mixtral22, 0.06, 0.12, 160, 8, 2560},    // line 1266: 512 tokens
      // ...and at 8192 tokens (-38 to +43 %: compute-bound, the shape decides).
      {qwen30, -0.41, -0.35},                 // line 1267: 8192 tokens
      {qwen235, -0.11, -0.05},                // line 1268: 8192 tokens
      {mixtral, 0.30, 0.36},                  // line 1269: 8192 tokens
      {mixtral22, 0.40, 0.46},                // line 1270: 8192 tokens
      {deepseek, 0.17, 0.23},                 // line 1271: 8192 tokens
      {deepseek, 0.32, 0.38, 384},            // line 1272: 8192 tokens
      {mixtral22, 0.13, 0.19, 256, 8, 2048},  // line 1273: 8192 tokens
      {mixtral22, 0.24, 0.30, 160, 8, 2560},  // line 1274: 8192 tokens
  };
  check_module_rows(rows, cases, "hardware_profiles/gb200.yaml");
}

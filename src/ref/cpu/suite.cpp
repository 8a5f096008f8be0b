#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <utility>

#include "ref/cpu/blas.hpp"
#include "ref/cpu/suite_cases.hpp"

namespace infersim::ref {

std::string device_name(const std::string& blas_core, int threads) {
  std::string core = blas_core;
  std::transform(core.begin(), core.end(), core.begin(), [](unsigned char ch) { return std::tolower(ch); });
  return fmt::format("cpu-{}-{}t", core, threads);
}

namespace suite {

MeasuredRow timed_row(const std::string& name, Family family, const std::string& shape, const Work& work,
                      const std::function<void()>& kernel, bool cold, const SuiteContext& context) {
  std::function<void()> flush;
  if (cold && context.flusher != nullptr) flush = [&context] { (*context.flusher)(); };
  let_blas_threads_park();  // the previous case may have been a BLAS call (ref/cpu/blas.hpp)
  const TimingSummary t = time_kernel(kernel, context.timing, flush);
  return {name,       family,     context.device, "fp32",    shape,
          work.flops, work.bytes, t.median_s,     t.repeats, t.spread};
}

namespace {

// Llama-like head layouts at head_dim 128: MHA 32/32, GQA 32/8, MQA 16/1.
constexpr AttentionShape layout(int batch, int heads, int kv_heads) { return {batch, heads, kv_heads, 128}; }

struct Cases {
  std::vector<GemmCase> gemm;
  std::vector<LinearCase> gemv;
  std::vector<DecodeCase> decode;
  std::vector<PrefillCase> prefill;
  std::vector<NormCase> norm;
  std::vector<MlpCase> mlp;
  std::vector<TriadCase> triad;
};

// Quick: memory-bound working sets just over 300 MiB (1.2x the 260 MiB L3), one or two of each kind.
// KV bytes = 2 * batch * kv_heads * context * 128 * 4.
Cases quick_cases() {
  return {{{"gemm_2048", 2048, 2048, 2048}, {"gemm_4096x4096x1024", 4096, 4096, 1024}},
          {{"gemv_8192x10240", 1, 8192, 10240}, {"gemv_b8_8192x10240", 8, 8192, 10240}},
          {{"decode_mha_t1024", layout(10, 32, 32), 1024},
           {"decode_gqa_t4096", layout(10, 32, 8), 4096},
           {"decode_mqa_t8192", layout(40, 16, 1), 8192}},
          {{"prefill_mha_s512", layout(1, 8, 8), 512}, {"prefill_gqa_s1024", layout(1, 8, 2), 1024}},
          {{"rmsnorm_10240x4096", 10240, 4096}},
          {{"mlp_t256_2048x5632", 256, 2048, 5632}},
          {{"triad_32m", std::size_t{32} << 20}}};
}

// Full: memory-bound working sets of 640 MiB to 1 GiB (2.5x to 4x the L3), more contexts and shapes.
Cases full_cases() {
  return {{{"gemm_1024", 1024, 1024, 1024},
           {"gemm_2048", 2048, 2048, 2048},
           {"gemm_4096x4096x1024", 4096, 4096, 1024}},
          {{"gemv_16384x10240", 1, 16384, 10240},
           {"gemv_b4_16384x10240", 4, 16384, 10240},
           {"gemv_b16_16384x10240", 16, 16384, 10240}},
          {{"decode_mha_t1024", layout(24, 32, 32), 1024},
           {"decode_mha_t4096", layout(6, 32, 32), 4096},
           {"decode_gqa_t2048", layout(48, 32, 8), 2048},
           {"decode_gqa_t8192", layout(12, 32, 8), 8192},
           {"decode_mqa_t8192", layout(96, 16, 1), 8192}},
          {{"prefill_mha_s1024", layout(1, 8, 8), 1024}, {"prefill_gqa_s2048", layout(1, 8, 2), 2048}},
          {{"rmsnorm_20480x4096", 20480, 4096}, {"rmsnorm_81920x1024", 81920, 1024}},
          {{"mlp_t1_4096x11008", 1, 4096, 11008}, {"mlp_t512_2048x5632", 512, 2048, 5632}},
          {{"triad_64m", std::size_t{64} << 20}}};
}

template <class Case>
void run_all(const std::vector<Case>& cases, const SuiteContext& context, const RowCallback& on_row,
             std::vector<MeasuredRow>& rows) {
  for (const Case& c : cases) {
    rows.push_back(measure(c, context));
    if (on_row) on_row(rows.back());
  }
}

}  // namespace

}  // namespace suite

std::vector<MeasuredRow> run_suite(bool quick, const ModelSpec& suite_model, const SuiteContext& context,
                                   const RowCallback& on_row) {
  const suite::Cases cases = quick ? suite::quick_cases() : suite::full_cases();
  std::vector<MeasuredRow> rows;
  suite::run_all(cases.gemm, context, on_row, rows);
  suite::run_all(cases.gemv, context, on_row, rows);
  suite::run_all(cases.decode, context, on_row, rows);
  suite::run_all(cases.prefill, context, on_row, rows);
  suite::run_all(cases.norm, context, on_row, rows);
  suite::run_all(cases.mlp, context, on_row, rows);
  suite::run_all(cases.triad, context, on_row, rows);
  // The small reference model end to end (model_configs/ref-tiny.yaml): decode streams 1.3 GB of
  // weights per step, 5x the 260 MiB L3. A 256-token prefill is 140 GFLOP; quick halves it to stay in
  // its budget. The full suite's step at 1024 follows an untimed prefill of 1023 tokens.
  const ModelRun model = quick ? ModelRun{suite_model, 128, {129}} : ModelRun{suite_model, 256, {257, 1024}};
  for (MeasuredRow& row : run_model_cases(model, context, on_row)) rows.push_back(std::move(row));
  return rows;
}

}  // namespace infersim::ref

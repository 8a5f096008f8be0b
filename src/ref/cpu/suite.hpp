#pragma once
// The reference CPU suite: cases on both sides of the ridge point (compute-bound GEMMs, prefill
// attention and MLP; memory-bound GEMVs, decode attention, norm and triad), each timed and reported
// as a measured-CSV row.
#include <functional>
#include <string>
#include <vector>

#include "core/model_spec.hpp"
#include "ref/base/measured_csv.hpp"
#include "ref/base/timing.hpp"

namespace infersim::ref {

struct SuiteContext {
  int threads = 1;     // our kernels' threads; OpenBLAS is set to the same count by the runner
  std::string device;  // the device column, see device_name()
  TimingOptions timing;
  CacheFlusher* flusher = nullptr;  // used by the cases that model cold caches; none: no flushing
};

// "cpu-<BLAS core, lower case>-<threads>t", e.g. "cpu-prescott-2t".
[[nodiscard]] std::string device_name(const std::string& blas_core, int threads);

using RowCallback = std::function<void(const MeasuredRow&)>;

// End-to-end cases of one model (ref/cpu/model_forward.hpp, random fp32 weights, batch 1): a timed
// prefill of prefill_tokens tokens (family model_prefill), then a timed decode step, caches flushed,
// at each context in decode_contexts (model_decode; context = keys attended, the new token's own
// included; a context above prefill_tokens + 1 is reached by an untimed prefill of context - 1
// tokens). The model is given, not loaded here: callers load it through io's search path. Shape
// column: "model=NAME;tokens=N;context=C;batch=1".
struct ModelRun {
  ModelSpec model;
  int prefill_tokens = 0;
  std::vector<int> decode_contexts;  // ascending
};
[[nodiscard]] std::vector<MeasuredRow> run_model_cases(const ModelRun& run, const SuiteContext& context,
                                                       const RowCallback& on_row = {});

// The model whose end-to-end cases end the suite (model_configs/ref-tiny.yaml); callers load it and
// pass it to run_suite.
inline constexpr const char* kSuiteModel = "ref-tiny";

// Runs the quick or the full suite one case at a time (each case allocates, measures and frees its
// buffers), the end-to-end cases of suite_model (kSuiteModel) last; on_row, when given, sees every row
// as soon as it is measured.
[[nodiscard]] std::vector<MeasuredRow> run_suite(bool quick, const ModelSpec& suite_model,
                                                 const SuiteContext& context, const RowCallback& on_row = {});

}  // namespace infersim::ref

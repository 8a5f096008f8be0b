#include "ref/cpu/host_suite.hpp"

#include <memory>

#include "ref/cpu/blas.hpp"

namespace infersim::ref {

std::string host_device_name(int threads) { return device_name(blas_info().core, threads); }

namespace {

SuiteContext host_context(const HostSuiteOptions& options, CacheFlusher& flusher) {
  set_blas_threads(options.threads);
  SuiteContext context;
  context.threads = options.threads;
  context.device = host_device_name(options.threads);
  // Cases under ~20 ms (decode attention, GEMV, norm, triad) are timed up to 15 (full: 25) times.
  context.timing = options.quick ? TimingOptions{1, 3, 0.3, 15} : TimingOptions{2, 9, 0.6, 25};
  context.flusher = &flusher;
  return context;
}

}  // namespace

std::vector<MeasuredRow> run_host_suite(const HostSuiteOptions& options, const ModelSpec& suite_model,
                                        const RowCallback& on_row) {
  const auto flusher = std::make_unique<CacheFlusher>();
  return run_suite(options.quick, suite_model, host_context(options, *flusher), on_row);
}

std::vector<MeasuredRow> run_host_model_cases(const HostSuiteOptions& options, const ModelRun& run,
                                              const RowCallback& on_row) {
  const auto flusher = std::make_unique<CacheFlusher>();
  return run_model_cases(run, host_context(options, *flusher), on_row);
}

}  // namespace infersim::ref

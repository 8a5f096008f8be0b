#include "ref/host_suite.hpp"

#include <memory>

#include "ref/blas.hpp"

namespace infersim::ref {

std::string host_device_name(int threads) { return device_name(blas_info().core, threads); }

std::vector<MeasuredRow> run_host_suite(const HostSuiteOptions& options, const RowCallback& on_row) {
  set_blas_threads(options.threads);
  SuiteContext context;
  context.threads = options.threads;
  context.device = host_device_name(options.threads);
  context.timing = options.quick ? TimingOptions{1, 3} : TimingOptions{2, 9};
  const auto flusher = std::make_unique<CacheFlusher>();
  context.flusher = flusher.get();
  return run_suite(options.quick, context, on_row);
}

}  // namespace infersim::ref

#pragma once
// The reference suite as both runners of this host run it: OpenBLAS and our kernels on the same
// threads, quick (1 warm-up + 3 repeats, up to 15 for a case under 0.1 s) or full (2 + 9, up to 25) timing,
// caches flushed for the cold cases.
#include "ref/cpu/suite.hpp"

namespace infersim::ref {

struct HostSuiteOptions {
  bool quick = false;
  int threads = 1;
};

// The device column it writes (device_name of the OpenBLAS core and the threads).
[[nodiscard]] std::string host_device_name(int threads);

// suite_model: the loaded kSuiteModel (suite.hpp).
[[nodiscard]] std::vector<MeasuredRow> run_host_suite(const HostSuiteOptions& options,
                                                      const ModelSpec& suite_model,
                                                      const RowCallback& on_row = {});

// Only the end-to-end model cases (suite.hpp, ModelRun), with the same threads, timing and flushing.
[[nodiscard]] std::vector<MeasuredRow> run_host_model_cases(const HostSuiteOptions& options,
                                                            const ModelRun& run,
                                                            const RowCallback& on_row = {});

}  // namespace infersim::ref

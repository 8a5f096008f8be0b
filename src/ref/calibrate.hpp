#pragma once
// Host calibration (`infersim calibrate`): the few physically meaningful figures the roofline needs,
// each measured on shapes the validation suite never uses (square sgemm of 2560/3584, triads of
// 3 x 512 MiB and of half the LLC), so validation predicts new shapes rather than replaying old ones.
#include <functional>
#include <string>

#include "core/host_calibration.hpp"

namespace infersim::ref {

struct CalibrateOptions {
  int threads = 1;
  bool quick = false;  // fewer repeats and smaller sgemm sizes: a few seconds instead of ~20
};

using ProgressCallback = std::function<void(const std::string&)>;

[[nodiscard]] HostCalibration calibrate_host(const CalibrateOptions& options,
                                             const ProgressCallback& progress = {});

// The pieces, each returning its figure (exposed for the runner and for tests).
[[nodiscard]] double measure_fma_peak_flops(int threads, double seconds);
[[nodiscard]] double measure_triad_Bps(std::size_t elements, int threads, int repeats);
[[nodiscard]] double measure_fork_join_s(int threads, int repeats);

}  // namespace infersim::ref

#pragma once
// What the operating system says about the host: CPU model, memory, last-level cache size.
#include "validation/host_calibration.hpp"

namespace infersim::ref {

// A HostCalibration with cpu_model, blas_core, threads, memory_B and llc_size_B filled in (sysfs
// /sys/devices/system/cpu/cpu0/cache: the highest-level cache; 0 when sysfs does not say).
[[nodiscard]] HostCalibration host_description(int threads);

}  // namespace infersim::ref

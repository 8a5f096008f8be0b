#pragma once
// A measured host as a hardware profile in the normal format (docs/formats.md), each number with a
// comment saying how it was measured, so `infersim estimate -g FILE` and `infersim validate -g FILE`
// load it like any shipped profile.
#include <string>

#include "validation/host_calibration.hpp"

namespace infersim {

// provenance: one line naming where and when it was measured, e.g. "host ci-7 on 2025-01-01 12:00 UTC".
[[nodiscard]] std::string host_profile_yaml(const HostCalibration& host, const std::string& provenance);

// The roofline parameters the profile states, derived from the measurements.
[[nodiscard]] double host_compute_efficiency(
    const HostCalibration& host);  // best sgemm compute / FMA peak, <= 1

}  // namespace infersim

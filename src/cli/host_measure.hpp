#pragma once
// The CLI's door to the reference kernels (src/ref). A build without OpenBLAS links
// host_measure_none.cpp instead, whose functions throw InputError (exit 2) saying so.
#include <string>
#include <vector>

#include "io/config/search_path.hpp"
#include "validation/host_calibration.hpp"
#include "validation/measured_case.hpp"

namespace infersim {

// Calibrates the host on `threads` threads, progress on stderr.
[[nodiscard]] HostCalibration measure_host(bool quick, int threads);

// Runs the reference CPU suite (src/ref/cpu/suite.cpp), one line per case on stderr; the model of its
// end-to-end cases is loaded through `search` (--config-dir, $INFERSIM_PATH, ...).
[[nodiscard]] std::vector<MeasuredRow> measure_suite(bool quick, int threads, const SearchPath& search);

// One line naming where and when, for a profile's header: "HOST on YYYY-MM-DD HH:MM UTC".
[[nodiscard]] std::string measurement_provenance();

}  // namespace infersim

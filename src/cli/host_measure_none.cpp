// Linked instead of host_measure.cpp when CMake found no OpenBLAS: the commands exist and say why
// they cannot measure (exit 2).
#include "cli/host_measure.hpp"
#include "core/errors.hpp"

namespace infersim {

namespace {
[[noreturn]] void unavailable() {
  throw InputError(
      "this infersim was built without the reference CPU kernels (OpenBLAS not found; Debian: "
      "libopenblas-dev), so it cannot measure this host; `infersim validate --measured FILE.csv -g PROFILE` "
      "still works");
}
}  // namespace

HostCalibration measure_host(bool, int) { unavailable(); }
std::vector<MeasuredRow> measure_suite(bool, int, const SearchPath&) { unavailable(); }
std::string measurement_provenance() { return "unknown"; }

}  // namespace infersim

#pragma once
// `infersim-ref-cuda --check`: every kernel of the suite (cuBLAS layouts included) on small, awkward
// shapes (sizes not multiples of the tiles, MHA / GQA / MQA, several context splits), compared with
// the CPU references of host_reference.hpp. One line per check.
#include <ostream>

#include "ref_cuda/device.hpp"

namespace infersim::ref_cuda {

struct CheckSummary {
  int passed = 0;
  int failed = 0;
};

[[nodiscard]] CheckSummary run_checks(const DeviceInfo& device, std::ostream& out);

}  // namespace infersim::ref_cuda

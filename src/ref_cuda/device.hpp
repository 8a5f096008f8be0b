#pragma once
// Choosing and describing the CUDA device the runner measures.
#include <cstddef>
#include <string>

namespace infersim::ref_cuda {

struct DeviceInfo {
  int index = 0;
  std::string name;  // cudaDeviceProp::name, e.g. "NVIDIA H100 80GB HBM3"; the device column
  int sm_count = 0;
  int compute_capability = 0;  // major * 10 + minor
  std::size_t l2_B = 0;
  std::size_t memory_B = 0;
};

// Makes device `index` current and describes it. Throws NoDeviceError when no CUDA device or driver
// is usable (the message says why) or when index is not one of them.
[[nodiscard]] DeviceInfo select_device(int index);

// The device name as a CSV field: commas, quotes and line breaks become spaces.
[[nodiscard]] std::string csv_safe(std::string text);

}  // namespace infersim::ref_cuda

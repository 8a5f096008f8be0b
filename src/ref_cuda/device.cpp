#include "ref_cuda/device.hpp"

#include <fmt/format.h>

#include "ref_cuda/cuda_check.hpp"

namespace infersim::ref_cuda {

namespace {

std::string why_none(cudaError_t status) {
  switch (status) {
    case cudaSuccess:
    case cudaErrorNoDevice:
      return "the driver sees none";
    case cudaErrorInsufficientDriver:
      return "no NVIDIA driver, or one older than this CUDA runtime";
    default:
      return std::string(cudaGetErrorName(status)) + ": " + cudaGetErrorString(status);
  }
}

}  // namespace

DeviceInfo select_device(int index) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess || count == 0) throw NoDeviceError("no CUDA device (" + why_none(status) + ")");
  if (index < 0 || index >= count)
    throw NoDeviceError(
        fmt::format("no CUDA device {}: {} device(s), numbered 0 to {}", index, count, count - 1));
  check_cuda(cudaSetDevice(index), "cudaSetDevice");
  cudaDeviceProp props{};
  check_cuda(cudaGetDeviceProperties(&props, index), "cudaGetDeviceProperties");
  return {index,
          csv_safe(props.name),
          props.multiProcessorCount,
          props.major * 10 + props.minor,
          static_cast<std::size_t>(props.l2CacheSize),
          props.totalGlobalMem};
}

std::string csv_safe(std::string text) {
  for (char& ch : text)
    if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') ch = ' ';
  return text;
}

}  // namespace infersim::ref_cuda

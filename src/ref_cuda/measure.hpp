#pragma once
// Measuring one case on the current device: allocate and fill its tensors, time it, free them.
#include <cstdint>

#include "ref/base/timing.hpp"
#include "ref_cuda/cases.hpp"
#include "ref_cuda/cuda_timing.hpp"
#include "ref_cuda/device.hpp"
#include "ref_cuda/gemm.hpp"

namespace infersim::ref_cuda {

struct MeasureContext {
  DeviceInfo device;
  cudaStream_t stream{};
  const Blas* blas = nullptr;
  L2Flusher* flusher = nullptr;  // used by the cold cases
  ref::TimingOptions timing;
};

// A device tensor of n elements of type p (raw bytes), filled with uniform values in [-scale, scale).
[[nodiscard]] DeviceBuffer<unsigned char> random_tensor(Precision p, std::size_t n, std::uint32_t seed,
                                                        float scale, cudaStream_t stream);

[[nodiscard]] MeasuredRow measure(const Case& c, const MeasureContext& context);

}  // namespace infersim::ref_cuda

#pragma once
// Timing on the GPU's clock: every repeat is bracketed by cudaEvents on one stream, so the figure is
// device time. Warm-up runs first; then all repeats are enqueued back to back (each optionally after
// an L2 flush) and synchronised once, so host launch gaps do not land inside a repeat. The result is
// summarised as the CPU runner's (ref/base/timing.hpp): median and (max - min) / median.
#include <cstdint>
#include <functional>

#include "ref/base/timing.hpp"
#include "ref_cuda/cuda_check.hpp"
#include "ref_cuda/device_buffer.hpp"

namespace infersim::ref_cuda {

// Evicts the L2 by reading a buffer of max(4 x L2, 256 MiB), written once when constructed: a cold case
// then reads its data from device memory, as a decode step does after the rest of the model has passed
// through the cache. Reading, not writing, leaves the L2 holding clean lines, so the timed kernel pays
// no write-backs as it evicts them (the CPU runner's CacheFlusher reads for the same reason,
// ref/base/timing.cpp). The reads' per-warp sink is at most 2 MiB (65536 blocks of 8 warps), written back
// in about a microsecond.
class L2Flusher {
 public:
  L2Flusher(std::size_t l2_B, cudaStream_t stream);
  void operator()();

 private:
  DeviceBuffer<std::uint32_t> buffer_;
  DeviceBuffer<std::uint32_t> sink_;
  cudaStream_t stream_;
};

// Runs kernel (which enqueues work on `stream`) options.warmup times, then options.repeats timed
// times; flush, when given, is enqueued before each run, outside the timed interval.
[[nodiscard]] ref::TimingSummary time_on_device(const std::function<void()>& kernel, cudaStream_t stream,
                                                const ref::TimingOptions& options, L2Flusher* flush);

}  // namespace infersim::ref_cuda

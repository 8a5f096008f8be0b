#include "ref_cuda/cuda_timing.hpp"

#include <algorithm>
#include <vector>

#include "ref_cuda/kernels.hpp"

namespace infersim::ref_cuda {

namespace {

class Event {
 public:
  Event() { check_cuda(cudaEventCreate(&event_), "cudaEventCreate"); }
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() { cudaEventDestroy(event_); }
  [[nodiscard]] cudaEvent_t get() const { return event_; }

 private:
  cudaEvent_t event_{};
};

}  // namespace

L2Flusher::L2Flusher(std::size_t l2_B, cudaStream_t stream)
    : buffer_(std::max(4 * l2_B, std::size_t{256} << 20) / sizeof(std::uint32_t)),
      sink_(read_words_sink_size(buffer_.size())),
      stream_(stream) {
  fill_words(buffer_.data(), buffer_.size(), 1, stream_);  // defined contents; ordered before every flush
}

void L2Flusher::operator()() { read_words(buffer_.data(), buffer_.size(), sink_.data(), stream_); }

ref::TimingSummary time_on_device(const std::function<void()>& kernel, cudaStream_t stream,
                                  const ref::TimingOptions& options, L2Flusher* flush) {
  for (int i = 0; i < options.warmup; ++i) {
    if (flush != nullptr) (*flush)();
    kernel();
  }
  check_cuda(cudaStreamSynchronize(stream), "warm-up");
  const auto repeats = static_cast<std::size_t>(options.repeats);
  std::vector<Event> start(repeats), stop(repeats);
  for (std::size_t i = 0; i < repeats; ++i) {
    if (flush != nullptr) (*flush)();
    check_cuda(cudaEventRecord(start[i].get(), stream), "cudaEventRecord");
    kernel();
    check_cuda(cudaEventRecord(stop[i].get(), stream), "cudaEventRecord");
  }
  check_cuda(cudaStreamSynchronize(stream), "timed runs");
  std::vector<double> samples_s;
  for (std::size_t i = 0; i < repeats; ++i) {
    float ms = 0.0f;
    check_cuda(cudaEventElapsedTime(&ms, start[i].get(), stop[i].get()), "cudaEventElapsedTime");
    samples_s.push_back(1e-3 * ms);
  }
  return ref::summarize(std::move(samples_s));
}

}  // namespace infersim::ref_cuda

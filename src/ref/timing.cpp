#include "ref/timing.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace infersim::ref {

TimingSummary summarize(std::vector<double> samples_s) {
  if (samples_s.empty()) throw std::invalid_argument("summarize: no samples");
  std::sort(samples_s.begin(), samples_s.end());
  const std::size_t n = samples_s.size();
  const double median = n % 2 == 1 ? samples_s[n / 2] : 0.5 * (samples_s[n / 2 - 1] + samples_s[n / 2]);
  const double spread = median > 0.0 ? (samples_s.back() - samples_s.front()) / median : 0.0;
  return {median, spread, static_cast<int>(n)};
}

TimingSummary time_kernel(const std::function<void()>& kernel, const TimingOptions& options,
                          const std::function<void()>& before_each) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < options.warmup; ++i) {
    if (before_each) before_each();
    kernel();
  }
  std::vector<double> samples_s;
  samples_s.reserve(static_cast<std::size_t>(options.repeats));
  for (int i = 0; i < options.repeats; ++i) {
    if (before_each) before_each();
    const auto start = Clock::now();
    kernel();
    samples_s.push_back(std::chrono::duration<double>(Clock::now() - start).count());
  }
  return summarize(std::move(samples_s));
}

CacheFlusher::CacheFlusher(std::size_t bytes) : buffer_(bytes) {}

void CacheFlusher::operator()() {
  // A new value each time, so the stores cannot be elided as redundant.
  std::fill(buffer_.begin(), buffer_.end(), ++value_);
  volatile unsigned char sink = buffer_[buffer_.size() / 2];
  (void)sink;
}

}  // namespace infersim::ref

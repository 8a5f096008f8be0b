#include "ref/base/timing.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "validation/statistics.hpp"

namespace infersim::ref {

TimingSummary summarize(std::vector<double> samples_s) {
  if (samples_s.empty()) throw std::invalid_argument("summarize: no samples");
  const auto [lo, hi] = std::minmax_element(samples_s.begin(), samples_s.end());
  const double middle = median(samples_s);
  const double spread = middle > 0.0 ? (*hi - *lo) / middle : 0.0;
  return {middle, spread, static_cast<int>(samples_s.size())};
}

TimingSummary time_kernel(const std::function<void()>& kernel, const TimingOptions& options,
                          const std::function<void()>& before_each) {
  using Clock = std::chrono::steady_clock;
  for (int i = 0; i < options.warmup; ++i) {
    if (before_each) before_each();
    kernel();
  }
  std::vector<double> samples_s;
  samples_s.reserve(static_cast<std::size_t>(std::max(options.repeats, options.max_repeats)));
  double total_s = 0.0;
  const auto wanted = [&] {
    const int n = static_cast<int>(samples_s.size());
    return n < options.repeats || (n < options.max_repeats && total_s < options.min_total_s);
  };
  while (wanted()) {
    if (before_each) before_each();
    const auto start = Clock::now();
    kernel();
    samples_s.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    total_s += samples_s.back();
  }
  return summarize(std::move(samples_s));
}

CacheFlusher::CacheFlusher(std::size_t bytes) : buffer_(bytes) {
  // Distinct contents per line, written once: pages of one repeated value could be merged by the host
  // (same-page merging in a VM) and then read from one cached physical page, evicting nothing.
  for (std::size_t i = 0; i < buffer_.size(); ++i)
    buffer_[i] = static_cast<unsigned char>(i * 2654435761u >> 13);
}

void CacheFlusher::operator()() {
  // Reads one byte of every 64-byte line: the caches end up holding clean lines of this buffer. Writing
  // it instead would leave them full of dirty lines, whose write-backs the timed kernel would then pay
  // for as its reads evict them (measured: the cold GEMV and decode cases ran at ~0.65x the triad).
  // Clean is also what a decode step finds: the other layers' weights and caches were only read.
  constexpr std::size_t kLine = 64;
  std::size_t sum = 0;
  for (std::size_t i = 0; i < buffer_.size(); i += kLine) sum += buffer_[i];
  volatile std::size_t sink = sum + value_++;
  (void)sink;
}

}  // namespace infersim::ref

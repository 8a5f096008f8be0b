#pragma once
// Timing discipline for the reference suite: warm-up runs, then timed repeats on
// std::chrono::steady_clock, summarised by the median and the relative spread.
#include <cstddef>
#include <functional>
#include <vector>

namespace infersim::ref {

struct TimingOptions {
  int warmup = 1;   // untimed runs first: page faults, OpenBLAS buffers, thread start-up
  int repeats = 5;  // timed runs, at least
  // A short kernel is timed further, up to max_repeats runs, until its timed runs add up to
  // min_total_s: on a shared host the median of 3 runs of 15 ms each moves with every neighbour's
  // burst, the median of 15 much less, at a cost of a fraction of a second. 0: exactly `repeats`.
  double min_total_s = 0.0;
  int max_repeats = 0;
};

struct TimingSummary {
  double median_s = 0.0;
  double spread = 0.0;  // (max - min) / median
  int repeats = 0;
};

// Median (mean of the two middle samples for an even count) and spread of samples_s.
// Throws std::invalid_argument when samples_s is empty.
[[nodiscard]] TimingSummary summarize(std::vector<double> samples_s);

// Runs kernel warmup + repeats times (more for a short kernel, see TimingOptions); before_each, when given,
// runs before every run, untimed.
[[nodiscard]] TimingSummary time_kernel(const std::function<void()>& kernel, const TimingOptions& options,
                                        const std::function<void()>& before_each = {});

// Evicts the caches by reading a buffer of `bytes` (default 600 MiB, over twice the 260 MiB L3 of the
// machines this suite targets). For cases that model cold data.
class CacheFlusher {
 public:
  static constexpr std::size_t kDefaultBytes = std::size_t{600} << 20;
  explicit CacheFlusher(std::size_t bytes = kDefaultBytes);
  void operator()();

 private:
  std::vector<unsigned char> buffer_;
  unsigned char value_ = 0;
};

}  // namespace infersim::ref

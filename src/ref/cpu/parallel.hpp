#pragma once
// Static fork-join over std::thread: the reference kernels' only threading primitive.
#include <algorithm>
#include <thread>
#include <vector>

namespace infersim::ref {

// Pins the calling thread to the `worker`-th CPU this process may run on (wrapping around when there
// are fewer), for the scope's lifetime; the thread's previous CPU set is restored at the end. A worker
// < 0, a system without thread affinity (not Linux) or a failed call leave the thread where it is.
// Pinned, the scheduler cannot put two workers on one CPU or move one between CPUs mid-kernel, which a
// median over repeats would otherwise absorb as noise.
class ScopedPin {
 public:
  explicit ScopedPin(int worker);
  ~ScopedPin();
  ScopedPin(const ScopedPin&) = delete;
  ScopedPin& operator=(const ScopedPin&) = delete;

  // The CPU the thread was pinned to, or -1.
  [[nodiscard]] int cpu() const { return cpu_; }

 private:
  int cpu_ = -1;                              // >= 0: pinned, saved_ holds the previous set
  alignas(8) unsigned char saved_[128] = {};  // the previous CPU set (glibc's cpu_set_t, 128 bytes)
};

// Runs task(i) for every i in [0, tasks) on min(threads, tasks) threads, the caller being one of
// them; thread w takes the contiguous range [w*tasks/n, (w+1)*tasks/n) and, when n > 1, runs pinned to
// the w-th allowed CPU (ScopedPin). Contract: task(i) may run concurrently with task(j) for i != j and
// must not throw (an escaping exception ends the program).
template <class Task>
void parallel_for(int tasks, int threads, const Task& task) {
  const int n = std::max(1, std::min(threads, tasks));
  auto worker = [&](int w) {
    const ScopedPin pin(n > 1 ? w : -1);
    const long long begin = static_cast<long long>(tasks) * w / n;
    const long long end = static_cast<long long>(tasks) * (w + 1) / n;
    for (long long i = begin; i < end; ++i) task(static_cast<int>(i));
  };
  std::vector<std::jthread> pool;
  pool.reserve(static_cast<std::size_t>(n - 1));
  for (int w = 1; w < n; ++w) pool.emplace_back(worker, w);
  worker(0);
}

}  // namespace infersim::ref

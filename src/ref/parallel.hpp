#pragma once
// Static fork-join over std::thread: the reference kernels' only threading primitive.
#include <algorithm>
#include <thread>
#include <vector>

namespace infersim::ref {

// Runs task(i) for every i in [0, tasks) on min(threads, tasks) threads, the caller being one of
// them; thread w takes the contiguous range [w*tasks/n, (w+1)*tasks/n). Contract: task(i) may run
// concurrently with task(j) for i != j and must not throw (an escaping exception ends the program).
template <class Task>
void parallel_for(int tasks, int threads, const Task& task) {
  const int n = std::max(1, std::min(threads, tasks));
  auto worker = [&](int w) {
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

#include "ref/cpu/parallel.hpp"

#include <cstring>

#if defined(__linux__)
#include <pthread.h>
#include <sched.h>
#endif

namespace infersim::ref {

#if defined(__linux__)

namespace {

static_assert(sizeof(cpu_set_t) <= 128, "cpu_set_t fits ScopedPin::saved_");

// The CPUs the process may run on, as the main thread's set at first use (before any pinning).
const std::vector<int>& allowed_cpus() {
  static const std::vector<int> cpus = [] {
    std::vector<int> out;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0)
      for (int c = 0; c < CPU_SETSIZE; ++c)
        if (CPU_ISSET(c, &set)) out.push_back(c);
    return out;
  }();
  return cpus;
}

}  // namespace

ScopedPin::ScopedPin(int worker) {
  const std::vector<int>& cpus = allowed_cpus();
  if (worker < 0 || cpus.empty()) return;
  cpu_set_t previous;
  if (pthread_getaffinity_np(pthread_self(), sizeof previous, &previous) != 0) return;
  cpu_set_t target;
  CPU_ZERO(&target);
  const int cpu = cpus[static_cast<std::size_t>(worker) % cpus.size()];
  CPU_SET(cpu, &target);
  if (pthread_setaffinity_np(pthread_self(), sizeof target, &target) != 0) return;
  std::memcpy(saved_, &previous, sizeof previous);
  cpu_ = cpu;
}

ScopedPin::~ScopedPin() {
  if (cpu_ < 0) return;
  cpu_set_t previous;
  std::memcpy(&previous, saved_, sizeof previous);
  (void)pthread_setaffinity_np(pthread_self(), sizeof previous, &previous);
}

#else

ScopedPin::ScopedPin(int /*worker*/) {}
ScopedPin::~ScopedPin() = default;

#endif

}  // namespace infersim::ref

// parallel_for's pinning (ScopedPin): workers on distinct CPUs, the caller's CPU set given back. That it
// runs every index once is tested with the kernels (test_layers.cpp).
#include <catch2/catch.hpp>
#include <vector>

#include "ref/cpu/parallel.hpp"

#if defined(__linux__)
#include <sched.h>
#endif

using namespace infersim::ref;

#if defined(__linux__)

namespace {

int allowed_cpu_count() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : 0;
}

}  // namespace

TEST_CASE("parallel_for pins its workers to distinct CPUs and gives the caller its CPU set back") {
  const int before = allowed_cpu_count();
  if (before < 2) {
    WARN("one CPU: nothing to pin apart");
    return;
  }
  std::vector<int> cpus(2, -1);
  parallel_for(2, 2, [&](int w) { cpus[static_cast<std::size_t>(w)] = sched_getcpu(); });
  CHECK(cpus[0] >= 0);
  CHECK(cpus[1] >= 0);
  CHECK(cpus[0] != cpus[1]);
  CHECK(allowed_cpu_count() == before);
}

TEST_CASE("ScopedPin holds the thread on one CPU for its scope, a negative worker pins nothing") {
  const int before = allowed_cpu_count();
  {
    const ScopedPin none(-1);
    CHECK(none.cpu() == -1);
    CHECK(allowed_cpu_count() == before);
  }
  {
    const ScopedPin pin(0);
    REQUIRE(pin.cpu() >= 0);
    CHECK(allowed_cpu_count() == 1);
    CHECK(sched_getcpu() == pin.cpu());
  }
  CHECK(allowed_cpu_count() == before);
}

#endif

#include "io/output/temp_cleanup.hpp"

#include <pthread.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

namespace infersim {

namespace {

enum SlotState : int { kFree = 0, kFilling = 1, kLive = 2, kUnlinking = 3 };

constexpr std::size_t kPathBytes = 4096;

struct Slot {
  std::atomic<int> state{kFree};
  std::array<char, kPathBytes> path{};
};
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free slot states");

std::array<Slot, 64> g_slots;
constexpr std::array<int, 3> kSignals = {SIGINT, SIGTERM, SIGHUP};

extern "C" void remove_temporaries_and_reraise(int signal_number) {
  const int saved_errno = errno;
  for (Slot& slot : g_slots) {
    int expected = kLive;
    if (slot.state.compare_exchange_strong(expected, kUnlinking)) ::unlink(slot.path.data());
  }
  // The signal is blocked while its handler runs: the re-raised one is delivered, with the default
  // disposition, as soon as the handler returns.
  std::signal(signal_number, SIG_DFL);
  std::raise(signal_number);
  errno = saved_errno;
}

void install_handlers() {
  for (const int signal_number : kSignals) {
    struct sigaction current {};
    if (::sigaction(signal_number, nullptr, &current) != 0 || current.sa_handler != SIG_DFL) continue;
    struct sigaction action {};
    action.sa_handler = remove_temporaries_and_reraise;
    sigemptyset(&action.sa_mask);
    for (const int other : kSignals) sigaddset(&action.sa_mask, other);
    ::sigaction(signal_number, &action, nullptr);
  }
}

int register_path(const std::string& path) {
  if (path.size() >= kPathBytes) return -1;
  for (std::size_t i = 0; i < g_slots.size(); ++i) {
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kFilling)) continue;
    std::memcpy(g_slots[i].path.data(), path.c_str(), path.size() + 1);
    g_slots[i].state.store(kLive);
    return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

int make_registered_temporary(std::string& path_template, int& slot) {
  static std::once_flag installed;
  std::call_once(installed, install_handlers);
  sigset_t blocked;
  sigset_t previous;
  sigemptyset(&blocked);
  for (const int signal_number : kSignals) sigaddset(&blocked, signal_number);
  ::pthread_sigmask(SIG_BLOCK, &blocked, &previous);
  const int fd = ::mkstemp(path_template.data());
  const int saved_errno = errno;
  slot = fd >= 0 ? register_path(path_template) : -1;
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  errno = saved_errno;
  return fd;
}

void release_temporary(int slot) {
  if (slot < 0) return;
  // From live to free; a slot the handler has taken (unlinking) stays taken: the process is ending.
  int expected = kLive;
  g_slots[static_cast<std::size_t>(slot)].state.compare_exchange_strong(expected, kFree);
}

}  // namespace infersim

#pragma once
// A progress bar on standard error for long runs (sweep, serve, validate --published): share done, rate
// and time left.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <iostream>
#include <string>

namespace infersim {

// Whether a long run shows its bar: when asked (--progress) or when stderr is a terminal, never with
// --quiet. The one rule of every command that has a bar.
[[nodiscard]] inline bool show_progress(bool asked, bool quiet) {
  return !quiet && (asked || ::isatty(STDERR_FILENO) != 0);
}

class ProgressBar {
 public:
  ProgressBar(bool enabled, std::uint64_t total, const char* noun)
      : enabled_(enabled), total_(total), noun_(noun) {}
  // A run that stops early (an error unwinding past the bar) ends the bar's line, so that the message
  // printed next starts a line of its own.
  ~ProgressBar() {
    if (open_) std::cerr << '\n' << std::flush;
  }
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  void update(std::uint64_t done) {
    if (!enabled_) return;
    const double elapsed = seconds();
    if (done < total_ && elapsed - last_ < 0.1) return;
    last_ = elapsed;
    const double rate = elapsed > 0.0 ? static_cast<double>(done) / elapsed : 0.0;
    const double eta = rate > 0.0 ? static_cast<double>(total_ - done) / rate : 0.0;
    const double share = total_ > 0 ? static_cast<double>(done) / static_cast<double>(total_) : 1.0;
    const auto filled = static_cast<std::size_t>(share * 30.0);
    std::cerr << fmt::format("\r[{:<30}] {:5.1f}% {}/{} {}, {:.0f}/s, ETA {:.1f} s", std::string(filled, '='),
                             share * 100.0, done, total_, noun_, rate, eta)
              << (done >= total_ ? "\n" : "") << std::flush;
    open_ = done < total_;
  }
  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  bool enabled_;
  std::uint64_t total_;
  const char* noun_;
  bool open_ = false;  // a bar is on the line and no line break has followed it
  double last_ = -1.0;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace infersim

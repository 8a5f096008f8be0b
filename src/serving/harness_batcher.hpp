#pragma once
// A client-side batcher in front of the engine (docs/formulas.md#harness_batcher): requests queue in the
// harness until `max_queries` have gathered or `window_s` has passed since the last batch went out, and
// each batch goes to one replica at once. AMD's MLPerf v4.1 Llama-2-70B Server harness runs so
// (closed/AMD/code/llama2-70b-99.9/VllmFp8/sync_sut.py, batch_samples_loop: 96 queries or 0.3 s). Pure.
#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "serving/simulator.hpp"

namespace infersim::serving {

// One batch sent: when, and how many of the oldest queued requests it takes.
struct Dispatch {
  double time_s = 0.0;
  long long count = 0;
};

// Why `spec` cannot run (max_queries < 1, a window not positive and finite), or none.
[[nodiscard]] std::optional<std::string> why_invalid(const HarnessBatcherSpec& spec);

// The harness's loop as events. It waits for the first request and starts its clock then; after that
// it checks at every arrival, and at every `window_s` of waiting with no arrival, whether `max_queries`
// have queued or `window_s` has passed since the last batch (or the first arrival): if so, it sends the
// oldest max_queries (or all) and restarts the clock. Arrivals come in time order.
class HarnessBatcher {
 public:
  explicit HarnessBatcher(HarnessBatcherSpec spec) : spec_(spec) {}
  // The batches sent before `arrival_s` (waits that ran out), then at it, with the arrival queued.
  void arrive(double arrival_s, std::vector<Dispatch>& sent);
  // No more arrivals: the batches the remaining waits send.
  void finish(std::vector<Dispatch>& sent);

 private:
  void check(double now_s, std::vector<Dispatch>& sent);
  HarnessBatcherSpec spec_;
  bool started_ = false;
  long long queued_ = 0;
  double clock_s_ = 0.0;  // when the last batch went out (or the first request came)
  double wait_s_ = 0.0;   // when the harness began its current wait for a request
};

// `inner`'s requests (at most `max_requests`) as the engine receives them through the batcher: each with
// its dispatch time and its batch's number; arrival times unchanged (latencies count from them).
class BatchedSource : public RequestSource {
 public:
  BatchedSource(RequestSource& inner, HarnessBatcherSpec spec, long long max_requests)
      : inner_(inner), batcher_(spec), left_(max_requests) {}
  std::optional<Request> next() override;
  void on_complete(double time_s) override { inner_.on_complete(time_s); }

 private:
  void release(std::span<const Dispatch> sent);
  RequestSource& inner_;
  HarnessBatcher batcher_;
  long long left_;
  long long batches_ = 0;
  std::deque<Request> queued_;
  std::deque<Request> ready_;
};

}  // namespace infersim::serving

#include "serving/harness_batcher.hpp"

#include <algorithm>
#include <cmath>

namespace infersim::serving {

std::optional<std::string> why_invalid(const HarnessBatcherSpec& spec) {
  if (spec.max_queries < 1) return std::string("the harness batch must hold at least 1 request");
  if (!(spec.window_s > 0.0) || !std::isfinite(spec.window_s))
    return std::string("the harness batcher's window must be a positive, finite time");
  return std::nullopt;
}

void HarnessBatcher::check(double now_s, std::vector<Dispatch>& sent) {
  if (queued_ == 0) return;
  if (queued_ < spec_.max_queries && now_s - clock_s_ < spec_.window_s) return;
  const long long n = std::min(queued_, spec_.max_queries);
  sent.push_back({now_s, n});
  queued_ -= n;
  clock_s_ = now_s;
}

void HarnessBatcher::arrive(double arrival_s, std::vector<Dispatch>& sent) {
  if (!started_) {
    started_ = true;
    clock_s_ = arrival_s;
  } else {
    // Each wait that ran out before this arrival wakes the harness for a check.
    while (queued_ > 0 && wait_s_ + spec_.window_s < arrival_s) {
      wait_s_ += spec_.window_s;
      check(wait_s_, sent);
    }
  }
  ++queued_;
  check(arrival_s, sent);
  wait_s_ = arrival_s;
}

void HarnessBatcher::finish(std::vector<Dispatch>& sent) {
  while (queued_ > 0) {
    wait_s_ += spec_.window_s;
    check(wait_s_, sent);
  }
}

void BatchedSource::release(std::span<const Dispatch> sent) {
  for (const Dispatch& d : sent) {
    for (long long i = 0; i < d.count; ++i) {
      Request r = queued_.front();
      queued_.pop_front();
      r.dispatch_s = d.time_s;
      r.batch = batches_;
      ready_.push_back(r);
    }
    ++batches_;
  }
}

std::optional<Request> BatchedSource::next() {
  std::vector<Dispatch> sent;
  while (ready_.empty()) {
    std::optional<Request> r = left_ > 0 ? inner_.next() : std::nullopt;
    sent.clear();
    if (!r) {
      batcher_.finish(sent);
      release(sent);
      break;
    }
    --left_;
    // Waits that run out before this arrival send the requests queued before it.
    batcher_.arrive(r->arrival_s, sent);
    std::size_t before = 0;
    while (before < sent.size() && sent[before].time_s < r->arrival_s) ++before;
    const std::span<const Dispatch> all(sent);
    release(all.first(before));
    queued_.push_back(*r);
    release(all.subspan(before));
  }
  if (ready_.empty()) return std::nullopt;
  Request out = ready_.front();
  ready_.pop_front();
  return out;
}

}  // namespace infersim::serving

#pragma once
// The running decode sequences of one replica as sums, so that a step costs O(1) whatever the batch
// (docs/formulas.md#serving_contexts). Every member's context grows by one token per step, so a member
// is an offset o with context t = o + g at step g; per key span the set keeps what the step model needs:
// the keys the next step's queries attend in all (full: sum of t + 1; sliding W: sum of min(t + 1, W);
// chunked C: sum of (t mod C) + 1) and the KV blocks the members hold (sum of ceil(min(t, cap) / block),
// the cap W or C, or none for a chunked span whose cache keeps the whole sequence), updated in O(1) per
// step and O(log n) when a member joins, leaves or reaches its span's cap.
#include <array>
#include <queue>
#include <vector>

#include "core/key_span.hpp"

namespace infersim::serving {

class ContextSet {
 public:
  // One entry per distinct span of the model (SpanGroups order); `block_tokens` tokens per KV block;
  // `cache`: what the runtime's cache keeps of a chunked span (core/key_span.hpp cached_span).
  ContextSet(const SpanGroups& spans, long long block_tokens, ChunkedCache cache);

  // A member with `context` tokens cached (its next query is at position context + 1); returns its handle.
  int add(long long context);
  void remove(int handle);
  [[nodiscard]] long long context(int handle) const;
  // Every member's context grows by one.
  void advance();

  [[nodiscard]] long long size() const { return n_; }
  // Keys the next step's queries of span `s` attend in all.
  [[nodiscard]] double next_keys(int s) const;
  // KV blocks the members hold for span `s`, and those the next advance adds.
  [[nodiscard]] long long blocks(int s) const { return span_[static_cast<std::size_t>(s)].blocks; }
  [[nodiscard]] long long next_new_blocks(int s) const;

 private:
  struct Member {
    long long offset = 0;  // context = offset + step
    int epoch = 0;
    bool alive = false;
    std::array<bool, kMaxSpanGroups> below{};    // sliding: next query's keys under the window
    std::array<bool, kMaxSpanGroups> growing{};  // its cached tokens still below the span's block_cap
  };
  struct Event {
    long long step = 0;
    int handle = 0;
    int epoch = 0;
    int span = 0;
    bool cap = false;  // true: stops growing; false: reaches the window
    bool operator>(const Event& o) const { return step > o.step; }
  };
  struct Span {
    KeySpan span;
    long long cap = 0;        // W or C; 0 for full
    long long block_cap = 0;  // the cap of the tokens cached (cached_span): cap, or 0 for the whole sequence
    long long below_n = 0;    // sliding: members under the window
    long long below_offsets = 0;
    long long chunk_floors = 0;               // chunked: sum of floor((o + g) / C)
    std::vector<long long> chunk_residues;    // chunked: members by o mod C
    std::vector<long long> growing_residues;  // members still growing, by o mod block
    long long blocks = 0;
  };
  void schedule(long long step, int handle, int span, bool cap);
  void process_events();

  long long block_ = 16;
  long long step_ = 0;
  long long n_ = 0;
  long long offsets_ = 0;
  int span_count_ = 0;
  std::array<Span, kMaxSpanGroups> span_{};
  std::vector<Member> members_;
  std::vector<int> free_;
  std::priority_queue<Event, std::vector<Event>, std::greater<>> events_;
};

// KV blocks one sequence of `context` tokens holds for a span capped at `cap` (0: none).
[[nodiscard]] constexpr long long span_blocks(long long context, long long cap, long long block_tokens) {
  const long long cached = cap > 0 && context > cap ? cap : context;
  return (cached + block_tokens - 1) / block_tokens;
}

}  // namespace infersim::serving

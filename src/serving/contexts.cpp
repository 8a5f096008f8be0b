#include "serving/contexts.hpp"

namespace infersim::serving {

namespace {

long long floor_div(long long a, long long b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}
long long floor_mod(long long a, long long b) { return a - floor_div(a, b) * b; }

}  // namespace

ContextSet::ContextSet(const SpanGroups& spans, long long block_tokens, ChunkedCache cache)
    : block_(block_tokens) {
  span_count_ = spans.count;
  for (int s = 0; s < spans.count; ++s) {
    Span& x = span_[static_cast<std::size_t>(s)];
    x.span = spans.group[static_cast<std::size_t>(s)].span;
    x.cap = span_cap(x.span);
    x.block_cap = span_cap(cached_span(x.span, cache));
    if (x.span.kind == KeySpanKind::chunked) x.chunk_residues.assign(static_cast<std::size_t>(x.cap), 0);
    x.growing_residues.assign(static_cast<std::size_t>(block_), 0);
  }
}

void ContextSet::schedule(long long step, int handle, int span, bool cap) {
  events_.push({step, handle, members_[static_cast<std::size_t>(handle)].epoch, span, cap});
}

int ContextSet::add(long long context) {
  int h;
  if (!free_.empty()) {
    h = free_.back();
    free_.pop_back();
  } else {
    h = static_cast<int>(members_.size());
    members_.emplace_back();
  }
  Member& m = members_[static_cast<std::size_t>(h)];
  m.alive = true;
  m.offset = context - step_;
  ++n_;
  offsets_ += m.offset;
  for (int s = 0; s < span_count_; ++s) {
    Span& x = span_[static_cast<std::size_t>(s)];
    const auto i = static_cast<std::size_t>(s);
    x.blocks += span_blocks(context, x.block_cap, block_);
    m.growing[i] = x.block_cap == 0 || context < x.block_cap;
    if (m.growing[i]) {
      ++x.growing_residues[static_cast<std::size_t>(floor_mod(m.offset, block_))];
      if (x.block_cap > 0) schedule(x.block_cap - m.offset, h, s, true);
    }
    if (x.span.kind == KeySpanKind::sliding) {
      m.below[i] = context + 1 < x.cap;
      if (m.below[i]) {
        ++x.below_n;
        x.below_offsets += m.offset;
        schedule(x.cap - 1 - m.offset, h, s, false);
      }
    } else if (x.span.kind == KeySpanKind::chunked) {
      ++x.chunk_residues[static_cast<std::size_t>(floor_mod(m.offset, x.cap))];
      x.chunk_floors += floor_div(context, x.cap);
    }
  }
  return h;
}

void ContextSet::remove(int h) {
  Member& m = members_[static_cast<std::size_t>(h)];
  const long long context = m.offset + step_;
  --n_;
  offsets_ -= m.offset;
  for (int s = 0; s < span_count_; ++s) {
    Span& x = span_[static_cast<std::size_t>(s)];
    const auto i = static_cast<std::size_t>(s);
    x.blocks -= span_blocks(context, x.block_cap, block_);
    if (m.growing[i]) --x.growing_residues[static_cast<std::size_t>(floor_mod(m.offset, block_))];
    if (x.span.kind == KeySpanKind::sliding && m.below[i]) {
      --x.below_n;
      x.below_offsets -= m.offset;
    } else if (x.span.kind == KeySpanKind::chunked) {
      --x.chunk_residues[static_cast<std::size_t>(floor_mod(m.offset, x.cap))];
      x.chunk_floors -= floor_div(context, x.cap);
    }
  }
  m.alive = false;
  ++m.epoch;
  free_.push_back(h);
}

long long ContextSet::context(int h) const { return members_[static_cast<std::size_t>(h)].offset + step_; }

long long ContextSet::next_new_blocks(int s) const {
  const Span& x = span_[static_cast<std::size_t>(s)];
  // A member gains a block when its context t = o + g, still under the cap, is a multiple of the block.
  return x.growing_residues[static_cast<std::size_t>(floor_mod(-step_, block_))];
}

void ContextSet::advance() {
  for (int s = 0; s < span_count_; ++s) {
    Span& x = span_[static_cast<std::size_t>(s)];
    x.blocks += next_new_blocks(s);
    // floor((o + g + 1) / C) passes floor((o + g) / C) for the members with o + g + 1 = 0 mod C.
    if (x.span.kind == KeySpanKind::chunked)
      x.chunk_floors += x.chunk_residues[static_cast<std::size_t>(floor_mod(-(step_ + 1), x.cap))];
  }
  ++step_;
  process_events();
}

void ContextSet::process_events() {
  while (!events_.empty() && events_.top().step <= step_) {
    const Event e = events_.top();
    events_.pop();
    Member& m = members_[static_cast<std::size_t>(e.handle)];
    if (!m.alive || m.epoch != e.epoch) continue;
    Span& x = span_[static_cast<std::size_t>(e.span)];
    const auto i = static_cast<std::size_t>(e.span);
    if (e.cap && m.growing[i]) {
      m.growing[i] = false;
      --x.growing_residues[static_cast<std::size_t>(floor_mod(m.offset, block_))];
    } else if (!e.cap && m.below[i]) {
      m.below[i] = false;
      --x.below_n;
      x.below_offsets -= m.offset;
    }
  }
}

double ContextSet::next_keys(int s) const {
  const Span& x = span_[static_cast<std::size_t>(s)];
  const double next =
      static_cast<double>(offsets_) + static_cast<double>(n_) * static_cast<double>(step_ + 1);
  switch (x.span.kind) {
    case KeySpanKind::sliding: {
      const double below = static_cast<double>(x.below_offsets) +
                           static_cast<double>(x.below_n) * static_cast<double>(step_ + 1);
      return below + static_cast<double>(n_ - x.below_n) * static_cast<double>(x.cap);
    }
    case KeySpanKind::chunked:
      return next - static_cast<double>(x.cap) * static_cast<double>(x.chunk_floors);
    case KeySpanKind::full:
      break;
  }
  return next;
}

}  // namespace infersim::serving

#include <algorithm>
#include <iterator>

#include "serving/engine.hpp"

namespace infersim::serving::detail {

void Engine::join_group(Replica& rep, Req& q, long long tokens, double units) {
  auto [it, created] = rep.groups.try_emplace(q.r.prefix_group);
  if (created) {
    it->second.tokens = tokens;
    it->second.units = units_for(tokens);
    rep.shared_held += it->second.units;
  } else if (it->second.evictable) {  // revived from the free pool
    it->second.evictable = false;
    rep.cached_free -= it->second.units;
    rep.shared_held += it->second.units;
  }
  ++it->second.refs;
  rep.shared_discount += units;
  q.shared_units = units;
}

void Engine::leave_group(Replica& rep, Req& q) {
  if (q.shared_units <= 0.0) return;
  rep.shared_discount -= q.shared_units;
  q.shared_units = 0.0;
  auto it = rep.groups.find(q.r.prefix_group);
  if (--it->second.refs == 0) {
    rep.shared_held -= it->second.units;
    it->second.evictable = true;
    it->second.last_use = ++group_uses_;
    rep.cached_free += it->second.units;
  }
}

// Evicts the least recently used cached prefixes while the blocks in use and the cached ones together
// exceed the replica's (vLLM's evictor takes free cached blocks LRU first).
void Engine::evict_cached(Replica& rep) {
  while (rep.cached_free > 0.0 && used_units(rep) + rep.cached_free > units_total_ + 1e-9) {
    auto lru = rep.groups.end();
    for (auto it = rep.groups.begin(); it != rep.groups.end(); ++it) {
      if (it->second.evictable && (lru == rep.groups.end() || it->second.last_use < lru->second.last_use))
        lru = it;
    }
    rep.cached_free -= lru->second.units;
    rep.groups.erase(lru);
  }
}

void Engine::preempt_newest(Replica& rep, double& extra_s) {
  auto newest = std::prev(rep.running.end());
  const int slot = newest->second;
  rep.running.erase(newest);
  Req& q = reqs_[static_cast<std::size_t>(slot)];
  ++q.preemptions;
  ++q.epoch;
  metrics_.on_preemption();
  leave_group(rep, q);
  if (q.handle >= 0) {  // decoding: its last token came at the end of the previous iteration
    q.last_token_s = rep.clock;
    const long long context = rep.decoding.context(q.handle);
    q.generated += rep.decode_steps - q.join_step;
    rep.decoding.remove(q.handle);
    q.handle = -1;
    if (cfg_.limits.preemption == Preemption::swap && cfg_.host_link_Bps) {
      q.swapped = true;
      q.swapped_context = context;
      extra_s += units_for(context) * block_bytes_ / *cfg_.host_link_Bps;
    } else {
      q.prompt = q.r.input_tokens + q.generated;
      q.prefilled = 0;
    }
  } else {  // prefilling: its chunks are recomputed
    rep.prefill_units -= q.held_units;
    q.held_units = 0.0;
    rep.prefilling.erase(std::find(rep.prefilling.begin(), rep.prefilling.end(), slot));
    q.prefilled = 0;
  }
  rep.waiting.push_front(slot);
}

void Engine::join_decoding(Replica& rep, int slot, long long context, long long decode_steps) {
  Req& q = reqs_[static_cast<std::size_t>(slot)];
  q.handle = rep.decoding.add(context);
  if (static_cast<std::size_t>(q.handle) >= rep.by_handle.size()) rep.by_handle.resize(q.handle + 1);
  rep.by_handle[static_cast<std::size_t>(q.handle)] = slot;
  q.join_step = decode_steps;
  rep.finishes.push({decode_steps + (q.r.output_tokens - q.generated), slot, q.epoch});
}

void Engine::drop_ignored(Replica& rep, const StepPlan& plan, RequestSource& source) {
  for (const int slot : plan.ignored) {
    metrics_.on_rejected();
    release(rep, slot, rep.clock, source);
  }
}

void Engine::complete(Replica& rep, int slot, double end_s, RequestSource& source) {
  Req& q = reqs_[static_cast<std::size_t>(slot)];
  rep.running.erase({q.admitted, slot});
  leave_group(rep, q);
  RequestRecord rec{q.r.id, q.r.arrival_s,    q.first_scheduled_s, q.first_token_s,
                    end_s,  q.r.input_tokens, q.r.output_tokens,   q.preemptions};
  metrics_.on_request_done(rec);
  if (observer_.request) observer_.request(rec);
  release(rep, slot, end_s, source);
}

void Engine::release(Replica& rep, int slot, double end_s, RequestSource& source) {
  Req& q = reqs_[static_cast<std::size_t>(slot)];
  // Every request that reaches here was admitted once, so under guaranteed admission it holds a reservation.
  if (cfg_.limits.reserve_full_sequence)
    rep.reserved_units -= units_for(q.r.input_tokens + q.r.output_tokens);
  --rep.outstanding;
  ++q.epoch;
  free_slots_.push_back(slot);
  source.on_complete(end_s);
  ++done_;
  if (observer_.progress && (done_ % 1024 == 0 || done_ == total_)) observer_.progress(done_, total_);
}

}  // namespace infersim::serving::detail

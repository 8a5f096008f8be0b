#include "serving/engine.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/errors.hpp"
#include "serving/static_shapes.hpp"

namespace infersim::serving::detail {

Engine::Engine(StepTimer& timer, const ServeConfig& cfg, const SloTargets& slo, const ServeObserver& observer)
    : timer_(timer), cfg_(cfg), metrics_(slo), observer_(observer), spans_(timer.spans()) {
  const StepMemory mem = timer.memory(static_cast<double>(cfg.limits.max_num_batched_tokens));
  block_bytes_ = static_cast<double>(cfg.limits.block_tokens) * mem.kv_bytes_per_token_per_device;
  // A replica's blocks: given (`serve --kv-blocks`, or the share of the free memory a published source
  // states), or what its memory leaves. Under pipeline parallelism each of the pp virtual engines has its
  // own scheduler and 1/pp of them (vLLM V0's virtual engines: Scheduler divides num_gpu_blocks by
  // pipeline_parallel_size).
  const double replica_blocks = cfg.kv_blocks ? static_cast<double>(*cfg.kv_blocks)
                                              : std::floor(mem.kv_budget_bytes_per_device / block_bytes_);
  units_total_ = std::floor(replica_blocks / timer.stages());
  if (!(units_total_ >= 1.0)) {
    if (cfg.kv_blocks) {
      throw InputError("a replica's " + std::to_string(*cfg.kv_blocks) +
                       " KV block(s) leave none to each of its " + std::to_string(timer.stages()) +
                       " pipeline virtual engines: give at least one block per pipeline stage");
    }
    throw InputError("no memory is left for the KV cache: usable " + gb(mem.usable_bytes) +
                     " per device, weights " + gb(mem.weight_bytes_per_device) + ", activations of a " +
                     std::to_string(cfg.limits.max_num_batched_tokens) + "-token step " +
                     gb(mem.activation_bytes_per_device) + ", runtime reserve " +
                     gb(mem.runtime_reserve_bytes) +
                     " (more --tp, fewer --max-num-batched-tokens, or "
                     "narrower --weights)");
  }
  // Each decode slot owns a static cache of the whole length, allocated when the server starts.
  if (!cfg.kv_blocks) {
    if (auto why = static_cache_problem(cfg.limits, mem, timer.stages())) throw InputError(*why);
  }
  const double layers = timer.model().layers;
  for (int s = 0; s < spans_.count; ++s) {
    const SpanGroup& g = spans_.group[static_cast<std::size_t>(s)];
    share_[static_cast<std::size_t>(s)] = g.layers / layers;
    // The tokens a sequence holds blocks for: its span's cap, or all of them (cached_span).
    cap_[static_cast<std::size_t>(s)] = span_cap(cached_span(g.span, timer.chunked_cache()));
  }
  // A static cache is allocated whole: the blocks of every slot's full length (checked to fit above).
  if (cfg.limits.static_cache_tokens > 0 && !cfg.kv_blocks) {
    units_total_ = static_cast<double>(cfg.limits.max_num_seqs) * units_for(cfg.limits.static_cache_tokens);
  }
  engines_per_replica_ = timer.stages();
  const int ranks = timer.attention_ranks();
  if (ranks > 1 && cfg.replicas % ranks != 0) {
    throw std::logic_error("serving: attention data-parallel ranks need whole groups of replicas");
  }
  plans_.resize(static_cast<std::size_t>(ranks));
  for (int i = 0; i < cfg.replicas * engines_per_replica_; ++i)
    replicas_.emplace_back(spans_, cfg.limits.block_tokens, timer.chunked_cache());
}

ServeResult Engine::run(RequestSource& source, long long max_requests, double offered_rate_rps) {
  total_ = max_requests;
  std::optional<Request> next;
  while (true) {
    if (!next && pulled_ < max_requests) {
      next = source.next();
      if (next) ++pulled_;
    }
    Replica* r = nullptr;
    for (Replica& x : replicas_) {
      if (x.busy() && (!r || x.clock < r->clock)) r = &x;
    }
    const double arrival = next ? received_s(*next) : kInf;
    if (!r && !next) break;
    if (next && (!r || arrival <= r->clock)) {
      deliver(*next, source);
      next.reset();
      continue;
    }
    const int ranks = timer_.attention_ranks();
    if (ranks > 1) {  // the group of r's rank, at r's virtual engine
      const auto index = static_cast<int>(r - replicas_.data());
      step_group(index / engines_per_replica_ / ranks * ranks, index % engines_per_replica_, source);
    } else {
      step(*r, source);
    }
  }
  ServeResult out;
  out.summary = metrics_.summary(static_cast<long long>(units_total_), last_arrival_s_, offered_rate_rps);
  out.summary.virtual_engines = engines_per_replica_;
  out.summary.devices = cfg_.replicas * timer_.devices_per_replica();
  out.kv_blocks_per_replica = static_cast<long long>(units_total_);
  out.kv_bytes_per_block_per_device = block_bytes_;
  out.time_by_class = time_by_class_;
  return out;
}

int Engine::new_slot() {
  if (!free_slots_.empty()) {
    const int s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  reqs_.emplace_back();
  return static_cast<int>(reqs_.size() - 1);
}

void Engine::deliver(const Request& in, RequestSource& source) {
  last_arrival_s_ = std::max(last_arrival_s_, in.arrival_s);
  const long long context = in.input_tokens + in.output_tokens;
  // A static cache holds at most its length: longer sequences (JetStream's rolling window) are refused.
  const bool too_long = context > timer_.model().max_context ||
                        (cfg_.limits.static_cache_tokens > 0 && context > cfg_.limits.static_cache_tokens);
  const bool never_fits = units_for(context) > units_total_;
  const bool over_budget =
      !cfg_.limits.chunked_prefill && in.input_tokens > cfg_.limits.max_num_batched_tokens;
  if (too_long || never_fits || over_budget) {
    metrics_.on_rejected();
    ++done_;
    source.on_complete(in.arrival_s);
    return;
  }
  const int slot = new_slot();
  Req& q = reqs_[static_cast<std::size_t>(slot)];
  q = Req{};
  q.r = in;
  q.prompt = in.input_tokens;
  // The router picks a replica; inside it, the virtual engine with the fewest unfinished requests takes
  // the request (vLLM V0's add_request over its pipeline's schedulers).
  const auto group_outstanding = [this](int g) {
    long long n = 0;
    for (int v = 0; v < engines_per_replica_; ++v) n += engine_at(g, v).outstanding;
    return n;
  };
  // A harness batch goes to one replica whole: the router picks it for the batch's first request.
  int group = 0;
  if (in.batch >= 0 && in.batch == batch_) {
    group = batch_group_;
  } else if (cfg_.router == Router::round_robin) {
    group = next_replica_;
    next_replica_ = (next_replica_ + 1) % cfg_.replicas;
  } else {
    for (int g = 1; g < cfg_.replicas; ++g) {
      if (group_outstanding(g) < group_outstanding(group)) group = g;
    }
  }
  batch_ = in.batch;
  batch_group_ = group;
  Replica* target = &engine_at(group, 0);
  for (int v = 1; v < engines_per_replica_; ++v) {
    if (engine_at(group, v).outstanding < target->outstanding) target = &engine_at(group, v);
  }
  const int ranks = timer_.attention_ranks();
  if (ranks > 1) {  // an attention rank keeps its group's clock; an idle group starts at the arrival
    const int first = group / ranks * ranks;
    const int v = static_cast<int>(target - replicas_.data()) % engines_per_replica_;
    bool idle = true;
    for (int i = 0; i < ranks; ++i) idle = idle && !engine_at(first + i, v).busy();
    if (idle) {
      for (int i = 0; i < ranks; ++i) {
        Replica& x = engine_at(first + i, v);
        x.clock = std::max(x.clock, received_s(in));
      }
    }
  } else if (!target->busy()) {
    target->clock = std::max(target->clock, received_s(in));
  }
  target->waiting.push_back(slot);
  ++target->outstanding;
}

void Engine::add_chunk(StepLoad& load, const Req& q, long long c) {
  // A statically compiled prefill computes the padded prompt: its padding attends and is attended like
  // the prompt's tokens (the mask only zeroes their scores).
  const bool ends_prompt = q.prefilled + c == q.prompt;
  if (cfg_.limits.pad_prefill_pow2) c = padded_prefill_tokens(c, cfg_.limits.max_num_batched_tokens);
  const auto p = static_cast<double>(q.prefilled);
  const auto e = static_cast<double>(q.prefilled + c);
  for (int s = 0; s < spans_.count; ++s) {
    StepSpanLoad& x = load.spans[static_cast<std::size_t>(s)];
    x.prefill_pairs += span_pairs(x.span, e) - span_pairs(x.span, p);
    x.prefill_cached_keys += span_cached_tokens(x.span, p);
  }
  load.prefill_tokens += static_cast<double>(c);
  if (ends_prompt) load.sampled_rows += 1.0;
}

void Engine::plan_step(Replica& rep, StepPlan& plan) {
  const double start_s = rep.clock;
  const SchedulerLimits& lim = cfg_.limits;
  double extra_s = 0.0;
  std::vector<Chunk>& chunks = plan.chunks;
  std::vector<int>& swapped = plan.swapped_in;
  // Room for every decode row's next token, preempting the newest requests while it is short.
  auto decode_need = [&] {
    double need = 0.0;
    for (int s = 0; s < spans_.count; ++s)
      need += share_[static_cast<std::size_t>(s)] * static_cast<double>(rep.decoding.next_new_blocks(s));
    return need;
  };
  while (rep.decoding.size() > 0 && free_units(rep) < decode_need()) preempt_newest(rep, extra_s);
  double reserve = decode_need();  // the decode rows' next blocks, kept from the prompts below
  const long long decode_rows = rep.decoding.size();
  long long budget = lim.max_num_batched_tokens - decode_rows;
  chunks.clear();
  swapped.clear();
  plan.ignored.clear();
  for (const int slot : rep.prefilling) {  // admitted prompts first, in admission order
    Req& q = reqs_[static_cast<std::size_t>(slot)];
    const long long c = std::min(q.prompt - q.prefilled, budget);
    if (c <= 0) break;
    const double units = units_for(q.prefilled + c) - q.held_units;
    if (free_units(rep) - reserve < units) break;
    rep.prefill_units += units;
    q.held_units += units;
    chunks.push_back({slot, c});
    budget -= c;
  }
  const auto prefill_room = [&] {
    return lim.max_prefill_seqs == 0 || static_cast<long long>(chunks.size()) < lim.max_prefill_seqs;
  };
  while (!rep.waiting.empty() && budget > 0 && prefill_room() &&
         static_cast<long long>(rep.running.size()) < lim.max_num_seqs) {
    const int slot = rep.waiting.front();
    Req& q = reqs_[static_cast<std::size_t>(slot)];
    if (q.swapped) {  // swapped out: back over the host link, straight to decoding
      if (free_units(rep) - reserve < units_for(q.swapped_context) + 1.0) break;
      rep.waiting.pop_front();
      q.swapped = false;
      extra_s += units_for(q.swapped_context) * block_bytes_ / *cfg_.host_link_Bps;
      q.admitted = ++admissions_;
      rep.running.insert({q.admitted, slot});
      join_decoding(rep, slot, q.swapped_context, rep.decode_steps);
      swapped.push_back(slot);
      --budget;
      reserve = decode_need();
      continue;
    }
    // A cached prefix skips its prefill: the request starts after it (at least one token computed).
    long long shared = 0;
    if (q.prefilled == 0) {
      const auto group = rep.groups.find(q.r.prefix_group);
      if (shareable_tokens(q) > 0 && group != rep.groups.end())
        shared = std::min(group->second.tokens, q.prompt - 1) / lim.block_tokens * lim.block_tokens;
    }
    const long long rest = q.prompt - std::max(q.prefilled, shared);
    // Without chunked prefill a prompt longer than a whole iteration's budget never runs. Arrivals that
    // long are refused (deliver); a request preempted by recompute can grow past it (input + generated),
    // and vLLM V0 then ignores it (its prompt limit, FINISHED_IGNORED): it leaves the queue.
    if (!lim.chunked_prefill && rest > lim.max_num_batched_tokens) {
      rep.waiting.pop_front();
      plan.ignored.push_back(slot);
      continue;
    }
    const long long c = lim.chunked_prefill ? std::min(rest, budget) : (rest <= budget ? rest : 0);
    if (c <= 0) break;
    double units = units_for(std::max(q.prefilled, shared) + c) - q.held_units - units_for(shared);
    if (shared > 0) {
      const PrefixGroup& g = rep.groups.at(q.r.prefix_group);
      if (g.evictable) units += g.units;  // reviving the cached prefix takes its blocks back
    }
    if (free_units(rep) - reserve < units) break;
    const double whole = units_for(q.r.input_tokens + q.r.output_tokens);
    if (lim.reserve_full_sequence && q.first_scheduled_s < 0.0) {
      if (units_total_ - rep.reserved_units < whole - 1e-9) break;
      rep.reserved_units += whole;
    }
    rep.waiting.pop_front();
    if (shared > 0) {
      q.prefilled = shared;
      q.held_units = units_for(shared);
      rep.prefill_units += q.held_units;
      join_group(rep, q, shared, q.held_units);
    }
    if (q.first_scheduled_s < 0.0) q.first_scheduled_s = start_s;
    q.admitted = ++admissions_;
    rep.running.insert({q.admitted, slot});
    rep.prefilling.push_back(slot);
    rep.prefill_units += units;
    q.held_units += units;
    chunks.push_back({slot, c});
    budget -= c;
  }
  evict_cached(rep);
  const long long rows = rep.decoding.size();
  plan.idle = rows == 0 && chunks.empty();
  if (plan.idle) {
    if (!plan.ignored.empty()) return;  // the queue had only requests that can never run
    throw std::logic_error("serving: nothing could be scheduled on a busy replica");
  }
  StepLoad& load = plan.load;
  load = StepLoad{};
  load.span_count = spans_.count;
  // A static generate step computes every slot over its whole cache (docs/formulas.md#static_decode).
  const bool static_step = lim.static_cache_tokens > 0 && rows > 0;
  const double step_rows = static_step ? static_cast<double>(lim.max_num_seqs) : static_cast<double>(rows);
  load.decode_rows = step_rows;
  load.sampled_rows = step_rows;
  for (int s = 0; s < spans_.count; ++s) {
    StepSpanLoad& x = load.spans[static_cast<std::size_t>(s)];
    x.span = spans_.group[static_cast<std::size_t>(s)].span;
    x.decode_keys = static_step ? static_decode_keys(lim.max_num_seqs, lim.static_cache_tokens)
                                : rep.decoding.next_keys(s);
  }
  // A static generate step's shapes are fixed (every slot, one token each): a prompt cannot join it, so the
  // iteration's prefills run as a pass of their own beside it (JetStream's separate prefill program).
  StepLoad& prefill_load = plan.prefill_load;
  prefill_load = StepLoad{};
  if (static_step) {
    prefill_load.span_count = spans_.count;
    for (int s = 0; s < spans_.count; ++s)
      prefill_load.spans[static_cast<std::size_t>(s)].span = spans_.group[static_cast<std::size_t>(s)].span;
  }
  StepLoad& chunk_load = static_step ? prefill_load : load;
  for (const Chunk& c : chunks) add_chunk(chunk_load, reqs_[static_cast<std::size_t>(c.slot)], c.tokens);
  plan.static_step = static_step;
  plan.rows = rows;
  plan.extra_s = extra_s;
}

bool Engine::graph_step(const StepPlan& plan) const {
  return !cfg_.limits.graph_padding_sizes.empty() && !plan.static_step && plan.chunks.empty() &&
         plan.rows > 0;
}

void Engine::pad_to_graph(StepPlan& plan, long long rows) const {
  const SchedulerLimits& lim = cfg_.limits;
  const long long padded = graph_padded_rows(rows, lim.graph_padding_sizes,
                                             std::min(lim.max_num_seqs, lim.max_num_batched_tokens));
  const auto extra = static_cast<double>(padded - plan.rows);
  plan.load.decode_rows += extra;
  plan.load.sampled_rows += extra;
  plan.load.graph_padding_rows = extra;
}

double Engine::plan_time(Replica& rep, StepPlan& plan) {
  // The replica's other busy virtual engines share its pipeline's stages with this iteration.
  const auto index = static_cast<int>(&rep - replicas_.data());
  int in_flight = 0;
  for (int v = 0; v < engines_per_replica_; ++v) {
    if (engine_at(index / engines_per_replica_, v).busy()) ++in_flight;
  }
  double step_s = timer_.step_s(plan.load, in_flight, &plan.times) + plan.extra_s;
  plan.times.swap_s = plan.extra_s;
  if (plan.static_step && !plan.chunks.empty()) {
    TimeByClass prefill;
    step_s += timer_.step_s(plan.prefill_load, in_flight, &prefill);
    add_scaled(plan.times, prefill, 1.0);
  }
  return step_s;
}

void Engine::step(Replica& rep, RequestSource& source) {
  StepPlan& plan = plans_.front();
  plan_step(rep, plan);
  drop_ignored(rep, plan, source);
  if (plan.idle) return;
  if (graph_step(plan)) pad_to_graph(plan, plan.rows);
  const double step_s = plan_time(rep, plan);
  commit_step(rep, plan, step_s, plan.times, source);
}

void Engine::step_group(int first, int v, RequestSource& source) {
  // Attention data-parallel ranks run their routed experts as one group, so they iterate together: each
  // busy rank schedules its own batch, the experts gather every rank's tokens, and the iteration lasts as
  // long as the slowest rank's (docs/formulas.md#attention_data_parallel). An idle rank joins with nothing.
  // Under pipeline parallelism the group is the ranks' virtual engine v: a stage's ranks run one
  // micro-batch of each rank together.
  // The ranks replay a CUDA graph only when every busy rank's iteration is decode rows alone, each padded to
  // the captured size that holds the largest rank's rows.
  const int ranks = timer_.attention_ranks();
  bool graph = true;
  long long most_rows = 0;
  for (int i = 0; i < ranks; ++i) {
    Replica& rep = engine_at(first + i, v);
    StepPlan& plan = plans_[static_cast<std::size_t>(i)];
    plan.active = rep.busy();
    if (!plan.active) continue;
    plan_step(rep, plan);
    drop_ignored(rep, plan, source);
    plan.active = !plan.idle;
    if (!plan.active) continue;
    graph = graph && graph_step(plan);
    most_rows = std::max(most_rows, plan.rows);
  }
  double group_tokens = 0.0;
  for (int i = 0; i < ranks; ++i) {
    StepPlan& plan = plans_[static_cast<std::size_t>(i)];
    if (!plan.active) continue;
    if (graph) pad_to_graph(plan, most_rows);
    group_tokens += plan.load.decode_rows + plan.load.prefill_tokens + plan.prefill_load.prefill_tokens;
  }
  double step_s = 0.0;
  const TimeByClass* slowest = nullptr;  // the rank the iteration waits for
  for (int i = 0; i < ranks; ++i) {
    StepPlan& plan = plans_[static_cast<std::size_t>(i)];
    if (!plan.active) continue;
    plan.load.moe_group_tokens = group_tokens;
    plan.prefill_load.moe_group_tokens = group_tokens;
    const double rank_s = plan_time(engine_at(first + i, v), plan);
    if (!slowest || rank_s > step_s) slowest = &plan.times;
    step_s = std::max(step_s, rank_s);
  }
  for (int i = 0; i < ranks; ++i) {
    Replica& rep = engine_at(first + i, v);
    const StepPlan& plan = plans_[static_cast<std::size_t>(i)];
    if (plan.active) {
      commit_step(rep, plan, step_s, *slowest, source);
    } else {
      rep.clock += step_s;
    }
  }
}

void Engine::commit_step(Replica& rep, const StepPlan& plan, double step_s, const TimeByClass& times,
                         RequestSource& source) {
  const double start_s = rep.clock;
  add_scaled(time_by_class_, times, 1.0);
  const std::vector<Chunk>& chunks = plan.chunks;
  const std::vector<int>& swapped = plan.swapped_in;
  const long long rows = plan.rows;
  const double end_s = start_s + step_s;
  const long long used_before = static_cast<long long>(std::ceil(used_units(rep) - 1e-9));
  rep.decoding.advance();
  ++rep.decode_steps;
  const auto swapped_in = static_cast<long long>(swapped.size());
  if (rows - swapped_in > 0) metrics_.on_token_gaps(step_s, rows - swapped_in);
  for (const int slot : swapped) {  // their last token came before they were swapped out
    Req& q = reqs_[static_cast<std::size_t>(slot)];
    metrics_.on_token_gaps(end_s - q.last_token_s, 1);
    q.last_token_s = end_s;
  }
  while (!rep.finishes.empty() && rep.finishes.top().step <= rep.decode_steps) {
    const Finish f = rep.finishes.top();
    rep.finishes.pop();
    Req& q = reqs_[static_cast<std::size_t>(f.slot)];
    if (q.epoch != f.epoch || q.handle < 0) continue;
    rep.decoding.remove(q.handle);
    q.handle = -1;
    complete(rep, f.slot, end_s, source);
  }
  for (const Chunk& c : chunks) {
    Req& q = reqs_[static_cast<std::size_t>(c.slot)];
    q.prefilled += c.tokens;
    const long long prefix = shareable_tokens(q);
    if (prefix > 0 && q.shared_units <= 0.0 && q.prefilled >= prefix)
      join_group(rep, q, prefix, units_for(prefix));
    if (q.prefilled < q.prompt) continue;
    ++q.generated;  // the prompt's last position samples a token
    if (q.first_token_s < 0.0) {
      q.first_token_s = end_s;
    } else {
      metrics_.on_token_gaps(end_s - q.last_token_s, 1);
    }
    q.last_token_s = end_s;
    rep.prefilling.erase(std::find(rep.prefilling.begin(), rep.prefilling.end(), c.slot));
    rep.prefill_units -= q.held_units;
    q.held_units = 0.0;
    if (q.generated >= q.r.output_tokens) {
      complete(rep, c.slot, end_s, source);
    } else {
      join_decoding(rep, c.slot, q.prompt, rep.decode_steps);
    }
  }
  const long long running = static_cast<long long>(rep.running.size());
  metrics_.on_step(start_s, step_s, running, used_before);
  if (!cfg_.limits.graph_padding_sizes.empty() && rows > 0)
    metrics_.on_graph_rows(rows, static_cast<long long>(plan.load.graph_padding_rows));
  if (observer_.step) {
    long long prefill_tokens = 0;
    for (const Chunk& c : chunks) prefill_tokens += c.tokens;
    observer_.step({start_s, static_cast<long long>(&rep - replicas_.data()), running, prefill_tokens, rows,
                    used_before, step_s});
  }
  evict_cached(rep);
  rep.clock = end_s;
}

}  // namespace infersim::serving::detail

#pragma once
// Internal to the serving simulator (simulator.cpp, engine.cpp, engine_kv.cpp): the state of the requests
// and replicas of one run, and the engine that steps them (docs/formulas.md#serving_simulator).
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <queue>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "serving/contexts.hpp"
#include "serving/simulator.hpp"

namespace infersim::serving::detail {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Req {
  Request r;
  long long prompt = 0;  // tokens to prefill: the input, or input + generated after a recompute
  long long prefilled = 0;
  long long generated = 0;  // output tokens so far (as of joining the decode set)
  long long join_step = 0;  // the replica's decode step when it joined the decode set
  double first_scheduled_s = -1.0;
  double first_token_s = -1.0;
  double last_token_s = 0.0;
  long long preemptions = 0;
  int handle = -1;          // in the decode set
  double held_units = 0.0;  // KV blocks held while prefilling
  long long admitted = 0;
  int epoch = 0;
  bool swapped = false;
  long long swapped_context = 0;
  double shared_units = 0.0;  // > 0: holds a reference to its prefix group's cached blocks
};

// The cached blocks of one prefix group on a replica: held once while any member refers to them.
struct PrefixGroup {
  long long tokens = 0;  // the prefix, whole blocks only (vLLM caches full blocks)
  double units = 0.0;
  long long refs = 0;
  bool evictable = false;  // no member refers to it: cached in the free pool until evicted (LRU)
  long long last_use = 0;
};

struct Finish {
  long long step = 0;
  int slot = 0;
  int epoch = 0;
  bool operator>(const Finish& o) const { return step > o.step; }
};

// One scheduler and its KV blocks: a replica, or one of its pp virtual engines.
struct Replica {
  Replica(const SpanGroups& spans, long long block, ChunkedCache cache) : decoding(spans, block, cache) {}
  double clock = 0.0;
  std::deque<int> waiting;
  std::vector<int> prefilling;
  ContextSet decoding;
  std::vector<int> by_handle;
  std::priority_queue<Finish, std::vector<Finish>, std::greater<>> finishes;
  std::set<std::pair<long long, int>> running;  // (admission order, slot): the newest is the victim
  long long decode_steps = 0;
  double prefill_units = 0.0;
  double reserved_units = 0.0;  // reserve_full_sequence: the whole sequences of the admitted requests
  // Prefix caching: the members' own counts include their shared blocks (discounted here), and each
  // group's blocks are held once.
  double shared_discount = 0.0;
  double shared_held = 0.0;
  double cached_free = 0.0;  // blocks of evictable groups: free, but their contents still reusable
  std::unordered_map<long long, PrefixGroup> groups;
  long long outstanding = 0;
  [[nodiscard]] bool busy() const { return !waiting.empty() || !prefilling.empty() || decoding.size() > 0; }
};

class Engine {
 public:
  Engine(StepTimer& timer, const ServeConfig& cfg, const SloTargets& slo, const ServeObserver& observer);
  ServeResult run(RequestSource& source, long long max_requests, double offered_rate_rps);

  // Bytes for a message, in GB to one decimal.
  static std::string gb(double bytes) {
    const double tenths = std::round(bytes / 1e8);
    return std::to_string(static_cast<long long>(tenths) / 10) + "." +
           std::to_string(static_cast<long long>(tenths) % 10) + " GB";
  }

 private:
  // KV blocks (in units of an all-layer block) a sequence of `context` cached tokens holds.
  double units_for(long long context) const {
    double units = 0.0;
    for (int s = 0; s < spans_.count; ++s) {
      const auto i = static_cast<std::size_t>(s);
      units += share_[i] * static_cast<double>(span_blocks(context, cap_[i], cfg_.limits.block_tokens));
    }
    return units;
  }
  double used_units(const Replica& r) const {
    double units = r.prefill_units - r.shared_discount + r.shared_held;
    for (int s = 0; s < spans_.count; ++s)
      units += share_[static_cast<std::size_t>(s)] * static_cast<double>(r.decoding.blocks(s));
    return units;
  }
  double free_units(const Replica& r) const { return units_total_ - used_units(r) + 1e-9; }

  // The whole blocks of a request's prefix that prefix caching can share, 0 when none.
  long long shareable_tokens(const Req& q) const {
    if (!cfg_.limits.prefix_caching || q.r.prefix_group < 0) return 0;
    return q.r.prefix_tokens / cfg_.limits.block_tokens * cfg_.limits.block_tokens;
  }
  // Prefix caching (engine_kv.cpp): a request joins or leaves its prefix group's shared blocks; the LRU
  // cached prefixes are evicted while blocks in use and cached ones together exceed the replica's.
  void join_group(Replica& rep, Req& q, long long tokens, double units);
  void leave_group(Replica& rep, Req& q);
  void evict_cached(Replica& rep);
  // Requests through a replica (engine_kv.cpp): preemption of the newest, joining the decode set, completion.
  void preempt_newest(Replica& rep, double& extra_s);
  void join_decoding(Replica& rep, int slot, long long context, long long decode_steps);
  void complete(Replica& rep, int slot, double end_s, RequestSource& source);
  // A finished or dropped request's slot back: its reservation, the replica's count, the source's client.
  void release(Replica& rep, int slot, double end_s, RequestSource& source);

  // Virtual engine v of replica g (engines_per_replica_ of them: the pipeline's stages).
  Replica& engine_at(int g, int v) {
    return replicas_[static_cast<std::size_t>(g * engines_per_replica_ + v)];
  }

  // Arrivals and iterations (engine.cpp).
  int new_slot();
  void deliver(const Request& in, RequestSource& source);

  struct Chunk {
    int slot;
    long long tokens;
  };

  // One iteration of a replica: what it schedules (its load, chunks and swap-ins), how long it takes, and
  // its effects once it ends after step_s.
  struct StepPlan {
    StepLoad load;
    StepLoad prefill_load;  // a static generate step's prompts, run beside it
    std::vector<Chunk> chunks;
    std::vector<int> swapped_in;
    long long rows = 0;  // decode rows
    double extra_s = 0.0;
    TimeByClass times;  // where its time goes (plan_time)
    bool static_step = false;
    bool active = false;  // in a group step: the rank had work
    // Waiting requests that can never run again (chunked prefill off, a prompt over the step's token
    // budget), taken off the queue by plan_step and dropped by drop_ignored; `idle`: nothing else was
    // scheduled, so the iteration does not run.
    std::vector<int> ignored;
    bool idle = false;
  };

  void add_chunk(StepLoad& load, const Req& q, long long c);
  // An iteration of decode rows alone, which a runtime replaying CUDA graphs runs as a captured graph.
  [[nodiscard]] bool graph_step(const StepPlan& plan) const;
  // Its rows padded to the captured batch size that holds `rows` (its own, or under attention data
  // parallelism the largest rank's; docs/formulas.md#cuda_graph_padding).
  void pad_to_graph(StepPlan& plan, long long rows) const;
  void plan_step(Replica& rep, StepPlan& plan);
  // Ends the plan's ignored requests at the replica's clock, counted with the rejected (vLLM V0's
  // FINISHED_IGNORED).
  void drop_ignored(Replica& rep, const StepPlan& plan, RequestSource& source);
  // The iteration's time, and (plan.times) where it goes.
  double plan_time(Replica& rep, StepPlan& plan);
  // `times`: where step_s went (the slowest rank's, for a group step).
  void commit_step(Replica& rep, const StepPlan& plan, double step_s, const TimeByClass& times,
                   RequestSource& source);
  void step(Replica& rep, RequestSource& source);
  // The attention data-parallel ranks first .. first + ranks - 1 iterate together, each one's virtual
  // engine v (its pipeline's micro-batch v; 0 without pipeline parallelism).
  void step_group(int first, int v, RequestSource& source);

  StepTimer& timer_;
  const ServeConfig& cfg_;
  MetricsCollector metrics_;
  const ServeObserver& observer_;
  SpanGroups spans_;
  std::array<double, kMaxSpanGroups> share_{};
  std::array<long long, kMaxSpanGroups> cap_{};
  double units_total_ = 0.0;
  double block_bytes_ = 0.0;
  std::vector<Replica> replicas_;  // every replica's virtual engines, replica by replica
  int engines_per_replica_ = 1;
  std::vector<Req> reqs_;
  std::vector<int> free_slots_;
  std::vector<StepPlan> plans_;  // one per attention data-parallel rank of a group (one without)
  long long admissions_ = 0;
  long long group_uses_ = 0;
  int next_replica_ = 0;
  long long batch_ = -1;  // the harness batch being delivered
  int batch_group_ = 0;   // the replica group that takes it
  long long pulled_ = 0;
  long long done_ = 0;
  long long total_ = 0;
  double last_arrival_s_ = 0.0;
  TimeByClass time_by_class_;  // every committed iteration's, summed
};

}  // namespace infersim::serving::detail

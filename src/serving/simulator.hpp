#pragma once
// A discrete-event simulator of a serving engine (docs/formulas.md#serving_simulator): requests arrive,
// wait, join the running batch at any iteration (continuous batching, Yu et al. 2022 "Orca"), prefill in
// chunks beside other requests' decodes (Agrawal et al. 2024 "Sarathi-Serve"; vLLM V1's default), hold
// paged KV blocks (Kwon et al. 2023 "PagedAttention") and are preempted, newest first, when blocks run
// out. Each iteration's time is the engine's own step model (core/step.hpp). Under pipeline parallelism a
// replica runs pp virtual engines (vLLM V0's), each scheduling its own batch over 1/pp of the KV blocks,
// their batches sharing the stages. Pure: no I/O; the caller streams the per-request and per-iteration
// records through an observer.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/step.hpp"
#include "serving/metrics.hpp"
#include "serving/workload.hpp"

namespace infersim::serving {

enum class Router { round_robin, least_outstanding };

struct ServeConfig {
  SchedulerLimits limits;
  int replicas = 1;
  Router router = Router::round_robin;
  // KV blocks of one replica instead of what memory allows (tests, what-ifs, a source's stated share of the
  // free memory); under pipeline parallelism each of its pp virtual engines takes 1/pp of them
  std::optional<long long> kv_blocks;
  std::optional<double> host_link_Bps;  // swap preemption's bandwidth to host memory, per direction
  std::optional<HarnessBatcherSpec> harness_batcher;  // absent: each request reaches the engine at arrival
};

// Why the limits cannot run (non-positive values, a token budget under max_num_seqs), or none.
[[nodiscard]] std::optional<std::string> limits_problem(const SchedulerLimits& l);
// Why a static KV cache (l.static_cache_tokens > 0) cannot be allocated on a replica of `stages` pipeline
// stages whose device budgets `mem`: every virtual engine's max_num_seqs slots of the whole length; none
// when it fits or the cache is paged.
[[nodiscard]] std::optional<std::string> static_cache_problem(const SchedulerLimits& l, const StepMemory& mem,
                                                              int stages);

// Where requests come from: the next one in arrival order, or none. Closed-loop sources get told of
// completions (and may then release a request arriving at that time).
class RequestSource {
 public:
  virtual ~RequestSource() = default;
  [[nodiscard]] virtual std::optional<Request> next() = 0;
  virtual void on_complete(double /*time_s*/) {}
};

// Closed loop (GenAI-Perf, NIM benchmarks): `clients` clients, each sending its next request when its last
// completes; the first `clients` at t = 0.
class ClosedLoopSource : public RequestSource {
 public:
  ClosedLoopSource(SyntheticWorkload lengths, long long clients);
  std::optional<Request> next() override;
  void on_complete(double time_s) override;

 private:
  SyntheticWorkload lengths_;
  long long ready_ = 0;
  double release_s_ = 0.0;
  std::vector<double> released_;
};

struct StepRecord {
  double time_s = 0.0;  // the iteration's start
  long long replica = 0;
  long long running = 0;
  long long prefill_tokens = 0;
  long long decode_tokens = 0;
  long long kv_blocks_used = 0;
  double step_s = 0.0;
};

struct ServeObserver {
  std::function<void(const RequestRecord&)> request;  // each completed request, in completion order
  std::function<void(const StepRecord&)> step;        // each iteration
  std::function<void(long long done, long long total)> progress;
};

struct ServeResult {
  ServeSummary summary;
  long long kv_blocks_per_replica = 0;  // per virtual engine under pipeline parallelism
  double kv_bytes_per_block_per_device = 0.0;
  // Where the iterations' time went, every replica's (and every attention data-parallel rank's) summed:
  // it adds up to the replicas' busy time (docs/formulas.md#time_by_class).
  TimeByClass time_by_class;
};

// Runs `source` (at most `max_requests` requests) through `replicas` replicas of `timer`'s model and
// layout. Throws InputError when the limits are invalid or the model's weights leave no KV memory.
[[nodiscard]] ServeResult simulate(StepTimer& timer, const ServeConfig& cfg, RequestSource& source,
                                   long long max_requests, const SloTargets& slo, double offered_rate_rps,
                                   const ServeObserver& observer = {});

}  // namespace infersim::serving

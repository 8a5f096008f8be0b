#pragma once
// The requests a serving simulation runs: one per arrival, in arrival order, drawn from a synthetic
// workload (this file) or read from a trace (io/serving/trace_csv.hpp).
#include <cstdint>
#include <optional>
#include <string>

#include "serving/random.hpp"

namespace infersim::serving {

struct Request {
  long long id = 0;  // 0, 1, ... in arrival order
  double arrival_s = 0.0;
  long long input_tokens = 0;   // prompt tokens, >= 1
  long long output_tokens = 0;  // generated tokens, >= 1, the first produced by prefill
  long long prefix_group = -1;  // requests of one group share the KV of their first prefix_tokens; -1: none
  long long prefix_tokens = 0;  // 0 <= prefix_tokens <= input_tokens
  // When the engine receives it, where a harness batches requests (serving/harness_batcher.hpp), and the
  // harness batch it came in (one replica takes a whole batch); absent / -1: at arrival, routed alone.
  std::optional<double> dispatch_s;
  long long batch = -1;
};

// A client-side batcher in front of the engine (docs/formulas.md#harness_batcher): a batch goes out when
// max_queries requests have queued or window_s has passed since the last one.
struct HarnessBatcherSpec {
  long long max_queries = 96;
  double window_s = 0.3;

  friend bool operator==(const HarnessBatcherSpec&, const HarnessBatcherSpec&) = default;
};

// When the engine receives `r`: its dispatch, or its arrival.
[[nodiscard]] inline double received_s(const Request& r) { return r.dispatch_s.value_or(r.arrival_s); }

// A length distribution in tokens. fixed: a. uniform: the integers a..b, inclusive. normal: mean a,
// standard deviation b. lognormal: arithmetic mean a, b the sigma of the underlying normal, so
// mu = ln a - b^2 / 2 (then E[exp(mu + b Z)] = a).
struct LengthDist {
  enum class Kind { fixed, uniform, normal, lognormal } kind = Kind::fixed;
  double a = 0.0;
  double b = 0.0;

  friend bool operator==(const LengthDist&, const LengthDist&) = default;
};

// The longest length a distribution may name, and the clamp of a workload without a context.
inline constexpr long long kMaxRequestTokens = 1'000'000'000;
// Lognormal sigma at most this: exp(10 Z) already spans 10^-20 .. 10^20 at |Z| = 4.6.
inline constexpr double kMaxLognormalSigma = 10.0;

// Why `d` is not a usable distribution, as what it must be ("uniform:LO:HI with integers 1 <= LO <= HI
// <= 1000000000"), or none.
[[nodiscard]] std::optional<std::string> why_invalid(const LengthDist& d);

// One length drawn from `d`, rounded to the nearest integer and clamped to [1, max_tokens]
// (max_tokens >= 1). fixed draws nothing from `rng`.
[[nodiscard]] long long sample_length(const LengthDist& d, Rng& rng, long long max_tokens);

// poisson: exponential gaps; gamma: Gamma gaps of shape `burstiness` (coefficient of variation
// 1/sqrt(burstiness), vLLM's benchmark_serving meaning; 1 is Poisson); offline: every request at t = 0.
enum class Arrivals { poisson, gamma, offline };

struct WorkloadSpec {
  Arrivals arrivals = Arrivals::poisson;
  double rate_rps = 1.0;    // mean arrival rate, > 0 (unused offline)
  double burstiness = 1.0;  // Gamma shape K > 0 (gamma arrivals only)
  LengthDist input{LengthDist::Kind::fixed, 1024.0, 0.0};
  LengthDist output{LengthDist::Kind::fixed, 256.0, 0.0};
  long long requests = 1000;  // >= 0
  // Arrivals at a rate: issue requests for at least this long, rate_rps x min_duration_s of them when
  // that is more than `requests` (MLPerf's performance runs last at least their min_duration, whatever
  // the query count). 0: `requests` alone. Unused offline.
  double min_duration_s = 0.0;
  std::uint64_t seed = 0;
  // Each length is clamped to [1, max_context] (the model's context); absent: only to >= 1. A request
  // whose input + output exceeds the context is the simulator's to reject and count.
  std::optional<long long> max_context;
};

// Throws InputError (core/errors.hpp) naming the first value out of range.
void check_workload(const WorkloadSpec& spec);

// The requests a workload issues: `requests`, or under arrivals at a rate at least
// ceil(rate_rps x min_duration_s) of them (docs/formulas.md#serving_max_rate).
[[nodiscard]] long long requests_to_issue(const WorkloadSpec& spec);

// Generates spec.requests requests lazily, in arrival order, in O(1) memory. Common random numbers:
// the gaps between arrivals are drawn at unit rate (Gamma with shape K and mean 1; K = 1 exponential)
// and divided by rate_rps, and the lengths come from a separate stream (the arrival stream jumped
// 2^128 draws ahead), so one seed at two rates gives the same requests with arrival times in the
// inverse ratio of the rates. The first request arrives at t = 0 (vLLM's benchmark sends its first
// request at once and then waits a gap).
class SyntheticWorkload {
 public:
  explicit SyntheticWorkload(const WorkloadSpec& spec);
  std::optional<Request> next();

 private:
  WorkloadSpec spec_;
  Rng arrival_rng_;
  Rng length_rng_;
  long long issued_ = 0;
  double unit_time_ = 0.0;  // the current arrival at rate 1
  long long max_tokens_;
};

}  // namespace infersim::serving

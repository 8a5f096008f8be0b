#pragma once
// Searches over the Poisson request rate by simulation: the highest rate at which a percentile of TTFT
// and of TPOT each meets its target (MLPerf Server's rule), and the latency-throughput curve of a sweep
// of rates. Every run draws the same requests from one seed, arrivals at unit rate scaled to the rate
// (common random numbers, serving/workload.hpp), so the search is repeatable and its probes comparable.
// docs/formulas.md#serving_max_rate. Pure: no I/O.
#include <optional>
#include <vector>

#include "serving/simulator.hpp"

namespace infersim::serving {

// One simulated rate of a search.
struct RateProbe {
  double rate_rps = 0.0;
  double ttft_s = 0.0;  // at the searched percentile
  double tpot_s = 0.0;
  double output_throughput_tok_s = 0.0;
  bool meets = false;
};

struct MaxRateResult {
  double offline_rps = 0.0;  // request throughput with every request at t = 0: the search's scale
  // The highest rate found meeting the targets; none when even 1 % of offline_rps misses them (or no
  // request can run at all).
  std::optional<double> rate_rps;
  // The lowest rate probed above rate_rps that misses (at most 1 % above it after the bisection); none
  // when the search's bound, 2 x offline_rps, still meets the targets (rate_rps is then that bound).
  std::optional<double> next_rate_rps;
  std::vector<RateProbe> curve;  // every probe, by rate
  ServeResult at_rate;           // the run at rate_rps (default when there is none)
};

// The given percentile of TTFT (ttft true) or TPOT: the summary's 50th, 90th, 99th or its targets' one
// (ServeSummary::slo_percentile); std::invalid_argument for another.
[[nodiscard]] double summary_percentile(const ServeSummary& s, double percentile, bool ttft);

// Whether a run meets the targets: some request finished, none was rejected, and the percentile of TTFT
// and of TPOT each within its target (a target not given holds).
[[nodiscard]] bool meets_slo(const ServeSummary& s, const SloTargets& slo, double percentile);

// Request throughput of `workload`'s requests all arriving at t = 0: no rate above it keeps the queues
// finite. 0 when no request can run.
[[nodiscard]] double offline_rate_rps(StepTimer& timer, const ServeConfig& cfg, const WorkloadSpec& workload);

// The search: the offline run bounds the rate; a probe there, then at twice it (when it meets) or at 1 %
// of it (when it misses), then bisection until the rates meeting and missing are within 1 % of each
// other. `workload` gives the lengths, the number of requests and the seed; its arrivals and rate are the
// search's. percentile is in (0, 100] (slo.percentile is replaced by it); at least one target must be
// given (std::invalid_argument otherwise). Throws InputError as simulate() does.
[[nodiscard]] MaxRateResult find_max_rate(StepTimer& timer, const ServeConfig& cfg,
                                          const WorkloadSpec& workload, const SloTargets& slo,
                                          double percentile);

// One rate of a latency-throughput curve and its run's summary.
struct RatePoint {
  double rate_rps = 0.0;
  ServeSummary summary;
};

// Poisson runs of `workload` at each rate of `rates_rps` (each > 0), in the order given.
[[nodiscard]] std::vector<RatePoint> latency_curve(StepTimer& timer, const ServeConfig& cfg,
                                                   const WorkloadSpec& workload,
                                                   const std::vector<double>& rates_rps);

}  // namespace infersim::serving

#pragma once
// The serving questions the static commands ask of one configuration, each answered by simulation with
// fixed request lengths (the scenario's input and output): capacity's highest rate meeting latency
// targets, and report's latency-throughput curve. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "serving/max_rate.hpp"

namespace infersim::serving {

// How a static command's configuration is served: the scheduler (a runtime profile's scheduler: block)
// and the requests simulated, all of the scenario's lengths, from one seed.
struct FixedLoad {
  SchedulerLimits limits;
  long long requests = 500;
  std::uint64_t seed = 0;
};

// Requests of exactly sc.input_tokens and sc.output_tokens (clamped to the model's context), Poisson.
[[nodiscard]] WorkloadSpec fixed_workload(const ModelSpec& m, const Scenario& sc, const FixedLoad& load);

// The scenario as one step of a serving engine sees it: batch 1 and one micro-batch (the scheduler forms
// the batch); the layout's dp replicas.
[[nodiscard]] Scenario serving_scenario(Scenario sc);

// Why `sc` cannot be simulated under `limits`: why_step_invalid's reason, or no memory left for one KV
// block after the weights and the activations of a step of max_num_batched_tokens; none when it can.
[[nodiscard]] std::optional<std::string> why_not_servable(const ModelSpec& m, const HardwareSpec& hw,
                                                          const Scenario& sc, const SchedulerLimits& limits);

struct ServingCapacity {
  std::optional<std::string> not_simulated;  // why the search did not run; the rest is then empty
  double percentile = 99.0;
  MaxRateResult search;
  // Output tokens/s at search.rate_rps over every device of the deployment (dp x tp x pp); 0 with no rate.
  double throughput_per_device_tok_s = 0.0;
};

// The highest Poisson rate at which the percentile of TTFT and of TPOT each meets its target
// (find_max_rate), for `load`'s requests on sc's layout and dp replicas. At least one target.
[[nodiscard]] ServingCapacity serving_capacity(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                               const FixedLoad& load, const SloTargets& slo,
                                               double percentile = 99.0);

struct RateCurve {
  std::optional<std::string> not_simulated;  // why no run was made; the rest is then empty
  double offline_rps = 0.0;                  // the offline run's request throughput
  std::vector<RatePoint> points;             // at each fraction of offline_rps asked for
};

// Poisson runs of `load`'s requests at each of `fractions` (each in (0, 1]) of the offline rate.
[[nodiscard]] RateCurve rate_curve(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                   const FixedLoad& load, const std::vector<double>& fractions);

}  // namespace infersim::serving

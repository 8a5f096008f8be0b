#pragma once
// Deployment planning: for a request rate and latency targets, which device, layout, quantization and
// batch serve it for the least cost. A steady-state continuous-batching model (Orca, Yu et al. 2022;
// vLLM): a replica decoding a batch of B serves B / (TTFT + (output-1) * step) requests per second,
// where each step also runs the prefills of the B/output requests that join per step. TTFT is one
// request's prefill and excludes queueing: the static screen. serving/plan_serving.hpp then simulates the
// best candidates under Poisson load, queueing included, and fills PlanCandidate::simulated.
#include <optional>
#include <string>
#include <vector>

#include "core/capacity.hpp"
#include "core/runtime_profile.hpp"

namespace infersim {

struct PlanRequest {
  std::vector<HardwareSpec> hardware;
  std::vector<double> price_per_device_hour;  // per hardware; 0: rank by device count
  double rate_rps = 1.0;
  // Lengths, kernels, KV format and the runtime's host terms of every candidate; the planner chooses
  // the layout, the weight and compute dtypes and the batch.
  Scenario base;
  LatencyTargets targets;
  int max_devices_per_replica = 64;
};

struct PlanCandidate {
  std::string hardware;
  Layout layout;
  Dtype weights = Dtype::bf16;
  Dtype activations = Dtype::bf16;
  long long batch = 0;  // the largest decode batch meeting the targets (0: none)
  double ttft_s = 0.0;
  double step_s = 0.0;  // decode step with the interleaved prefills: the TPOT a request sees
  double replica_rps = 0.0;
  long long replicas = 0;
  long long devices = 0;
  double cost = 0.0;    // devices, or USD per hour when prices are given
  std::string failure;  // empty when the candidate meets the targets
  // A request-level simulation of one replica at rate_rps / replicas (serving/plan_serving.hpp); none when
  // the candidate was not simulated.
  struct Simulated {
    double rate_per_replica_rps = 0.0;
    double ttft_p99_s = 0.0;  // queueing included
    double tpot_p99_s = 0.0;
    long long replicas_added = 0;  // replicas beyond the static screen's, to meet the targets
  };
  std::optional<Simulated> simulated;
  std::string not_simulated;  // why a candidate the simulation reached could not be simulated
};

struct PlanResult {
  std::vector<PlanCandidate> feasible;  // ranked: cost, then TPOT, then TTFT
  std::vector<PlanCandidate> rejected;  // candidates that cannot meet the targets, with why
  bool priced = false;
};

[[nodiscard]] PlanResult plan(const ModelSpec& m, const PlanRequest& request);

// A candidate's configuration: the request's base with the candidate's layout and dtypes, at batch 1.
[[nodiscard]] Scenario candidate_scenario(const PlanRequest& request, const PlanCandidate& c);

// Orders candidates as plan() ranks them: a simulated candidate before one not simulated (its latencies
// include queueing), then cost, then TPOT, then TTFT (stable).
void rank_candidates(std::vector<PlanCandidate>& candidates);

}  // namespace infersim

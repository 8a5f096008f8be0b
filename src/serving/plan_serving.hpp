#pragma once
// plan's second stage: the statically screened candidates (core/plan.hpp, whose TTFT leaves queueing out)
// simulated under Poisson load, cheapest first, so the plan's latencies include queueing. Each simulated
// candidate serves rate / replicas on one replica (Poisson arrivals split at random stay Poisson); one
// whose p99 TTFT or TPOT misses its target gets a replica more, up to a limit, and is rejected if it still
// misses. docs/formulas.md#plan_simulated. Pure: no I/O.
#include <cstdint>

#include "core/plan.hpp"
#include "serving/scenario_serving.hpp"

namespace infersim::serving {

struct PlanSimulation {
  SchedulerLimits limits;
  int candidates = 3;        // simulated candidates meeting the targets to find; 0: simulate none
  long long requests = 500;  // per run, of the request's lengths, from one seed
  std::uint64_t seed = 0;
  int max_replicas_added = 2;  // replicas tried beyond the static screen's before rejecting
  int max_simulated = 12;      // candidates simulated at most
};

// Simulates result.feasible in rank order until `sim.candidates` met the targets and no candidate left
// costs less than they do (simulation never lowers a cost), or max_simulated were simulated; fills each
// one's `simulated` (or `not_simulated`: pipeline stages, unfused attention), updates replicas, devices and
// cost of those that needed replicas added, moves those that miss to result.rejected with the simulated
// figures as their failure, and ranks both lists again. `request.hardware` must hold every candidate's
// hardware.
void simulate_plan(const ModelSpec& m, const PlanRequest& request, const PlanSimulation& sim,
                   PlanResult& result);

}  // namespace infersim::serving

#include "serving/plan_serving.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace infersim::serving {

namespace {

const HardwareSpec& hardware_named(const PlanRequest& request, const std::string& name) {
  for (const HardwareSpec& hw : request.hardware) {
    if (hw.name == name) return hw;
  }
  throw std::invalid_argument("simulate_plan: candidate hardware '" + name + "' is not in the request");
}

std::string failure_text(const PlanCandidate::Simulated& s, long long replicas) {
  char text[200];
  std::snprintf(text, sizeof text,
                "simulated p99 TTFT %.1f ms, TPOT %.2f ms at %.3g req/s per replica (%lld replicas)",
                s.ttft_p99_s * 1e3, s.tpot_p99_s * 1e3, s.rate_per_replica_rps, replicas);
  return text;
}

// Runs the candidate at rate / replicas per replica, adding replicas while it misses; true when it meets
// the targets (its replicas, devices and cost then those it met them with).
bool simulate_candidate(const ModelSpec& m, const HardwareSpec& hw, const PlanRequest& request,
                        const PlanSimulation& sim, PlanCandidate& c) {
  const Scenario sc = candidate_scenario(request, c);
  StepTimer timer(m, hw, serving_scenario(sc));
  ServeConfig cfg;
  cfg.limits = sim.limits;
  const WorkloadSpec w = fixed_workload(m, sc, {sim.limits, sim.requests, sim.seed});
  const SloTargets slo{request.targets.ttft_s, request.targets.tpot_s};
  const double cost_per_device = c.cost / static_cast<double>(c.devices);
  for (long long added = 0; added <= sim.max_replicas_added; ++added) {
    const long long replicas = c.replicas + added;
    const double rate = request.rate_rps / static_cast<double>(replicas);
    const ServeSummary s = latency_curve(timer, cfg, w, {rate}).front().summary;
    c.simulated = PlanCandidate::Simulated{rate, s.ttft_p99_s, s.tpot_p99_s, added};
    if (meets_slo(s, slo, 99.0)) {
      c.replicas = replicas;
      c.devices = replicas * c.layout.tp * c.layout.pp;
      c.cost = cost_per_device * static_cast<double>(c.devices);
      return true;
    }
  }
  c.failure = failure_text(*c.simulated, c.replicas + sim.max_replicas_added);
  return false;
}

}  // namespace

void simulate_plan(const ModelSpec& m, const PlanRequest& request, const PlanSimulation& sim,
                   PlanResult& result) {
  std::vector<PlanCandidate> kept;
  std::vector<double> met_costs;  // of the candidates that met the targets when simulated, ascending
  int simulated = 0;
  for (PlanCandidate& c : result.feasible) {
    // Simulation never lowers a cost: once `candidates` met the targets at costs up to this one's, no
    // candidate left would be cheaper than they are.
    const auto n = static_cast<std::size_t>(std::max(sim.candidates, 0));
    const bool done =
        n == 0 || simulated >= sim.max_simulated || (met_costs.size() >= n && c.cost >= met_costs[n - 1]);
    if (done) {
      kept.push_back(std::move(c));
      continue;
    }
    const HardwareSpec& hw = hardware_named(request, c.hardware);
    if (auto why = why_not_servable(m, hw, candidate_scenario(request, c), sim.limits)) {
      c.not_simulated = *why;
      kept.push_back(std::move(c));
      continue;
    }
    ++simulated;
    if (simulate_candidate(m, hw, request, sim, c)) {
      met_costs.insert(std::upper_bound(met_costs.begin(), met_costs.end(), c.cost), c.cost);
      kept.push_back(std::move(c));
    } else {
      result.rejected.push_back(std::move(c));
    }
  }
  result.feasible = std::move(kept);
  rank_candidates(result.feasible);
  rank_candidates(result.rejected);
}

}  // namespace infersim::serving

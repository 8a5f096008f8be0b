#include "serving/scenario_serving.hpp"

#include <cmath>
#include <stdexcept>

namespace infersim::serving {

namespace {

ServeConfig config_for(const Scenario& sc, const FixedLoad& load) {
  ServeConfig cfg;
  cfg.limits = load.limits;
  // Each attention data-parallel rank schedules its own requests, as a replica does.
  cfg.replicas = batch_ranks(sc.layout);
  return cfg;
}

}  // namespace

WorkloadSpec fixed_workload(const ModelSpec& m, const Scenario& sc, const FixedLoad& load) {
  WorkloadSpec w;
  w.input = {LengthDist::Kind::fixed, static_cast<double>(sc.input_tokens), 0.0};
  w.output = {LengthDist::Kind::fixed, static_cast<double>(sc.output_tokens), 0.0};
  w.requests = load.requests;
  w.seed = load.seed;
  w.max_context = m.max_context;
  return w;
}

Scenario serving_scenario(Scenario sc) {
  sc.batch = 1;
  sc.layout.micro_batches = 1;
  return sc;
}

std::optional<std::string> why_not_servable(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                            const SchedulerLimits& limits) {
  const Scenario one = serving_scenario(sc);
  if (auto why = why_step_invalid(m, hw, one)) return why;
  if (auto why = limits_problem(limits)) return why;
  const StepTimer timer(m, hw, one);
  const StepMemory mem = timer.memory(static_cast<double>(limits.max_num_batched_tokens));
  const double block_bytes = static_cast<double>(limits.block_tokens) * mem.kv_bytes_per_token_per_device;
  if (!(mem.kv_budget_bytes_per_device >= block_bytes)) {
    return "no memory is left for the KV cache after the weights and the activations of a " +
           std::to_string(limits.max_num_batched_tokens) + "-token step";
  }
  if (auto why = static_cache_problem(limits, mem, timer.stages())) return why;
  return std::nullopt;
}

ServingCapacity serving_capacity(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                 const FixedLoad& load, const SloTargets& slo, double percentile) {
  ServingCapacity out;
  out.percentile = percentile;
  out.not_simulated = why_not_servable(m, hw, sc, load.limits);
  if (out.not_simulated) return out;
  StepTimer timer(m, hw, serving_scenario(sc));
  out.search = find_max_rate(timer, config_for(sc, load), fixed_workload(m, sc, load), slo, percentile);
  if (out.search.rate_rps)
    out.throughput_per_device_tok_s = output_throughput_per_device_tok_s(out.search.at_rate.summary);
  return out;
}

RateCurve rate_curve(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc, const FixedLoad& load,
                     const std::vector<double>& fractions) {
  RateCurve out;
  out.not_simulated = why_not_servable(m, hw, sc, load.limits);
  if (out.not_simulated) return out;
  StepTimer timer(m, hw, serving_scenario(sc));
  const ServeConfig cfg = config_for(sc, load);
  const WorkloadSpec w = fixed_workload(m, sc, load);
  out.offline_rps = offline_rate_rps(timer, cfg, w);
  if (!(out.offline_rps > 0.0)) {
    out.not_simulated = "no request fits a replica's KV cache";
    return out;
  }
  std::vector<double> rates;
  for (const double f : fractions) {
    if (!(f > 0.0 && f <= 1.0)) throw std::invalid_argument("rate_curve: fractions must be in (0, 1]");
    rates.push_back(f * out.offline_rps);
  }
  out.points = latency_curve(timer, cfg, w, rates);
  return out;
}

}  // namespace infersim::serving

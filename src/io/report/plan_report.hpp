#pragma once
// Text for `infersim capacity` and `infersim plan`: a table for people, JSON for scripts.
#include <string>

#include "core/capacity.hpp"
#include "core/plan.hpp"
#include "serving/scenario_serving.hpp"

namespace infersim {

// The serving answer beside capacity's static ones: the highest rate meeting the targets.
struct CapacityServing {
  std::string scheduler;  // the runtime profile whose scheduler: block ran
  long long requests = 0;
  serving::ServingCapacity answer;
};

struct CapacityReport {
  const ModelSpec& model;
  const HardwareSpec& hardware;
  const Scenario& scenario;
  const LatencyTargets& targets;
  const CapacityResult& result;
  const CapacityServing* serving = nullptr;  // none: not asked for (no target, or --static-only)
};

[[nodiscard]] std::string capacity_table(const CapacityReport& r);
[[nodiscard]] std::string capacity_json(const CapacityReport& r);

// How plan's second stage simulated (serving/plan_serving.hpp), for the header and the JSON.
struct PlanSimulationText {
  int candidates = 0;  // --simulate: 0 when the static screen stands alone
  long long requests = 0;
  std::string scheduler;  // the runtime profile whose scheduler: block ran
};

[[nodiscard]] std::string plan_table(const ModelSpec& m, const PlanRequest& request, const PlanResult& result,
                                     int top, const PlanSimulationText& sim = {});
[[nodiscard]] std::string plan_json(const ModelSpec& m, const PlanRequest& request, const PlanResult& result,
                                    int top, const PlanSimulationText& sim = {});

}  // namespace infersim

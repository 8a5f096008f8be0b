#pragma once
// Text for `infersim capacity` and `infersim plan`: a table for people, JSON for scripts.
#include <string>

#include "core/capacity.hpp"
#include "core/plan.hpp"

namespace infersim {

struct CapacityReport {
  const ModelSpec& model;
  const HardwareSpec& hardware;
  const Scenario& scenario;
  const LatencyTargets& targets;
  const CapacityResult& result;
};

[[nodiscard]] std::string capacity_table(const CapacityReport& r);
[[nodiscard]] std::string capacity_json(const CapacityReport& r);

[[nodiscard]] std::string plan_table(const ModelSpec& m, const PlanRequest& request, const PlanResult& result,
                                     int top);
[[nodiscard]] std::string plan_json(const ModelSpec& m, const PlanRequest& request, const PlanResult& result,
                                    int top);

}  // namespace infersim

#pragma once
// The last check before a result is printed, shared by every format of a command (table, JSON, CSV):
// every number finite, none negative, the ones that cannot be zero (parameters, bytes of weights, FLOPs,
// TTFT, throughput, a plan's devices and cost) positive, counts no larger than a JSON reader holds
// exactly (2^53), and the counts that derive from each other consistent. A violation is a bug in the
// engine, never bad input (every input has a ceiling that keeps results finite): it throws
// std::logic_error naming the field, and the CLI exits 1 without printing the result.
#include "core/capacity.hpp"
#include "core/estimate.hpp"
#include "core/plan.hpp"

namespace infersim {

void check_estimate(const Estimate& e);
void check_capacity(const CapacityResult& c);
void check_plan(const PlanResult& r);

}  // namespace infersim

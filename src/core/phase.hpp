#pragma once
// Internal to the engine: operator lists -> timed results under a device's roofs.
#include <vector>

#include "core/engine.hpp"

namespace infersim::detail {

// One occurrence's time and bound, and the totals over `repeat`, when each query attends `keys` keys.
[[nodiscard]] OpResult op_result(const Operator& op, double keys, const Roofs& roofs);

[[nodiscard]] PhaseResult phase_result(const std::vector<Operator>& ops, double keys, const Roofs& roofs);

// Exact sum of the step times of `ops` over decode contexts t = lo..hi (keys = min(t, window)).
[[nodiscard]] double decode_time_sum_s(const std::vector<Operator>& ops, const Roofs& roofs, long long lo, long long hi,
                                       long long window);

// Sums `from` into `into` operator by operator (matched by name), appending operators `into` lacks;
// recomputes totals and the bound. Used to add up pipeline stages along a request's path.
void accumulate(PhaseResult& into, const PhaseResult& from);

// Time of the link operators of a phase.
[[nodiscard]] double link_time_s(const PhaseResult& phase);

}  // namespace infersim::detail

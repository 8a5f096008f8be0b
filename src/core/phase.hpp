#pragma once
// Internal to the engine: operator lists -> timed results under a device's roofs.
#include <vector>

#include "core/operator.hpp"
#include "core/phase_result.hpp"
#include "core/roofs.hpp"

namespace infersim::detail {

// One occurrence's time and bound, and the totals over `repeat`, when each query attends `keys` keys.
[[nodiscard]] OpResult op_result(const Operator& op, double keys, const Roofs& roofs);

// Adds the results of `ops` to `into`: totals always; per-operator rows when keep_operators, summed
// with the rows already there of the same name (pipeline stages along a request's path).
void add_ops(PhaseResult& into, const std::vector<Operator>& ops, double keys, const Roofs& roofs,
             bool keep_operators);
void add_op_result(PhaseResult& into, const OpResult& r, bool keep_operators);

// Exact sum of the step times of `ops` over decode contexts t = lo..hi (keys = min(t, window)).
[[nodiscard]] double decode_time_sum_s(const std::vector<Operator>& ops, const Roofs& roofs, long long lo,
                                       long long hi, long long window);

}  // namespace infersim::detail

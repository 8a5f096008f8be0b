#pragma once
// The last check before a result is printed: every number finite, none negative, and the ones that
// cannot be zero (parameters, bytes of weights, FLOPs, TTFT, throughput) positive. A violation is a bug
// in the engine, never bad input: it throws std::logic_error naming the field (the CLI exits 1).
#include "core/estimate.hpp"

namespace infersim {

void check_estimate(const Estimate& e);

}  // namespace infersim

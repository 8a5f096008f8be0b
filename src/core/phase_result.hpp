#pragma once
// What a timed pass produces: one row per operator and the phase's totals.
#include <array>
#include <vector>

#include "core/operator.hpp"
#include "core/roofs.hpp"

namespace infersim {

// One operator's totals over a pass (repeat applied).
struct OpResult {
  const char* name = "";
  OpUnit unit = OpUnit::vector;
  OpClass op_class = OpClass::elementwise;
  double kernels = 0.0;
  OpCost cost;
  double intensity = 0.0;  // FLOP/B
  double time_s = 0.0;     // roofline time + launch overhead
  double compute_s = 0.0;  // the parts time_s was built from: FLOPs at the compute roof,
  double memory_s = 0.0;   //   bytes at the memory roofs (launches not included)
  Bound bound = Bound::memory;
};

struct PhaseResult {
  std::vector<OpResult> ops;  // empty unless operators were asked for
  double flops = 0.0;
  double bytes = 0.0;
  double time_s = 0.0;
  double compute_bound_s = 0.0;  // time of the compute-bound operators
  double memory_bound_s = 0.0;
  double link_s = 0.0;          // time of the collectives and sends
  double kernels = 0.0;         // kernels launched (the host issues each one unless graphs are used)
  Bound bound = Bound::memory;  // compute or memory: the class of operators that takes more of the time
  // time_s by operator class (op_class, indexed by OpClass): where the time goes; they sum to time_s.
  std::array<double, kOpClasses> class_s{};
};

}  // namespace infersim

#pragma once
// Capacity questions answered by searching the estimate: the largest batch and the longest context
// that fit, the fewest devices that hold a model, the largest batch that meets latency targets.
// Memory and latency both grow with batch and context, so each answer is a binary search: exact for
// the model, not a sampled guess.
#include <functional>
#include <optional>

#include "core/estimate.hpp"

namespace infersim {

struct LatencyTargets {
  double ttft_s = 0.0;  // 0: no target
  double tpot_s = 0.0;
};

struct CapacityResult {
  long long max_batch = 0;             // largest batch that fits (0: not even batch 1)
  long long max_context_batch1 = 0;    // longest input + output that fits at batch 1 (output as given)
  long long max_context_at_batch = 0;  // the same at the scenario's batch
  int min_devices = 0;                 // fewest devices (TP first, then PP) that hold the model at batch 1
  int min_tp = 0;
  int min_pp = 0;
  long long slo_max_batch = 0;  // largest batch meeting the targets and fitting (0: none)
  double slo_throughput_per_device_tok_s = 0.0;
  double slo_ttft_s = 0.0;
  double slo_tpot_s = 0.0;
};

// `sc` gives the lengths, dtypes and layout; its batch is the one max_context_at_batch asks about.
[[nodiscard]] CapacityResult capacity(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc,
                                      const LatencyTargets& targets);

// Whether the scenario fits; false, not an exception, for a configuration the engine rejects.
[[nodiscard]] bool fits(const ModelSpec& m, const HardwareSpec& hw, const Scenario& sc);

// The largest batch in [1, max] whose estimate satisfies ok(estimate, batch) (which must hold up to some
// batch and fail after: memory and latency grow with batch); nullopt when batch 1 does not. Configurations
// the engine rejects count as not ok.
[[nodiscard]] std::optional<long long> largest_batch_where(
    const ModelSpec& m, const HardwareSpec& hw, Scenario sc,
    const std::function<bool(const Estimate&, long long)>& ok, long long max);

// The largest batch in [1, max] meeting the targets (and fitting); nullopt when batch 1 does not.
[[nodiscard]] std::optional<long long> largest_batch_meeting(const ModelSpec& m, const HardwareSpec& hw,
                                                             Scenario sc, const LatencyTargets& targets,
                                                             long long max);

}  // namespace infersim

#pragma once
// Where a prediction's time goes, by kind of work (docs/formulas.md#time_by_class): the device's time by
// operator class (core/operator.hpp, op_class), the runtime's host terms beside it, and KV blocks swapped
// to host memory. `serve --breakdown` reports a run's; the published check groups its judged rows by the
// class that takes most of their predicted time. Pure.
#include <array>
#include <optional>

#include "core/estimate.hpp"
#include "core/phase_result.hpp"

namespace infersim {

struct TimeByClass {
  std::array<double, kOpClasses> device_s{};  // indexed by OpClass
  double host_s = 0.0;                        // the runtime profile's host terms (core/runtime_profile.hpp)
  double swap_s = 0.0;                        // KV blocks copied to and from host memory (swap preemption)
};

// The device's operator classes, then the host's terms, then the swaps: the rows of a breakdown.
inline constexpr int kTimeClasses = kOpClasses + 2;
// "GEMMs", "expert GEMMs", "attention", "elementwise", "collectives", "host (runtime)", "KV swaps".
[[nodiscard]] const char* time_class_name(int i);
// Its key in machine-readable output: "gemms", "expert_gemms", "attention", "elementwise", "collectives",
// "host", "kv_swaps".
[[nodiscard]] const char* time_class_key(int i);
// The seconds of breakdown row i (0 <= i < kTimeClasses).
[[nodiscard]] double time_class_s(const TimeByClass& t, int i);
[[nodiscard]] double total_s(const TimeByClass& t);
// Row i's share of the total; none when nothing took any time.
[[nodiscard]] std::optional<double> time_class_share(const TimeByClass& t, int i);

// `phase`'s device time `device_s` shared out among its operator classes in proportion to their times (a
// pipeline's schedule or its slowest stage makes the device's time differ from their sum), and `host_s`
// beside it. A phase without operator time leaves its device time unattributed (no class gets it).
[[nodiscard]] TimeByClass phase_time_by_class(const PhaseResult& phase, double device_s, double host_s);

// into += k * t, row by row.
void add_scaled(TimeByClass& into, const TimeByClass& t, double k);

// The row that takes most of the time; none when nothing took any.
[[nodiscard]] std::optional<int> dominant_class(const TimeByClass& t);

// Which span of an estimate a breakdown covers: the prefill (TTFT), one decode step (TPOT) at the mean
// decode context, or the whole request (TTFT, then the decode steps, each as that one).
enum class EstimateSpan { prefill, decode_step, request };
[[nodiscard]] TimeByClass estimate_time_by_class(const Estimate& e, EstimateSpan span);

}  // namespace infersim

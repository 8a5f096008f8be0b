#pragma once
// Where the published-data errors lean (docs/formulas.md#regime_error): every judged row's error taken
// in the time domain, so that a negative error always means "predicted faster than measured" whatever
// the published unit, and summarised per regime (batch, precision, dense or MoE, tensor parallelism,
// phase). A mean absolute error hides a lean that the signed mean shows. Pure.
#include <array>
#include <functional>
#include <string>
#include <vector>

#include "validation/published.hpp"

namespace infersim {

// The time-domain error of a judged row: for a time (ms) published / predicted times, rel_error itself;
// for a rate (tokens/s), the time per token's error, measured / predicted - 1 = 1 / (1 + rel_error) - 1.
// Speed-up rows have no time of their own (a ratio of two times): none.
[[nodiscard]] std::optional<double> time_domain_error(const PublishedCase& c);

struct RegimeError {
  std::string axis;    // "batch", "precision", "experts", "tensor parallel", "phase"; "device" (every judged)
  std::string regime;  // "1", "2-31", ">= 32"; "16-bit", "8-bit or narrower"; "dense", "MoE"; ...; a profile
  int rows = 0;
  double signed_mean = 0.0;  // mean time-domain error
  double mape = 0.0;         // mean absolute time-domain error
};

// Which judged rows a regime table takes: the one-configuration rows alone (the gated table), or those
// and the serving group's together (every judged row; a serving row's batch is the scheduler's, its own
// batch regime).
enum class RegimeRows { one_configuration, every_judged };

// The judged rows (mapped, not in the fit subset, not speed-ups; the serving group only with
// RegimeRows::every_judged) by regime, axis by axis in a fixed order, every regime listed even when empty
// (the serving batch regime only in the every_judged table). The every_judged table ends with one regime per
// hardware profile its rows ran on (axis "device", in name order; a profile without rows is not listed).
// `is_moe` says whether a mapped model name is an MoE model.
[[nodiscard]] std::vector<RegimeError> regime_errors(const std::vector<PublishedCase>& cases,
                                                     const std::function<bool(const std::string&)>& is_moe,
                                                     RegimeRows rows = RegimeRows::one_configuration);

// Every row regime_errors(..., every_judged) takes, as one: its count, signed mean and MAPE.
[[nodiscard]] RegimeError all_judged_error(const std::vector<PublishedCase>& cases);

// The judged rows that regime_errors(..., every_judged) takes, grouped by the breakdown row (time_class_name)
// that takes most of their predicted time (docs/formulas.md#time_by_class): which kind of work the rows
// that lean exercise. Rows without a breakdown are left out.
struct TimeClassError {
  int time_class = 0;  // 0 <= time_class < kTimeClasses
  int rows = 0;
  double signed_mean = 0.0;                  // mean time-domain error
  double mape = 0.0;                         // mean absolute time-domain error
  std::array<double, kTimeClasses> share{};  // each breakdown row's mean share of the rows' predicted time
};

// Every breakdown row in order (empty ones with rows = 0), then the judged rows with a breakdown as one
// (time_class = kTimeClasses).
[[nodiscard]] std::vector<TimeClassError> time_class_errors(const std::vector<PublishedCase>& cases);

// The regimes with at least `min_rows` rows whose signed mean leans beyond `max_lean` either way.
[[nodiscard]] std::vector<RegimeError> leaning_regimes(const std::vector<RegimeError>& regimes, int min_rows,
                                                       double max_lean);

}  // namespace infersim

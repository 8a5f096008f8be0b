#pragma once
// `infersim validate --published` output: the report a person reads (mapped rows with predicted vs
// published, why the far-off ones are off, the unmapped rows with their reason, MAPE per source and
// per metric, coverage; the rows measured under load apart, io/published/serving_report.hpp) and a CSV:
// the published columns, then line, status (judged, fit, serving or unmapped), the configuration,
// predicted, rel_error (= predicted / published - 1, signed) and notes or reason.
#include <optional>
#include <string>
#include <vector>

#include "io/published/published_mapping.hpp"
#include "validation/published.hpp"
#include "validation/published_regimes.hpp"

namespace infersim {

// |rel_error| above which the report prints the row's notes as the likely reason.
inline constexpr double kFarOff = 0.25;

// The accuracy the published GPU rows are aimed at, printed beside the figures they bound (a target, not a
// gate: the exit statuses are --threshold, --serving-threshold and the regime gate): batch-1 decode MAPE at
// most 6 %; every judged row's MAPE, in the time domain, at most 10 %; no regime's signed mean beyond 10 %
// either way.
inline constexpr double kBatch1DecodeTarget = 0.06;
inline constexpr double kEveryJudgedTarget = 0.10;
inline constexpr double kRegimeLeanTarget = 0.10;

// Where the judged rows lean, regime by regime, in the time domain.
// With a gate (`gate` given), the regimes of at least `gate_rows` rows leaning beyond it are named after the
// table; without one, the table says it is a report only.
[[nodiscard]] std::string regime_section(const std::vector<RegimeError>& regimes, std::optional<double> gate,
                                         int gate_rows);

// Every judged row, one-configuration and serving together, by regime and as one (report only): what the
// issue's accuracy targets read, where the gated table above leaves the serving group apart.
[[nodiscard]] std::string every_judged_section(const std::vector<RegimeError>& regimes,
                                               const RegimeError& all);

// The judged rows by the kind of work that takes most of their predicted time, with each kind's mean share
// (validation/published_regimes.hpp, time_class_errors; report only).
[[nodiscard]] std::string time_class_section(const std::vector<TimeClassError>& groups);

// `threshold` gates the rows mapped to one configuration, `serving_threshold` the rows run through the
// serving simulator (their own group).
[[nodiscard]] std::string published_table(const std::vector<PublishedCase>& cases,
                                          const PublishedSummary& summary, const PublishedMapping& mapping,
                                          double threshold, double serving_threshold);
[[nodiscard]] std::string published_csv(const std::vector<PublishedCase>& cases);

}  // namespace infersim

#pragma once
// `infersim validate --published`: every row of validation/published/published_measurements.csv that
// validation/published/mapping.yaml maps to a configuration, estimated with its runtime profile and
// compared with the published figure; the rows measured under load run through the serving simulator
// and are judged as a group of their own; the rest listed with the reason. Returns the exit code: 3 when
// the MAPE over the judged rows (mapped to one configuration, not used for fitting) is above
// `threshold` or the serving rows' MAPE above `serving_threshold`, else 0.
#include <optional>
#include <string>

#include "io/config/search_path.hpp"

namespace infersim {

// regime_threshold: exit 3 also when a regime of at least kRegimeGateRows judged rows leans beyond it either
// way (none: the regime table is a report only).
inline constexpr int kRegimeGateRows = 5;
// progress: a progress bar on stderr while the rows are judged.
int run_published_validation(const std::string& output_csv, double threshold, double serving_threshold,
                             std::optional<double> regime_threshold, bool progress, const SearchPath& search);

}  // namespace infersim

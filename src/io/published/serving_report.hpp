#pragma once
// The serving group of `infersim validate --published`: the rows measured under a load the runtime
// batches, each with the load and the scheduler limits its run used, predicted against published, the
// notes of those far off, and the group's MAPE per source and per metric (its own threshold).
#include <string>
#include <vector>

#include "validation/published.hpp"

namespace infersim {

// The serving rows' table, then why the far-off ones are off; "" when there is none.
[[nodiscard]] std::string serving_rows_section(const std::vector<PublishedCase>& cases, double far_off);
// MAPE per source and per metric of the serving rows; "" when there is none.
[[nodiscard]] std::string serving_groups_section(const PublishedSummary& s);
// The group's summary and exit lines, "" when there is none.
[[nodiscard]] std::string serving_summary_lines(const PublishedSummary& s, double serving_threshold);
// A serving row's load, limits and KV blocks, for the CSV's notes ("load offline 30000; ...").
[[nodiscard]] std::string serving_run_text(const PublishedCase& c);

}  // namespace infersim

#pragma once
// A published row to one configuration, through the mapping's tables (io/published/published_mapping.hpp)
// and the one way from text to a scenario (io/config/scenario_text.hpp): the row's numbers and the
// tables' precisions become scenario values with estimate's bounds, composed with estimate's defaults.
#include <vector>

#include "io/published/published_mapping.hpp"
#include "validation/published.hpp"

namespace infersim {

// Whether the row is in the fit subset.
[[nodiscard]] bool in_fit_subset(const std::vector<FitSubsetEntry>& subset, const PublishedRow& row);

// Maps one row, or says why it cannot: the first missing or non-exact field, in the order metric,
// model, batch, lengths, hardware, precisions, layout, framework, value. A number the row states
// exactly but past estimate's bounds (a batch over 1,000,000) is an InputError naming the row's line.
[[nodiscard]] MappingOutcome map_row(const PublishedRow& row, const PublishedMapping& mapping);

// One case per row, in order: its mapping and whether it is in the fit subset, not yet judged
// (validation/published_judge.hpp).
[[nodiscard]] std::vector<PublishedCase> map_published(const std::vector<PublishedRow>& rows,
                                                       const PublishedMapping& mapping);

}  // namespace infersim

#pragma once
// "Did you mean" hints for misspelt keys and names: Levenshtein distance and the closest candidates.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace infersim {

[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// Up to `limit` candidates close to `name` (edit distance at most max(2, |name| / 3), or containing
// `name`), closest first; at equal distance those containing `name` first, then the candidates' order.
// Empty when none is close.
[[nodiscard]] std::vector<std::string> close_matches(std::string_view name,
                                                     const std::vector<std::string>& candidates,
                                                     std::size_t limit = 3);

}  // namespace infersim

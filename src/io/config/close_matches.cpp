#include "io/config/close_matches.hpp"

#include <algorithm>
#include <tuple>

namespace infersim {

namespace {
constexpr std::size_t kLongestComparedName = 256;  // beyond this a name is no typo: skip the O(n·m) work
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> close_matches(std::string_view name, const std::vector<std::string>& candidates,
                                       std::size_t limit) {
  if (name.empty() || name.size() > kLongestComparedName) return {};
  const std::size_t threshold = std::max<std::size_t>(2, name.size() / 3);
  // (distance, does not contain `name`, index): at equal distance a name containing what was typed
  // ("h100" -> "h100-sxm") ranks before a mere near-spelling ("b200").
  std::vector<std::tuple<std::size_t, bool, std::size_t>> scored;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::string& c = candidates[i];
    if (c.size() > kLongestComparedName) continue;
    std::size_t d = edit_distance(name, c);
    const bool contains = c.find(name) != std::string::npos;
    if (d > threshold && contains) d = threshold;  // "llama" -> "llama-2-7b"
    if (d <= threshold) scored.emplace_back(d, !contains, i);
  }
  std::stable_sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (std::size_t k = 0; k < scored.size() && k < limit; ++k)
    out.push_back(candidates[std::get<2>(scored[k])]);
  return out;
}

}  // namespace infersim

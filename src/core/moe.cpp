#include "core/formulas/moe.hpp"

#include <algorithm>
#include <cmath>

namespace infersim {

double expected_experts_touched(int experts, int experts_per_token, double tokens, double zipf_exponent) {
  const double E = experts;
  const double k = experts_per_token;
  if (zipf_exponent == 0.0) return E * (1.0 - std::pow(1.0 - k / E, tokens));
  double norm = 0.0;
  for (int i = 1; i <= experts; ++i) norm += std::pow(i, -zipf_exponent);
  double touched = 0.0;
  for (int i = 1; i <= experts; ++i) {
    const double p = std::min(1.0, k * std::pow(i, -zipf_exponent) / norm);
    touched += 1.0 - std::pow(1.0 - p, tokens);
  }
  return touched;
}

double expected_max_bin_load(double balls, double bins) {
  if (bins <= 1.0) return balls;
  const double mean = balls / bins;
  return std::min(balls, mean + std::sqrt(2.0 * mean * std::log(bins)));
}

double moe_device_imbalance(int experts, int experts_per_token, double tokens, double zipf_exponent,
                            double ways) {
  if (ways <= 1.0 || tokens <= 0.0) return 1.0;
  const double routed = tokens * experts_per_token;
  const double mean = routed / ways;
  // A device holds E/ways experts and a token sends it at most one row per expert it picks there.
  const double per_device = std::ceil(experts / ways);
  const double cap = tokens * std::min(per_device, static_cast<double>(experts_per_token));
  double busiest = std::min(cap, expected_max_bin_load(routed, ways));
  if (zipf_exponent > 0.0) {
    double norm = 0.0;
    for (int i = 1; i <= experts; ++i) norm += std::pow(i, -zipf_exponent);
    double first = 0.0;  // expected rows a token sends the first device (its experts 1..E/ways)
    for (int i = 1; i <= static_cast<int>(per_device); ++i)
      first += std::min(1.0, experts_per_token * std::pow(i, -zipf_exponent) / norm);
    busiest = std::max(busiest, tokens * first);
  }
  return std::max(1.0, busiest / mean);
}

}  // namespace infersim

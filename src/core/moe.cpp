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

}  // namespace infersim

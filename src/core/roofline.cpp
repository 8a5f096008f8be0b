#include "core/formulas/roofline.hpp"

#include <algorithm>
#include <cmath>

namespace infersim {

double sum_max_affine(double a, double b, double c, double d, long long lo, long long hi) {
  if (hi < lo) return 0.0;
  // g(t) = (a + b t) - (c + d t) = slope * (t - t*) changes sign at most once, at t*.
  const double slope = b - d;
  if (slope == 0.0) return a >= c ? sum_affine(a, b, lo, hi) : sum_affine(c, d, lo, hi);
  const double lo_d = static_cast<double>(lo);
  const double hi_d = static_cast<double>(hi);
  const double t_star = std::clamp((c - a) / slope, lo_d - 1.0, hi_d + 1.0);
  if (slope > 0.0) {  // compute time is the larger one from t* on
    const long long first_compute = std::max(lo, static_cast<long long>(std::ceil(t_star)));
    return sum_affine(c, d, lo, first_compute - 1) + sum_affine(a, b, first_compute, hi);
  }
  // compute time is the larger one up to t*
  const long long last_compute = std::min(hi, static_cast<long long>(std::floor(t_star)));
  return sum_affine(a, b, lo, last_compute) + sum_affine(c, d, last_compute + 1, hi);
}

}  // namespace infersim

#include "serving/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace infersim::serving {

namespace {

const double kGamma = (1.0 + Histogram::kRelativeError) / (1.0 - Histogram::kRelativeError);
const double kLogGamma = std::log(kGamma);

// The bucket of v in [kMinResolved, kMaxResolved]: ceil(log_gamma v).
long long bucket_of(double v) {
  return static_cast<long long>(std::ceil(std::log(std::min(v, Histogram::kMaxResolved)) / kLogGamma));
}

}  // namespace

void Histogram::add(double value_s, double weight) {
  if (!std::isfinite(value_s) || value_s < 0.0 || !std::isfinite(weight) || !(weight > 0.0))
    throw std::invalid_argument("Histogram::add: a value must be finite and >= 0, a weight finite and > 0");
  min_ = count_ > 0.0 ? std::min(min_, value_s) : value_s;
  max_ = count_ > 0.0 ? std::max(max_, value_s) : value_s;
  count_ += weight;
  sum_ += weight * value_s;
  if (value_s < kMinResolved) {
    zero_weight_ += weight;
    return;
  }
  const long long index = bucket_of(value_s);
  if (weights_.empty()) {
    first_index_ = index;
  } else if (index < first_index_) {
    // Grown downwards by at least the current span, so values that keep falling cost amortized O(1).
    const long long span = static_cast<long long>(weights_.size());
    const long long grown = std::max(bucket_of(kMinResolved), std::min(index, first_index_ - span));
    weights_.insert(weights_.begin(), static_cast<std::size_t>(first_index_ - grown), 0.0);
    first_index_ = grown;
  }
  const auto at = static_cast<std::size_t>(index - first_index_);
  if (at >= weights_.size()) weights_.resize(at + 1, 0.0);
  weights_[at] += weight;
}

double Histogram::representative(long long index) const {
  return 2.0 * std::pow(kGamma, static_cast<double>(index)) / (kGamma + 1.0);
}

double Histogram::percentile(double p) const {
  if (!(p >= 0.0 && p <= 100.0)) throw std::invalid_argument("Histogram::percentile: p must be in [0, 100]");
  if (count_ <= 0.0) return 0.0;
  if (p == 0.0) return min_;
  const double rank = p / 100.0 * count_;
  double seen = zero_weight_;
  if (seen >= rank) return min_;  // the value is below kMinResolved, like the min
  for (std::size_t k = 0; k < weights_.size(); ++k) {
    seen += weights_[k];
    if (seen >= rank) {
      const double v = representative(first_index_ + static_cast<long long>(k));
      return std::clamp(v, min_, max_);
    }
  }
  return max_;  // rounding left the rank a hair above the sum of the weights
}

double Histogram::count_at_most(double x) const {
  if (count_ <= 0.0 || x < min_) return 0.0;
  if (x >= max_) return count_;
  double seen = zero_weight_;
  for (std::size_t k = 0; k < weights_.size(); ++k) {
    if (representative(first_index_ + static_cast<long long>(k)) > x) break;
    seen += weights_[k];
  }
  return seen;
}

}  // namespace infersim::serving

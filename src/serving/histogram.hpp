#pragma once
// A streaming histogram of non-negative values (seconds) for latency percentiles: memory independent
// of the count, exact count, sum, mean, min and max, percentiles within a relative error of 0.05 %.
//
// Buckets are logarithmic as in DDSketch (Masson, Rim & Lee, "DDSketch: a fast and fully-mergeable
// quantile sketch with relative-error guarantees", PVLDB 12(12), 2019): bucket i holds
// (gamma^(i-1), gamma^i] with gamma = (1 + a) / (1 - a), a = 0.0005, so each bucket is 0.1 % wide and
// its representative 2 gamma^i / (gamma + 1) is within a = 0.05 % of every value in it. Values below
// kMinResolved count as zero; values above kMaxResolved share the top bucket (the exact min and max
// still bound the answer).
#include <vector>

namespace infersim::serving {

class Histogram {
 public:
  static constexpr double kRelativeError = 0.0005;
  static constexpr double kMinResolved = 1e-12;
  static constexpr double kMaxResolved = 1e12;

  // `weight` (> 0) copies of `value_s` (>= 0, finite); std::invalid_argument otherwise (a caller's bug).
  void add(double value_s, double weight = 1.0);

  [[nodiscard]] double count() const { return count_; }
  [[nodiscard]] double sum() const { return sum_; }
  [[nodiscard]] double mean() const { return count_ > 0.0 ? sum_ / count_ : 0.0; }  // 0 when empty
  [[nodiscard]] double min() const { return count_ > 0.0 ? min_ : 0.0; }
  [[nodiscard]] double max() const { return count_ > 0.0 ? max_ : 0.0; }
  // The nearest-rank percentile, p in [0, 100]: the smallest value v such that the values <= v weigh at
  // least p % of the count (p = 0: the min, p = 100: the max), within kRelativeError of it and inside
  // [min, max]; non-decreasing in p. 0 when empty.
  [[nodiscard]] double percentile(double p) const;
  // The weight of the values <= x, exact but for values within kRelativeError of x (those count as
  // their bucket's representative does).
  [[nodiscard]] double count_at_most(double x) const;

 private:
  [[nodiscard]] double representative(long long index) const;

  std::vector<double> weights_;  // bucket first_index_ + k at k; grown to span the indices seen
  long long first_index_ = 0;
  double zero_weight_ = 0.0;  // values below kMinResolved
  double count_ = 0.0;
  double sum_ = 0.0;
  double min_ = 0.0;
  double max_ = 0.0;
};

}  // namespace infersim::serving

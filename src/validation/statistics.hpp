#pragma once
// The statistic Infersim reports for repeated measurements: a run's timing samples (ref/base/timing.hpp)
// and the runs of `validate --runs` (validation/measured_validation.hpp).
#include <algorithm>
#include <vector>

namespace infersim {

// Median of the values (the mean of the two middle ones for an even count); values must not be empty.
[[nodiscard]] inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

}  // namespace infersim

#include "core/validation.hpp"

#include <cmath>

namespace infersim {

ValidationResult validate_cases(const std::vector<MeasuredRow>& rows, const HardwareSpec& hw) {
  ValidationResult result;
  std::vector<FamilyError> by_family(kKernelFamilyNames.size());
  double sum = 0.0;
  for (const MeasuredRow& row : rows) {
    const KernelPrediction p = predict_kernel(row, hw);
    const double error = relative_error(p.time_s, row.measured_s);
    result.cases.push_back({row, p, error});
    FamilyError& f = by_family[static_cast<std::size_t>(row.family)];
    f.family = row.family;
    f.cases += 1;
    f.mape += std::abs(error);
    sum += std::abs(error);
  }
  for (FamilyError& f : by_family) {
    if (f.cases == 0) continue;
    f.mape /= f.cases;
    result.families.push_back(f);
  }
  result.mape = rows.empty() ? 0.0 : sum / static_cast<double>(rows.size());
  return result;
}

}  // namespace infersim

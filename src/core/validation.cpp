#include "core/validation.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "core/model_predict.hpp"

namespace infersim {

namespace {

KernelPrediction predict_case(const MeasuredRow& row, const HardwareSpec& hw, const std::vector<ModelSpec>& models) {
  if (!is_model_family(row.family)) return predict_kernel(row, hw);
  const std::string name = parse_model_case_shape(row).model;
  for (const ModelSpec& m : models)
    if (m.name == name) return predict_model_case(row, m, hw);
  throw InputError("case '" + row.case_name + "' names model '" + name + "', which was not loaded");
}

}  // namespace

ValidationResult validate_cases(const std::vector<MeasuredRow>& rows, const HardwareSpec& hw,
                                const std::vector<ModelSpec>& models) {
  ValidationResult result;
  std::vector<FamilyError> by_family(kKernelFamilyNames.size());
  double sum = 0.0;
  for (const MeasuredRow& row : rows) {
    const KernelPrediction p = predict_case(row, hw, models);
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

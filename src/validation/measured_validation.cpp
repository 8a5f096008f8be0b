#include "validation/measured_validation.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/errors.hpp"
#include "validation/model_predict.hpp"
#include "validation/statistics.hpp"

namespace infersim {

namespace {

KernelPrediction predict_case(const MeasuredRow& row, const HardwareSpec& hw, const ModelCases& cases) {
  if (!is_model_family(row.family)) return predict_kernel(row, hw);
  const std::string name = parse_model_case_shape(row).model;
  for (const ModelSpec& m : cases.models) {
    if (m.name != name) continue;
    if (!cases.scenario) throw std::logic_error("validate_cases: model cases without a CaseScenario");
    return predict_model_case(row, cases.scenario(row), m, hw);
  }
  throw InputError("case '" + row.case_name + "' names model '" + name + "', which was not loaded");
}

}  // namespace

std::vector<ModelSpec> models_named_by(const std::vector<MeasuredRow>& rows, const ModelLoader& load) {
  std::vector<ModelSpec> models;
  for (const MeasuredRow& row : rows) {
    if (!is_model_family(row.family)) continue;
    const std::string name = parse_model_case_shape(row).model;
    const bool loaded =
        std::any_of(models.begin(), models.end(), [&](const ModelSpec& m) { return m.name == name; });
    if (!loaded) models.push_back(load(name));
  }
  return models;
}

HostCalibration median_calibration(const std::vector<HostCalibration>& runs) {
  if (runs.empty()) throw InputError("median_calibration: no runs");
  HostCalibration m = runs.front();
  const auto field = [&runs](double HostCalibration::*member) {
    std::vector<double> values;
    for (const HostCalibration& run : runs) values.push_back(run.*member);
    return median(std::move(values));
  };
  for (double HostCalibration::*member :
       {&HostCalibration::fma_peak_flops, &HostCalibration::sgemm_flops, &HostCalibration::attention_flops,
        &HostCalibration::decode_attention_in_core_flops, &HostCalibration::skinny_gemv_in_core_flops,
        &HostCalibration::triad_Bps, &HostCalibration::read_Bps, &HostCalibration::weight_pack_Bps,
        &HostCalibration::llc_Bps, &HostCalibration::fork_join_s, &HostCalibration::tiny_sgemm_s})
    m.*member = field(member);
  return m;
}

std::vector<MeasuredRow> median_rows(const std::vector<std::vector<MeasuredRow>>& runs) {
  if (runs.empty()) return {};
  for (const std::vector<MeasuredRow>& run : runs)
    if (run.size() != runs.front().size()) throw InputError("median_rows: the runs list different cases");
  std::vector<MeasuredRow> out;
  for (const MeasuredRow& first : runs.front()) {
    MeasuredRow row = first;
    row.repeats = 0;
    std::vector<double> times;
    for (const std::vector<MeasuredRow>& run : runs) {
      const auto same = [&first](const MeasuredRow& r) { return r.case_name == first.case_name; };
      const auto it = std::find_if(run.begin(), run.end(), same);
      if (it == run.end())
        throw InputError("median_rows: case '" + first.case_name + "' is missing from a run");
      times.push_back(it->measured_s);
      row.repeats += it->repeats;
    }
    const auto [lo, hi] = std::minmax_element(times.begin(), times.end());
    row.measured_s = median(times);
    row.spread = row.measured_s > 0.0 ? (*hi - *lo) / row.measured_s : 0.0;
    out.push_back(std::move(row));
  }
  return out;
}

ValidationResult validate_cases(const std::vector<MeasuredRow>& rows, const HardwareSpec& hw,
                                const ModelCases& model_cases) {
  ValidationResult result;
  std::vector<FamilyError> by_family(kKernelFamilyNames.size());
  double sum = 0.0;
  for (const MeasuredRow& row : rows) {
    const KernelPrediction p = predict_case(row, hw, model_cases);
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

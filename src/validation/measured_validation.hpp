#pragma once
// Measured against predicted: signed relative error per case and the mean absolute percentage error
// (MAPE) overall and per family, as `infersim validate` reports them.
#include <functional>
#include <string>
#include <vector>

#include "core/model_spec.hpp"
#include "core/scenario.hpp"
#include "validation/host_calibration.hpp"
#include "validation/kernel_predict.hpp"

namespace infersim {

struct ValidatedCase {
  MeasuredRow measured;
  KernelPrediction predicted;
  double rel_error = 0.0;  // predicted / measured - 1: negative when the model is optimistic
};

struct FamilyError {
  KernelFamily family = KernelFamily::gemm;
  int cases = 0;
  double mape = 0.0;  // mean of |rel_error|, a fraction (0.1 = 10 %)
};

struct ValidationResult {
  std::vector<ValidatedCase> cases;
  std::vector<FamilyError> families;  // in KernelFamily order, families with cases only
  double mape = 0.0;
};

// predicted / measured - 1.
[[nodiscard]] constexpr double relative_error(double predicted_s, double measured_s) {
  return predicted_s / measured_s - 1.0;
}

// Loads a model config by name, as -m NAME does; throws InputError when it cannot.
using ModelLoader = std::function<ModelSpec(const std::string& name)>;
// The scenario an end-to-end case's shape and dtype describe, read at the io edge
// (io/published/model_case.hpp); throws InputError for a value estimate would refuse.
using CaseScenario = std::function<Scenario(const MeasuredRow& row)>;

// What the end-to-end cases need from the io edge: the models they name (models_named_by) and each
// case's scenario.
struct ModelCases {
  std::vector<ModelSpec> models;
  CaseScenario scenario;
};

// The models the end-to-end cases name (shape "model=NAME;..."), each loaded once, in order of first
// mention: what validate_cases needs to predict those cases.
[[nodiscard]] std::vector<ModelSpec> models_named_by(const std::vector<MeasuredRow>& rows,
                                                     const ModelLoader& load);

// Kernel families are predicted by predict_kernel; the model families (model_prefill, model_decode)
// by the engine itself (validation/model_predict.hpp), with the model their shape names taken from
// `model_cases` (InputError when it is not there) and the scenario it gives.
[[nodiscard]] ValidationResult validate_cases(const std::vector<MeasuredRow>& rows, const HardwareSpec& hw,
                                              const ModelCases& model_cases = {});

// Several runs of the same calibration and suite (validate --runs), reduced to one: on a shared
// machine other tenants slow some seconds down and not others, and a run's figures move with them;
// the median over runs spread in time is what the machine offers most of the time.
//  - median_calibration: each measured figure's median over the runs (the descriptive fields of the
//    first run). Throws InputError on an empty list.
//  - median_rows: each case's median measured_s over the runs (cases matched by name, in the first
//    run's order), repeats summed, spread = (max - min) / median of the runs' medians. Throws
//    InputError when the runs do not list the same cases.
[[nodiscard]] HostCalibration median_calibration(const std::vector<HostCalibration>& runs);
[[nodiscard]] std::vector<MeasuredRow> median_rows(const std::vector<std::vector<MeasuredRow>>& runs);

}  // namespace infersim

#include "validation/host_runs.hpp"

namespace infersim {

HostRuns measure_host_runs(int runs, const HardwareSpec* given, const HostMeasurer& measurer) {
  HostRuns r;
  ModelCases models{{}, measurer.case_scenario};  // the runs list the same cases: loaded after the first
  for (int run = 1; run <= runs; ++run) {
    if (runs > 1 && measurer.on_run_start) measurer.on_run_start(run, runs);
    std::vector<HostCalibration> bracket;
    if (!given) bracket.push_back(measurer.calibrate());
    r.rows.push_back(measurer.run_suite());
    if (!given) {
      bracket.push_back(measurer.calibrate());
      r.calibrations.push_back(median_calibration(bracket));  // the median of two: their mean
    }
    if (runs == 1) continue;
    if (run == 1) models.models = models_named_by(r.rows.back(), measurer.load_model);
    const HardwareSpec hw = given ? *given : measurer.profile_of(r.calibrations.back());
    const ValidationResult one = validate_cases(r.rows.back(), hw, models);
    if (measurer.on_run_judged) measurer.on_run_judged(run, runs, one);
  }
  return r;
}

HostMeasurement measure_host_validation(int runs, const std::optional<HardwareSpec>& given,
                                        const HostMeasurer& measurer) {
  const HostRuns r = measure_host_runs(runs, given ? &*given : nullptr, measurer);
  HostMeasurement m;
  m.cases = median_rows(r.rows);
  if (given) {
    m.hardware = *given;
  } else {
    m.calibration = median_calibration(r.calibrations);
    m.hardware = measurer.profile_of(*m.calibration);
  }
  return m;
}

}  // namespace infersim

#pragma once
// `infersim validate` on this host, without the measuring: the reference suite run `runs` times, the
// host calibrated before and after each run unless a profile is given, each figure of a run's
// calibration the mean of the two (a shared host's speed drifts over the suite's half minute, and the
// bracket judges the cases against the host's speed while they ran; exactly so for a linear drift).
// The runs are reduced to each case's median time and the median calibration (median_rows,
// median_calibration). The measuring (the reference kernels and their BLAS) and the turning of a
// calibration into a profile (written and loaded as a profile file is) come from callables, so this
// library needs neither.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/hardware_spec.hpp"
#include "core/model_spec.hpp"
#include "validation/host_calibration.hpp"
#include "validation/measured_case.hpp"
#include "validation/measured_validation.hpp"

namespace infersim {

struct HostMeasurer {
  std::function<HostCalibration()> calibrate;                      // one calibration of this host
  std::function<std::vector<MeasuredRow>()> run_suite;             // one run of the reference suite
  std::function<HardwareSpec(const HostCalibration&)> profile_of;  // a calibration as a profile
  ModelLoader load_model;      // the models the end-to-end cases name (models_named_by)
  CaseScenario case_scenario;  // the scenario of each end-to-end case
  // With more than one run only, and only when set: before each run, and after each run judged on its
  // own calibration (or the given profile), so the run-to-run scatter of a shared machine shows.
  std::function<void(int run, int runs)> on_run_start;
  std::function<void(int run, int runs, const ValidationResult& result)> on_run_judged;
};

struct HostRuns {
  std::vector<HostCalibration> calibrations;   // one per run (the mean of its bracket); none when given
  std::vector<std::vector<MeasuredRow>> rows;  // one list per run
};

// The runs themselves; `given`: the profile to judge with (no calibrating), or null.
[[nodiscard]] HostRuns measure_host_runs(int runs, const HardwareSpec* given, const HostMeasurer& measurer);

struct HostMeasurement {
  std::vector<MeasuredRow> cases;              // each case's median over the runs
  HardwareSpec hardware;                       // the given profile, or that of `calibration`
  std::optional<HostCalibration> calibration;  // the median calibration, when calibrated now
};

// The runs reduced to one set of cases and one profile.
[[nodiscard]] HostMeasurement measure_host_validation(int runs, const std::optional<HardwareSpec>& given,
                                                      const HostMeasurer& measurer);

}  // namespace infersim

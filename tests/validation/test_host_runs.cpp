// The calibrate-before-and-after workflow of `infersim validate` (validation/host_runs.hpp) with a fake
// host: calibrations and suite runs are scripted, so the bracketing and the medians are checked exactly.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "validation/host_runs.hpp"

using namespace infersim;

namespace {

HardwareSpec flat_host(double peak) {
  HardwareSpec hw;
  hw.peak_flops[static_cast<std::size_t>(index_of(PeakSlot::fp32))] = peak;
  hw.compute_efficiency = 1.0;
  hw.memory_bandwidth_Bps = 1e12;
  hw.memory_efficiency = 1.0;
  return hw;
}

MeasuredRow gemm(const std::string& name, double measured_s) {
  MeasuredRow r;
  r.case_name = name;
  r.family = KernelFamily::gemm;
  r.dtype = "fp32";
  r.flops = 1e9;
  r.bytes = 1.0;
  r.measured_s = measured_s;
  r.repeats = 3;
  return r;
}

// A host whose sgemm figure grows by 10 GFLOP/s per calibration and whose suite's one case takes
// 1, 3, 2, ... s run after run.
struct FakeHost {
  int calibrations = 0;
  int suites = 0;
  std::vector<std::string> events;

  HostMeasurer measurer() {
    HostMeasurer m;
    m.calibrate = [this] {
      HostCalibration c;
      c.cpu_model = "fake";
      c.sgemm_flops = 10e9 * ++calibrations;
      return c;
    };
    m.run_suite = [this] {
      const double times[] = {1.0, 3.0, 2.0};
      return std::vector<MeasuredRow>{gemm("g", times[suites++ % 3])};
    };
    m.profile_of = [](const HostCalibration& c) { return flat_host(c.sgemm_flops); };
    m.load_model = [](const std::string& name) -> ModelSpec { throw InputError("no model " + name); };
    m.on_run_start = [this](int run, int runs) {
      events.push_back("start " + std::to_string(run) + "/" + std::to_string(runs));
    };
    m.on_run_judged = [this](int run, int, const ValidationResult& r) {
      events.push_back("judged " + std::to_string(run) + " " + std::to_string(r.cases.size()));
    };
    return m;
  }
};

}  // namespace

TEST_CASE("host runs: one run calibrates before and after the suite, each figure their mean") {
  FakeHost host;
  const HostMeasurement m = measure_host_validation(1, std::nullopt, host.measurer());
  CHECK(host.calibrations == 2);
  CHECK(host.suites == 1);
  CHECK(host.events.empty());  // one run: no per-run progress
  REQUIRE(m.calibration);
  CHECK(m.calibration->sgemm_flops == Approx(15e9));  // (10 + 20) / 2
  CHECK(m.calibration->cpu_model == "fake");
  CHECK(peak_flops(m.hardware, Dtype::fp32) == Approx(15e9));
  REQUIRE(m.cases.size() == 1);
  CHECK(m.cases[0].measured_s == 1.0);
}

TEST_CASE("host runs: several runs give each case's median time and the median calibration") {
  FakeHost host;
  const HostRuns runs = measure_host_runs(3, nullptr, host.measurer());
  CHECK(host.calibrations == 6);
  REQUIRE(runs.calibrations.size() == 3);
  CHECK(runs.calibrations[2].sgemm_flops == Approx(55e9));  // (50 + 60) / 2
  CHECK(host.events == std::vector<std::string>{"start 1/3", "judged 1 1", "start 2/3", "judged 2 1",
                                                "start 3/3", "judged 3 1"});
  FakeHost again;
  const HostMeasurement m = measure_host_validation(3, std::nullopt, again.measurer());
  REQUIRE(m.cases.size() == 1);
  CHECK(m.cases[0].measured_s == 2.0);  // median of 1, 3, 2
  CHECK(m.cases[0].repeats == 9);
  CHECK(m.cases[0].spread == Approx(1.0));            // (3 - 1) / 2
  CHECK(m.calibration->sgemm_flops == Approx(35e9));  // median of 15, 35, 55
}

TEST_CASE("host runs: a given profile is used as it is, nothing calibrated") {
  FakeHost host;
  const HostMeasurement m = measure_host_validation(2, flat_host(7e9), host.measurer());
  CHECK(host.calibrations == 0);
  CHECK(host.suites == 2);
  CHECK_FALSE(m.calibration);
  CHECK(peak_flops(m.hardware, Dtype::fp32) == Approx(7e9));
  CHECK(m.cases[0].measured_s == 2.0);  // median of 1 and 3
}

TEST_CASE("host runs: the models the end-to-end cases name are loaded once each, through the loader") {
  MeasuredRow a = gemm("a", 1.0);
  a.family = KernelFamily::model_decode;
  a.shape = "model=ref-tiny;tokens=1;context=2;batch=1";
  MeasuredRow b = a;
  b.case_name = "b";
  std::vector<std::string> asked;
  const ModelLoader load = [&asked](const std::string& name) {
    asked.push_back(name);
    ModelSpec m;
    m.name = name;
    return m;
  };
  const std::vector<ModelSpec> models = models_named_by({a, gemm("g", 1.0), b}, load);
  CHECK(asked == std::vector<std::string>{"ref-tiny"});
  REQUIRE(models.size() == 1);
  CHECK(models[0].name == "ref-tiny");
}

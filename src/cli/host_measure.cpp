#include "cli/host_measure.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>

#include "io/config/model_loader.hpp"
#include "ref/cpu/blas.hpp"
#include "ref/cpu/calibrate.hpp"
#include "ref/cpu/host_suite.hpp"

namespace infersim {

HostCalibration measure_host(bool quick, int threads) {
  ref::set_blas_threads(threads);
  return ref::calibrate_host({threads, quick}, [](const std::string& step) {
    fmt::print(stderr, "infersim calibrate: measuring {}\n", step);
  });
}

std::vector<MeasuredRow> measure_suite(bool quick, int threads, const SearchPath& search) {
  const ModelSpec suite_model = load_model(search.resolve("model_configs", ref::kSuiteModel));
  fmt::print(stderr, "infersim validate: running the {} CPU suite on device {}\n", quick ? "quick" : "full",
             ref::host_device_name(threads));
  return ref::run_host_suite({quick, threads}, suite_model, [](const MeasuredRow& r) {
    fmt::print(stderr, "  {:<24} {:.6f} s  spread {:.3f}\n", r.case_name, r.measured_s, r.spread);
  });
}

std::string measurement_provenance() {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  const auto now = std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now());
  return fmt::format("host '{}' on {:%Y-%m-%d %H:%M} UTC", host.data(), now);
}

}  // namespace infersim

// calibrate's YAML writer (io/published/host_profile.hpp): what it writes loads with load_hardware and states
// the measured figures as the roofline's parameters.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <regex>

#include "io/config/hardware_loader.hpp"
#include "io/published/host_profile.hpp"

using namespace infersim;

namespace {

HostCalibration measured_host() {
  HostCalibration h;
  h.cpu_model = "Test CPU \"quoted\"";
  h.blas_core = "Haswell";
  h.threads = 2;
  h.memory_B = 24.0 * 1073741824.0;
  h.fma_peak_flops = 200e9;
  h.sgemm_flops = 180e9;
  h.sgemm_n = 3584;
  h.triad_Bps = 29e9;
  h.triad_working_set_B = 3.0 * 512 * 1048576.0;
  h.llc_size_B = 32.0 * 1048576.0;
  h.llc_Bps = 80e9;
  h.llc_working_set_B = 16.0 * 1048576.0;
  h.fork_join_s = 25e-6;
  h.tiny_sgemm_s = 0.1e-6;
  return h;
}

// What calibrate would write for h, loaded back through a temporary file named after `tag`.
HardwareSpec written_and_loaded(const HostCalibration& h, const std::string& tag) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("host_profile_" + tag + "_" + std::to_string(getpid()) + ".yaml");
  {
    std::ofstream out(path);
    out << host_profile_yaml(h, "host 'test' on 2025-01-01 00:00 UTC");
  }
  HardwareSpec hw = load_hardware(path.string());
  std::filesystem::remove(path);
  return hw;
}

}  // namespace

TEST_CASE("the calibrated profile loads and carries the measurements as roofline parameters") {
  const HardwareSpec hw = written_and_loaded(measured_host(), "test");
  CHECK(peak_flops(hw, Dtype::fp32) == Approx(200e9));
  // The sgemm (n = 3584, 2 n^3 = 92,073,361,408 FLOP) at 180 GFLOP/s takes 0.511519 s; under
  // gemm_time: sum its operands' transfer, 3 n^2 x 4 B = 154,140,672 B (over the 32 MiB LLC: at the
  // 29 GB/s triad) = 5.315 ms, is taken out: 92.07e9 / 0.506203 s = 181.89 GFLOP/s, / 200 = 0.90945.
  CHECK(hw.compute_efficiency == Approx(0.90945).margin(5e-5));  // written with 4 decimals
  CHECK(hw.gemm_time_is_sum);
  CHECK(hw.memory_bandwidth_Bps == Approx(29e9));
  CHECK(hw.memory_efficiency == 1.0);
  REQUIRE(hw.caches.size() == 1);
  CHECK(hw.caches[0].size_B == Approx(32.0 * 1048576.0));
  CHECK(hw.caches[0].bandwidth_Bps == Approx(80e9));
  CHECK(hw.kernel_launch_overhead_s == Approx(25e-6));
  CHECK(hw.memory_capacity_B == Approx(24.0 * 1073741824.0));
  CHECK_FALSE(hw.own_kernel_efficiency);  // not measured: every family uses compute
}

TEST_CASE("the measured attention kernel throughput becomes the profile's own-kernel efficiency") {
  HostCalibration h = measured_host();
  h.attention_flops = 60e9;  // 60 / 200 GFLOP/s
  const HardwareSpec hw = written_and_loaded(h, "attn");
  CHECK(*hw.own_kernel_efficiency == Approx(0.3));
  CHECK(hw.compute_efficiency == Approx(0.90945).margin(5e-5));  // as in the first case
  CHECK_FALSE(hw.read_bandwidth_Bps);                            // not measured
}

TEST_CASE(
    "the in-core throughputs of the streaming decode kernels are written and load as their efficiencies") {
  HostCalibration h = measured_host();
  h.decode_attention_in_core_flops = 80e9;  // 80 / 200 GFLOP/s
  h.skinny_gemv_in_core_flops = 150e9;      // 150 / 200
  const HardwareSpec hw = written_and_loaded(h, "in_core");
  CHECK(*hw.decode_attention_in_core_efficiency == Approx(0.4));
  CHECK(*hw.skinny_gemv_in_core_efficiency == Approx(0.75));
  CHECK_FALSE(hw.own_kernel_efficiency);  // not measured in this calibration
}

TEST_CASE("the measured read-stream bandwidth is written and loads as the profile's read bandwidth") {
  HostCalibration h = measured_host();
  h.read_Bps = 21e9;
  h.read_working_set_B = 1073741824.0;
  const HardwareSpec hw = written_and_loaded(h, "read");
  CHECK(*hw.read_bandwidth_Bps == Approx(21e9));
  CHECK(hw.memory_bandwidth_Bps == Approx(29e9));
}

TEST_CASE("the measured weight-packing rate is written and loads as the profile's packing bandwidth") {
  HostCalibration h = measured_host();
  CHECK_FALSE(written_and_loaded(h, "no_pack").weight_pack_bandwidth_Bps);  // not measured: not written
  h.weight_pack_Bps = 8.5e9;
  const HardwareSpec hw = written_and_loaded(h, "pack");
  CHECK(*hw.weight_pack_bandwidth_Bps == Approx(8.5e9));
  CHECK(hw.gemm_time_is_sum);  // the key is accepted only beside gemm_time: sum
}

TEST_CASE("the compute efficiency is capped at 1 when the sgemm times a hair above the FMA burst") {
  HostCalibration h = measured_host();
  h.sgemm_flops = 201e9;
  CHECK(host_compute_efficiency(h) == 1.0);
}

TEST_CASE("every source file the calibrated profile cites exists in the repository") {
  // The comments name the kernels a figure came from; a file moved without them would send a reader
  // to nothing. Today's text cites src/ref/cpu/calibrate.cpp (twice) and src/ref/cpu/suite.cpp.
  const std::string text = host_profile_yaml(measured_host(), "host 'test' on 2025-01-01 00:00 UTC");
  const std::regex cited(R"(src/[A-Za-z0-9_/]+\.(cpp|hpp))");
  int count = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), cited); it != std::sregex_iterator(); ++it) {
    INFO(it->str());
    CHECK(std::filesystem::is_regular_file(std::filesystem::path(INFERSIM_SOURCE_DIR) / it->str()));
    ++count;
  }
  CHECK(count == 3);
}

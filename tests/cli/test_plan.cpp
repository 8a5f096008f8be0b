// infersim capacity and plan on the command line: keys, exit codes (3: no plan meets the targets).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using infersim::test::run_infersim;
using infersim::test::source_path;

namespace {
const std::string kData = "--config-dir " + source_path("");
}

TEST_CASE("capacity --format json names min_devices and max_batch") {
  const auto r = run_infersim(kData + " capacity -m llama-2-70b -g h100-sxm --format json");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\"min_devices\": 2,") != std::string::npos);
  CHECK(r.out.find("\"max_batch\": 0,") != std::string::npos);  // TP1: not even batch 1 fits
}

TEST_CASE("plan: a ranked table when targets can be met, exit 3 when they cannot, exit 2 on bad prices") {
  const std::string base = kData +
                           " plan -m llama-3-70b -g a100-80gb-sxm,h100-sxm,h200-sxm,mi300x --input 2048 "
                           "--output 256 --rate 10 --tpot-slo 0.05";
  const auto ok = run_infersim(base + " --ttft-slo 1");
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("   1 ") != std::string::npos);
  const auto none = run_infersim(base + " --ttft-slo 0.001");
  CHECK(none.exit_code == 3);
  CHECK(none.out.find("no candidate meets the targets") != std::string::npos);
  CHECK(run_infersim(base + " --ttft-slo 1 --price h100-sxm=2.5").exit_code == 2);  // prices for some only
  CHECK(run_infersim(base + " --ttft-slo 1 --price nope=1").exit_code == 2);
}

TEST_CASE("plan takes --runtime like estimate: named in the output, its step overhead in every TPOT") {
  const std::string base = kData +
                           " plan -m llama-3-70b -g h100-sxm --input 2048 --output 256 --rate 10 "
                           "--ttft-slo 1 --tpot-slo 0.05 --format json --top 1";
  const auto optimized = run_infersim(base);
  REQUIRE(optimized.exit_code == 0);
  CHECK(optimized.out.find("\"runtime\": \"optimized\"") != std::string::npos);
  const auto eager = run_infersim(base + " --runtime eager");
  REQUIRE(eager.exit_code == 0);
  CHECK(eager.out.find("\"runtime\": \"eager\"") != std::string::npos);
  // A runtime that spends 60 ms of host work on every pass: no TPOT can be under 50 ms, whatever the
  // device, layout or batch, so nothing meets the target (exit 3).
  const auto dir =
      std::filesystem::temp_directory_path() / ("infersim_plan_runtime_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto slow = dir / "slow-host.yaml";
  std::ofstream(slow)
      << "description: \"test: 60 ms of host work a pass\"\nsource: \"made up for this test\"\n"
         "step_overhead_us: 60000\nhost_launch_us: 0\n";
  const auto none = run_infersim(base + " --runtime " + slow.string());
  CHECK(none.exit_code == 3);
  CHECK(run_infersim(base + " --runtime nope").exit_code == 2);
  std::filesystem::remove_all(dir);
}

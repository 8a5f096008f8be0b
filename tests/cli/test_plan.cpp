// infersim capacity and plan on the command line: keys, exit codes (3: no plan meets the targets).
#include <catch2/catch.hpp>

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
  const std::string base = kData + " plan -m llama-3-70b -g a100-80gb-sxm,h100-sxm,h200-sxm,mi300x --input 2048 "
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

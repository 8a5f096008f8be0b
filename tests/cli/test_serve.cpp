// infersim serve --find-max-rate on the command line: the search's keys, exit 3 when no rate meets the
// targets (the search itself: tests/unit/test_serving_max_rate.cpp).
#include <catch2/catch.hpp>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using infersim::test::run_infersim;
using infersim::test::source_path;

namespace {
const std::string kData = "--config-dir " + source_path("");
const std::string kSearch =
    kData + " serve -m llama-3-8b -g h100-sxm --input 1024 --output 128 --requests 200 --find-max-rate";
}  // namespace

TEST_CASE("serve --find-max-rate: the rate found and the summary at it, or exit 3 when none meets") {
  const auto found = run_infersim(kSearch + " --ttft-slo 300ms --tpot-slo 12ms --format json");
  REQUIRE(found.exit_code == 0);
  for (const char* key : {"\"max_rate_rps\": ", "\"next_rate_rps\": ", "\"offline_rate_rps\": ",
                          "\"percentile\": 99,", "\"curve\": [", "\"ttft_p99_s\": "}) {
    CHECK(found.out.find(key) != std::string::npos);
  }
  CHECK(found.out.find("\"max_rate_rps\": null") == std::string::npos);
  const auto none = run_infersim(kSearch + " --ttft-slo 1ms --format json");
  CHECK(none.exit_code == 3);
  CHECK(none.out.find("\"max_rate_rps\": null,") != std::string::npos);
  CHECK(none.out.find("\"ttft_p99_s\"") == std::string::npos);  // no run meets: no summary
  const auto table = run_infersim(kSearch + " --ttft-slo 1ms");
  CHECK(table.exit_code == 3);
  CHECK(table.out.find("no rate meets the targets: even ") != std::string::npos);
}

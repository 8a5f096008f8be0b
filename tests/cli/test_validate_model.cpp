// `infersim validate --measured` on end-to-end model rows: the model named in the shape is loaded
// and the row predicted by the engine (tests/validation/README.md has the hand figures).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

namespace {

infersim::test::Run validate_fixture(const std::string& csv) {
  const std::string fixtures = infersim::test::source_path("tests/validation/");
  return infersim::test::run_infersim("validate --measured " + fixtures + csv + " -g " + fixtures +
                                      "host_fixture.yaml");
}

}  // namespace

TEST_CASE("validate --measured predicts a model_decode row with the engine on the named model") {
  const auto r = validate_fixture("measured_model_fixture.csv");
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("model_decode") != std::string::npos);
  CHECK(r.out.find("+11.0%") != std::string::npos);  // 0.069366 / 0.0625 - 1
}

TEST_CASE("validate --measured exits 2 naming a model row's unknown model") {
  const auto r = validate_fixture("measured_unknown_model_fixture.csv");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("no-such-model") != std::string::npos);
}

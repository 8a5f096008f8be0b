// `infersim validate --measured` end to end on the hand-computed fixture (tests/validation/README.md):
// rel_error, MAPE, the CSV columns and the exit codes. Nothing here measures the host.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/fixtures.hpp"

namespace {

struct Result {
  int exit_code = -1;
  std::string out;
};

std::string read_all(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path temp_file(const std::string& stem) {
  return std::filesystem::temp_directory_path() / (stem + "_" + std::to_string(getpid()));
}

Result validate(const std::string& args) {
  const auto out_path = temp_file("infersim_validate_out");
  const std::string fixtures = infersim::test::source_path("tests/validation/");
  const std::string command = std::string(INFERSIM_BINARY) + " validate --measured " + fixtures +
                              "measured_fixture.csv -g " + fixtures + "host_fixture.yaml " + args + " >" +
                              out_path.string() + " 2>&1";
  const int status = std::system(command.c_str());
  Result r{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_all(out_path)};
  std::filesystem::remove(out_path);
  return r;
}

}  // namespace

TEST_CASE("validate --measured prints the hand-computed errors and MAPE and exits 0 under the threshold") {
  const Result r = validate("");
  INFO(r.out);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("-20.0%") != std::string::npos);               // gemm: 0.20001 / 0.25 - 1 = -0.19996
  CHECK(r.out.find("+25.1%") != std::string::npos);               // gemv: 0.02001 / 0.016 - 1 = +0.250625
  CHECK(r.out.find("MAPE overall: 22.5%") != std::string::npos);  // (0.19996 + 0.250625) / 2
}

TEST_CASE("validate exits 3 when the MAPE is above --threshold, printing the figures") {
  const Result r = validate("--threshold 0.2");
  CHECK(r.exit_code == 3);
  CHECK(r.out.find("MAPE overall: 22.5%") != std::string::npos);
}

TEST_CASE("validate -o writes the measured columns plus predicted_s and rel_error") {
  const auto csv = temp_file("infersim_validate_csv");
  const Result r = validate("-o " + csv.string());
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(read_all(csv));
  std::filesystem::remove(csv);
  std::string header, gemm;
  std::getline(lines, header);
  std::getline(lines, gemm);
  CHECK(header ==
        "case,family,device,dtype,shape,flops,bytes,measured_s,repeats,spread,predicted_s,rel_error");
  CHECK(gemm.rfind("gemm_fixture,gemm,cpu-fixture-2t,fp32,m=1000;n=1000;k=5000,", 0) == 0);
  const std::string rel = gemm.substr(gemm.rfind(',') + 1);
  const std::string rest = gemm.substr(0, gemm.rfind(','));
  CHECK(std::stod(rel) == Approx(-0.19996));
  CHECK(std::stod(rest.substr(rest.rfind(',') + 1)) == Approx(0.20001));
}

TEST_CASE("validate never writes over an input and needs -g with --measured") {
  const std::string fixtures = infersim::test::source_path("tests/validation/");
  CHECK(validate("-o " + fixtures + "measured_fixture.csv").exit_code == 2);
  const int status = std::system((std::string(INFERSIM_BINARY) + " validate --measured " + fixtures +
                                  "measured_fixture.csv >/dev/null 2>&1")
                                     .c_str());
  CHECK(WEXITSTATUS(status) == 2);
}

TEST_CASE("validate --measured reads a measured CSV through a pipe (another runner's output, unsaved)") {
  const std::string fixtures = infersim::test::source_path("tests/validation/");
  const auto out_path = temp_file("infersim_validate_pipe");
  const std::string script = std::string(INFERSIM_BINARY) + " validate --measured <(cat " + fixtures +
                             "measured_fixture.csv) -g " + fixtures + "host_fixture.yaml >" +
                             out_path.string() + " 2>&1";
  const int status = std::system(("bash -c '" + script + "'").c_str());
  const std::string out = read_all(out_path);
  std::filesystem::remove(out_path);
  INFO(out);
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(out.find("MAPE overall: 22.5%") != std::string::npos);  // the hand-computed figure, as from the file
}

TEST_CASE(
    "validate --runs repeats this host's measurement only: with --measured or --published it is an error") {
  const auto r = validate("--runs 3");
  CHECK(r.exit_code == 2);
  const int status =
      std::system((std::string(INFERSIM_BINARY) + " validate --published --runs 2 >/dev/null 2>&1").c_str());
  CHECK(WEXITSTATUS(status) == 2);
  const int zero = std::system((std::string(INFERSIM_BINARY) + " validate --runs 0 >/dev/null 2>&1").c_str());
  CHECK(WEXITSTATUS(zero) == 2);  // CLI11's range check: 1 to 20
}

// infersim report: the page, its three charts and the data behind them; a clear error without gnuplot.
#include <catch2/catch.hpp>
#include <filesystem>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using infersim::test::read_file;
using infersim::test::run_infersim;
using infersim::test::source_path;

TEST_CASE("report writes index.html with the roofline, latency and memory charts") {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("infersim_report_" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(dir);
  const auto r =
      run_infersim("--config-dir " + source_path("") + " report -m llama-2-7b -g h100-sxm -o " + dir);
  REQUIRE(r.exit_code == 0);
  const std::string html = read_file(dir + "/index.html");
  for (const char* chart : {"roofline.svg", "latency.svg", "memory.svg"}) {
    CHECK(html.find(std::string("<img src=\"") + chart + "\"") != std::string::npos);
    CHECK(std::filesystem::file_size(dir + "/" + chart) > 1000);
  }
  CHECK(read_file(dir + "/decode_ops.dat").find("\"q_proj\"") != std::string::npos);
  CHECK(html.find("<td>tpot_s</td>") != std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST_CASE("report without gnuplot on the PATH exits 2 naming the package") {
  const auto no_path = infersim::test::run_infersim_env(
      "PATH=/nonexistent", "--config-dir " + source_path("") + " report -o /tmp/infersim-never");
  CHECK(no_path.exit_code == 2);
  CHECK(no_path.err.find("gnuplot-nox") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists("/tmp/infersim-never/index.html"));
}

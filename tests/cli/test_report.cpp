// infersim report: the page, its three charts and the data behind them; a clear error without gnuplot.
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

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
  // Llama-2-7B has as many KV heads as query heads: q, k, v and o projections are one shape, drawn at
  // one point, with one label for the four (io/report/roofline_labels.hpp) instead of four on one spot.
  const std::string roofline = read_file(dir + "/roofline.gp");
  CHECK(roofline.find("'q_proj, k_proj, v_proj, o_proj' at ") != std::string::npos);
  CHECK(roofline.find("with labels") == std::string::npos);
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

TEST_CASE("report marks the batches that do not fit") {
  // Llama-2-7B on an L40S (48 GB): batch 64 needs 13.48 GB of weights + 42.95 GB of KV cache (64 x 1,280
  // tokens x 524,288 B) and more, past the 43.47 GB usable, so the latency chart rings it as not fitting.
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("infersim_report_fit_" + std::to_string(getpid()))).string();
  std::filesystem::remove_all(dir);
  const auto r = run_infersim("--config-dir " + source_path("") + " report -m llama-2-7b -g l40s -o " + dir);
  REQUIRE(r.exit_code == 0);
  const std::string script = infersim::test::read_file(dir + "/latency.gp");
  CHECK(script.find("title 'does not fit'") != std::string::npos);
  const std::string data = infersim::test::read_file(dir + "/batches.dat");
  const std::size_t last = data.rfind("\n64 ");
  REQUIRE(last != std::string::npos);  // batch 64 is among the points
  std::istringstream row(data.substr(last + 1));
  double batch, ttft, tpot, tput, weights, kv, act, reserve, usable;
  row >> batch >> ttft >> tpot >> tput >> weights >> kv >> act >> reserve >> usable;
  CHECK(weights + kv + act + reserve > usable);  // the condition the chart's red rings test
  std::filesystem::remove_all(dir);
}

TEST_CASE("report writes into a directory whose name has a quote, a space and shell syntax") {
  // gnuplot runs without a shell, in the directory: the name is never parsed. A shell would run the
  // `touch` of the name's $(...) and stop at its unbalanced quote.
  const auto parent =
      std::filesystem::temp_directory_path() / ("infersim_report_names_" + std::to_string(getpid()));
  std::filesystem::remove_all(parent);
  std::filesystem::create_directories(parent);
  const auto dir = parent / "Bob's report $(touch PWNED) \"x\"";
  const std::string quoted = "'" + parent.string() + "/Bob'\\''s report $(touch PWNED) \"x\"'";  // for sh
  const auto r = run_infersim("--config-dir " + source_path("") + " report -m llama-2-7b -o " + quoted);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "infersim report: wrote " + dir.string() + "/index.html\n");
  for (const char* chart : {"roofline.svg", "latency.svg", "memory.svg", "index.html"})
    CHECK(std::filesystem::file_size(dir / chart) > 1000);
  CHECK_FALSE(std::filesystem::exists(dir / "gnuplot.log"));  // removed after a clean run
  CHECK_FALSE(std::filesystem::exists(parent / "PWNED"));
  CHECK_FALSE(std::filesystem::exists("PWNED"));
  std::filesystem::remove_all(parent);
}

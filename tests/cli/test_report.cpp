// infersim report: the page, its four charts and the data behind them; a clear error without gnuplot.
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>
#include <vector>

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
  // The configuration itself (batch 1) fits: no line above the charts says otherwise.
  CHECK(read_file(dir + "/index.html").find("Does not fit") == std::string::npos);
  std::filesystem::remove_all(dir);
  // Llama-3.1-405B in bf16 on one 40 GB A100 does not fit at all: the page says so above its charts, with
  // the memory a device needs (more than the weights alone: 405.85 G parameters x 2 B = 811.7 GB, the
  // model config's count, the card's 405B) and has (less than the 40 GiB = 42.95 GB on the board).
  const auto big = run_infersim("--config-dir " + source_path("") +
                                " report -m llama-3.1-405b -g a100-40gb-sxm -o " + dir);
  REQUIRE(big.exit_code == 0);
  const std::string html = read_file(dir + "/index.html");
  const std::string lead = "<p><strong>Does not fit:</strong> ";
  const std::size_t note = html.find(lead);
  REQUIRE(note != std::string::npos);
  CHECK(note < html.find("<h2>Roofline</h2>"));
  std::istringstream figures(html.substr(note + lead.size()));
  double needed_GB = 0, usable_GB = 0;
  std::string gb, a, device, against;
  figures >> needed_GB >> gb >> a >> device >> against >> usable_GB;
  CHECK(needed_GB > 811.7);
  CHECK(usable_GB > 0);
  CHECK(usable_GB < 42.95);
  CHECK(html.find(" GB usable; the times on this page assume it fitted") != std::string::npos);
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

namespace {

struct RateRow {
  double rate, ttft_p50, ttft_p99, tpot_p50, tpot_p99, throughput;
};

std::vector<RateRow> rate_rows(const std::string& path) {
  std::istringstream in(read_file(path));
  std::string line;
  std::vector<RateRow> rows;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream row(line);
    RateRow r{};
    row >> r.rate >> r.ttft_p50 >> r.ttft_p99 >> r.tpot_p50 >> r.tpot_p99 >> r.throughput;
    rows.push_back(r);
  }
  return rows;
}

}  // namespace

TEST_CASE("report: latency against request rate, up to the offline rate, with the targets given") {
  const std::string dir =
      (std::filesystem::temp_directory_path() / ("infersim_report_rate_" + std::to_string(getpid())))
          .string();
  std::filesystem::remove_all(dir);
  const auto r =
      run_infersim("--config-dir " + source_path("") +
                   " report -m llama-2-7b -g a100-80gb-sxm --ttft-slo 500ms --tpot-slo 30ms -o " + dir);
  REQUIRE(r.exit_code == 0);
  CHECK(read_file(dir + "/index.html").find("<img src=\"serving.svg\"") != std::string::npos);
  CHECK(std::filesystem::file_size(dir + "/serving.svg") > 1000);
  const std::vector<RateRow> rows = rate_rows(dir + "/rates.dat");
  REQUIRE(rows.size() == 13);  // 2 %, 10 %, ..., 100 % of the offline rate
  CHECK(rows.front().rate == Approx(0.02 * rows.back().rate));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(rows[i].ttft_p50 <= rows[i].ttft_p99);
    CHECK(rows[i].tpot_p50 <= rows[i].tpot_p99);
    if (i == 0) continue;
    // Busier with the rate: more tokens out per second, each step longer (the same requests each time).
    CHECK(rows[i].rate > rows[i - 1].rate);
    CHECK(rows[i].throughput > rows[i - 1].throughput);
    CHECK(rows[i].tpot_p50 >= rows[i - 1].tpot_p50);
  }
  const std::string gp = read_file(dir + "/serving.gp");
  CHECK(gp.find("500 with lines lw 2 dt 3 lc rgb '#0072b2' title 'TTFT target 500 ms'") != std::string::npos);
  CHECK(gp.find("30 with lines lw 2 dt 3 lc rgb '#e69f00' title 'TPOT target 30 ms'") != std::string::npos);
  std::filesystem::remove_all(dir);
  // No targets, no target lines; unfused attention is not simulated and says why on the page.
  const auto unfused = run_infersim("--config-dir " + source_path("") +
                                    " report -m llama-2-7b -g a100-80gb-sxm --attention unfused -o " + dir);
  REQUIRE(unfused.exit_code == 0);
  CHECK(read_file(dir + "/index.html").find("<p>Not simulated: serving simulation models the fused") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir + "/serving.svg"));
  std::filesystem::remove_all(dir);
  const auto plain =
      run_infersim("--config-dir " + source_path("") + " report -m llama-2-7b -g l40s -o " + dir);
  REQUIRE(plain.exit_code == 0);
  CHECK(read_file(dir + "/serving.gp").find("target") == std::string::npos);
  std::filesystem::remove_all(dir);
}

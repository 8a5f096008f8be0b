// Hostile names, paths and descriptions through the commands that write other languages: nothing runs,
// no markup or YAML key is injected, and error messages stay one line.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "io/config/model_loader.hpp"
#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

namespace fs = std::filesystem;
using infersim::test::read_file;
using infersim::test::run_infersim;
using infersim::test::source_path;

namespace {

// One word for the shell that run_infersim hands the command line to.
std::string sh_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

struct TempDir {
  fs::path path;
  explicit TempDir(const std::string& tag)
      : path(fs::temp_directory_path() / ("infersim_escape_" + tag + "_" + std::to_string(getpid()))) {
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

bool any_file_named(const fs::path& dir, const std::string& prefix) {
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.path().filename().string().rfind(prefix, 0) == 0) return true;
  return false;
}

}  // namespace

TEST_CASE("report: a model file named like a gnuplot command runs nothing, and the page escapes markup") {
  const TempDir tmp("report");
  const std::string hostile = "x'; system('touch PWNED_model'); y='<b>";
  const fs::path model = tmp.path / (hostile + ".yaml");
  fs::copy_file(source_path("model_configs/llama-2-7b.yaml"), model);
  // The hardware's description carries markup and a gnuplot command of its own.
  std::string hardware = read_file(source_path("hardware_profiles/h100-sxm.yaml"));
  const std::size_t at = hardware.find("description:");
  REQUIRE(at != std::string::npos);
  hardware.replace(at, hardware.find('\n', at) - at,
                   "description: \"<script>alert(1)</script> '); system('touch PWNED_hw'); ('\"");
  const fs::path hw = tmp.path / "hw`touch PWNED_tick`.yaml";
  std::ofstream(hw) << hardware;
  const fs::path out = tmp.path / "report";

  const auto r = run_infersim("--config-dir " + source_path("") + " report -m " + sh_quote(model.string()) +
                              " -g " + sh_quote(hw.string()) + " -o " + sh_quote(out.string()));
  REQUIRE(r.exit_code == 0);
  CHECK_FALSE(any_file_named(tmp.path, "PWNED"));
  CHECK_FALSE(fs::exists("PWNED_model"));
  const std::string html = read_file((out / "index.html").string());
  CHECK(html.find("<script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("y='&lt;b&gt;") != std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  // Numbers for people: no 2.9999999999999997e-05.
  CHECK(html.find("99999999") == std::string::npos);
  for (const char* script : {"latency.gp", "serving.gp"}) {
    const std::string gp = read_file((out / script).string());
    CHECK(gp.find("set title 'x''; system(''touch PWNED_model''); y=''<b> on hw`touch PWNED_tick`:") !=
          std::string::npos);
  }
}

TEST_CASE("estimate --format json: a hostile model name parses back as itself") {
  const TempDir tmp("json");
  const std::string hostile = "q\"uote\\back\x1b[31m \xe6\xbc\xa2";
  const fs::path model = tmp.path / (hostile + ".yaml");
  fs::copy_file(source_path("model_configs/llama-2-7b.yaml"), model);
  const auto r = run_infersim("--config-dir " + source_path("") + " estimate --format json -m " +
                              sh_quote(model.string()));
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(r.out);
  CHECK(json.at("model").get<std::string>() == hostile);
  const auto capacity = run_infersim("--config-dir " + source_path("") + " capacity --format json -m " +
                                     sh_quote(model.string()));
  REQUIRE(capacity.exit_code == 0);
  CHECK(nlohmann::json::parse(capacity.out).at("model").get<std::string>() == hostile);
  // CSV: the quote is doubled inside a quoted field.
  const auto csv = run_infersim("--config-dir " + source_path("") + " estimate --format csv -m " +
                                sh_quote(model.string()));
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.find("\"q\"\"uote\\back") != std::string::npos);
}

TEST_CASE("import-hf --name with a newline writes no YAML key of its own") {
  const TempDir tmp("import");
  const fs::path out = tmp.path / "evil.yaml";
  const auto r = run_infersim("import-hf " + source_path("tests/hf/meta-llama-3-8b.json") + " --name " +
                              sh_quote("evil\nsliding_window: 16\n# ") + " -o " + sh_quote(out.string()));
  REQUIRE(r.exit_code == 0);
  const std::string yaml = read_file(out.string());
  CHECK(yaml.find("\nsliding_window") == std::string::npos);
  const infersim::ModelSpec m = infersim::load_model_text(yaml, out.string());
  CHECK(m.sliding_window == 0);
  CHECK(m.description.find("evil\nsliding_window: 16") == 0);  // the name round-trips in description
  // A name that is not UTF-8 still writes a file that loads: the bad byte becomes U+FFFD.
  const auto bad = run_infersim("import-hf " + source_path("tests/hf/meta-llama-3-8b.json") + " --name " +
                                sh_quote("bad\xff"));
  REQUIRE(bad.exit_code == 0);
  CHECK(infersim::load_model_text(bad.out, "bad.yaml").description.find("bad\xef\xbf\xbd") == 0);
}

TEST_CASE("error messages show a hostile file name on one line") {
  const auto r = run_infersim("estimate -m " + sh_quote("/nonexistent/a\nb\x1b[2J.yaml"));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/nonexistent/a\\nb\\x1b[2J.yaml") != std::string::npos);
  CHECK(r.err.find('\x1b') == std::string::npos);
  CHECK(r.err.find('\n') == r.err.size() - 1);
}

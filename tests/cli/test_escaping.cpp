// Hostile names, paths and descriptions through the commands that write other languages: nothing runs,
// and no markup is injected.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

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
  const std::string gp = read_file((out / "latency.gp").string());
  CHECK(gp.find("set title 'x''; system(''touch PWNED_model''); y=''<b> on hw`touch PWNED_tick`:") !=
        std::string::npos);
}

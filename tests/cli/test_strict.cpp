// Strict command lines: an empty value is an error for every option of every command, an option that
// takes one value may not be repeated (options taking a list may), and the directories named by
// --config-dir and $INFERSIM_PATH must be readable directories. Each exits 2 with one line naming it.
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

namespace fs = std::filesystem;
using infersim::test::run_infersim;
using infersim::test::run_infersim_env;
using infersim::test::source_path;

namespace {

const std::string kPlan =
    "plan -m llama-2-7b -g a100-80gb-sxm,h100-sxm --rate 1 --ttft-slo 1 --tpot-slo 0.05 --format json ";

void check_usage_error(const std::string& args, const std::string& message) {
  INFO(args);
  const auto r = run_infersim(args);
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.rfind("infersim: error: " + message + "\n", 0) == 0);
}

}  // namespace

TEST_CASE("An empty value is an error for every option, positionals included") {
  const std::pair<const char*, const char*> cases[] = {
      {"estimate --group-size ''", "--group-size"},
      {"estimate --runtime ''", "--runtime"},
      {"estimate -m ''", "--model"},
      {"estimate --format ''", "--format"},  // a choice too: the same message, before its own check
      {"sweep -b 1 --shard ''", "--shard"},
      {"sweep -b 1 -o ''", "-o"},
      {"sweep ''", "spec"},
      {"import-hf x.json -o ''", "--output"},
      {"import-hf ''", "config"},
      {"capacity --ttft-slo ''", "--ttft-slo"},
      {"report -o ''", "-o"},
      {"validate --measured ''", "--measured"},
      {"list ''", "what"},
      {"--config-dir '' list models", "--config-dir"},
  };
  for (const auto& [args, flag] : cases) check_usage_error(args, std::string(flag) + " must not be empty");
  check_usage_error(kPlan + "--price ''", "--price must not be empty");
}

TEST_CASE("A repeated single-valued option or flag is an error naming it, list options repeat") {
  // The message names the option as its help does, says how often it came and what to do, not
  // CLI11's "--hardware: At Most 1 required but received 2".
  check_usage_error("estimate -g a100-80gb-sxm -g h100-sxm", "--hardware given twice: give it once");
  check_usage_error("estimate -g a100-80gb-sxm --hardware h100-sxm", "--hardware given twice: give it once");
  check_usage_error("estimate --breakdown --breakdown --breakdown",
                    "--breakdown given 3 times: give it once");
  check_usage_error("estimate -b 2 -b 2", "--batch given twice: give it once");  // even the same value
  check_usage_error(kPlan + "--top 3 --top 4", "--top given twice: give it once");
  check_usage_error("plan -m llama-2-7b -g h100-sxm -g mi300x --rate 1 --ttft-slo 1 --tpot-slo 0.05",
                    "--hardware given twice: give it once, its values as one comma-separated list (1,2,4)");
  check_usage_error("sweep -b 1,2 -b 4",
                    "--batch given twice: give it once, its values as one comma-separated list (1,2,4)");
  check_usage_error("--config-dir . --config-dir .. list models", "--config-dir given twice: give it once");
  // The reference runner's options go through the same guarded_main (built only where OpenBLAS is).
  const fs::path runner = fs::path(INFERSIM_BINARY).parent_path() / "infersim-ref-cpu";
  if (fs::exists(runner)) {
    const std::string command = runner.string() + " --threads 1 --threads 2 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out(4096, '\0');
    out.resize(fread(out.data(), 1, out.size(), pipe));
    const int status = pclose(pipe);
    CHECK(WEXITSTATUS(status) == 2);
    CHECK(out.rfind("infersim-ref-cpu: error: --threads given twice: give it once\n", 0) == 0);
  }
  const auto priced = run_infersim(kPlan + "--price a100-80gb-sxm=2 --price h100-sxm=3");
  CHECK(priced.exit_code == 0);
  CHECK(priced.out.find("\"cost\": 2,") != std::string::npos);  // both prices taken
  CHECK(priced.out.find("\"cost\": 3,") != std::string::npos);
}

TEST_CASE("Data directories: --config-dir and $INFERSIM_PATH must name readable directories") {
  const fs::path dir = fs::temp_directory_path() / ("infersim_strict_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "file") << "not a directory\n";
  fs::create_symlink(dir / "loop_b", dir / "loop_a");
  fs::create_symlink(dir / "loop_a", dir / "loop_b");
  const std::pair<std::string, const char*> bad[] = {
      {(dir / "missing").string(), "no such file or directory"},
      {(dir / "file").string(), "not a directory"},
      {(dir / "loop_a").string(), "too many levels of symbolic links"},
  };
  for (const auto& [path, why] : bad) {
    INFO(path);
    const std::string tail = " '" + path + "' is not a readable directory: " + why + "\n";
    const auto flag = run_infersim("--config-dir " + path + " list models");
    CHECK(flag.exit_code == 2);
    CHECK(flag.out.empty());
    CHECK(flag.err == "infersim: error: --config-dir" + tail);
    const auto env = run_infersim_env("INFERSIM_PATH=" + path, "list models");
    CHECK(env.exit_code == 2);
    CHECK(env.err == "infersim: error: $INFERSIM_PATH" + tail);
  }
  const auto empty = run_infersim_env("INFERSIM_PATH=", "list models");
  CHECK(empty.exit_code == 2);
  CHECK(empty.err == "infersim: error: $INFERSIM_PATH is empty: it must name a directory\n");
  // A good one still works, through a symlink too.
  fs::create_directory_symlink(source_path(""), dir / "data");
  CHECK(run_infersim("--config-dir " + (dir / "data").string() + " list models").exit_code == 0);
  CHECK(run_infersim_env("INFERSIM_PATH=" + (dir / "data").string(), "list models").exit_code == 0);
  fs::remove_all(dir);
}

TEST_CASE("A range stated in --help is the range the check enforces") {
  const auto estimate_help = run_infersim("estimate --help");
  CHECK(estimate_help.out.find("share of communication hidden behind compute, in [0, 0.99]") !=
        std::string::npos);
  CHECK(run_infersim("estimate --comm-overlap 0.99").exit_code == 0);
  CHECK(run_infersim("estimate --comm-overlap 0").exit_code == 0);
  const auto over = run_infersim("estimate --comm-overlap 0.995");
  CHECK(over.exit_code == 2);
  CHECK(over.err.find("--comm-overlap must be a number in [0, 0.99], got '0.995'") != std::string::npos);

  CHECK(run_infersim("plan --help").out.find("requests per second to serve, in (0, 1000000]") !=
        std::string::npos);
  const std::string plan = "plan -m llama-2-7b -g h100-sxm --ttft-slo 1 --tpot-slo 0.05 --rate ";
  CHECK(run_infersim(plan + "1000000").exit_code != 2);  // in range: an answer, yes (0) or no (3)
  CHECK(run_infersim(plan + "0").err.find("--rate must be a number in (0, 1000000]") != std::string::npos);
  CHECK(run_infersim(plan + "1000001").err.find("--rate must be a number in (0, 1000000]") !=
        std::string::npos);
}

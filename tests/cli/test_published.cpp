// `infersim validate --published` and `--runtime`: exit codes (3 above --threshold, 0 below), the CSV
// written atomically with one line per published row, and bad runtime input exiting 2.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using infersim::test::read_file;
using infersim::test::run_infersim;
using infersim::test::run_infersim_env;
using infersim::test::source_path;

namespace {
const std::string kData = "--config-dir " + source_path("");

// `validate --published` on tests/cli/published_small: eight of the shipped rows (one fitted, six batch-1
// decode rows judged, one serving row) and the mapping entries for them; the models, hardware and runtimes
// come from the source tree. The gates' exit codes and lines, in a fraction of a second a run.
infersim::test::Run small_published(const std::string& flags) {
  return run_infersim_env(
      "INFERSIM_PATH=" + source_path(""),
      "--config-dir " + source_path("tests/cli/published_small") + " validate --published " + flags);
}
}  // namespace

TEST_CASE("validate --published: figures printed, exit 3 above --threshold and 0 below it") {
  const std::string out =
      (std::filesystem::temp_directory_path() / ("published_" + std::to_string(getpid()) + ".csv")).string();
  // No end-to-end prediction is within 0.1 % of every published row: a threshold of 0.001 fails.
  const auto strict = run_infersim(kData + " validate --published --threshold 0.001 -o " + out);
  CHECK(strict.exit_code == 3);
  CHECK(strict.out.find("Coverage: ") != std::string::npos);
  CHECK(strict.out.find("Batch-1 decode MAPE: ") != std::string::npos);
  // The fit subset of validation/published/mapping.yaml (3 ggml-org rows, 5 gpt-fast lines, TensorRT-LLM
  // issue #329's line 1222, vLLM pull request #3692's lines 1278 and 1282; 3 TensorRT-LLM and 2 MLPerf lines
  // run through the serving simulator) is listed apart and counted in each group; 94 judged serving rows
  // before lines 692-829, 138 with them, 85 of lines 830-947 (33 the simulator rejects); 106 of the later
  // overview's lines 1283-1388 and NVIDIA's two DeepSeek-R1 recipes (lines 1389-1390).
  CHECK(strict.out.find("Rows used for fitting: the 16 mapped rows of these sources") != std::string::npos);
  CHECK(strict.out.find("(fit)") != std::string::npos);
  CHECK(strict.out.find("through the serving simulator (458 judged, 5 used for fitting)") !=
        std::string::npos);
  const std::string csv = read_file(out);
  std::istringstream lines(csv);
  int count = 0;
  for (std::string line; std::getline(lines, line);) ++count;
  CHECK(count == 1390);  // header + 1389 published rows
  CHECK(csv.rfind("source,hardware,num_devices,", 0) == 0);
  CHECK(csv.find(",predicted,rel_error,share_gemms,share_expert_gemms,share_attention,share_elementwise,"
                 "share_collectives,share_host,share_kv_swaps,notes_or_reason\n") != std::string::npos);
  CHECK(strict.out.find("Where the predicted time goes (every judged row;") != std::string::npos);
  std::filesystem::remove(out);
  // The threshold changes the exit status and its line, nothing above them (on the small set of rows).
  const auto small_strict = small_published("--threshold 0.001");
  CHECK(small_strict.exit_code == 3);
  const auto loose = small_published("--threshold 100");
  CHECK(loose.exit_code == 0);
  const auto exit_lines = small_strict.out.find("Exit status:");
  REQUIRE(exit_lines != std::string::npos);
  CHECK(loose.out.substr(0, exit_lines) == small_strict.out.substr(0, exit_lines));
  CHECK(loose.out.find(
            "Exit status: 3 when the all-judged-rows MAPE is above --threshold 10000%: not above\n") ==
        exit_lines);
}

TEST_CASE("validate --published: the rows measured under load have their own gate, --serving-threshold") {
  // The serving rows (here one of the TensorRT-LLM overview's offline max-load rows) are judged apart:
  // their threshold does not move the one-configuration rows' gate, nor theirs it.
  const auto tight = small_published("--threshold 100 --serving-threshold 0.001");
  CHECK(tight.exit_code == 3);
  CHECK(
      tight.out.find("Exit status: 3 when the all-judged-rows MAPE is above --threshold 10000%: not above") !=
      std::string::npos);
  CHECK(tight.out.find(
            "Exit status: 3 too when the serving rows' MAPE is above --serving-threshold 0.1%: above") !=
        std::string::npos);
  CHECK(tight.out.find("Rows measured under load, through the serving simulator (1;") != std::string::npos);
  CHECK(tight.out.find("Serving rows: MAPE per source:") != std::string::npos);
  const auto loose = small_published("--threshold 100 --serving-threshold 100");
  CHECK(loose.exit_code == 0);
  const auto strict = small_published("--threshold 0.001 --serving-threshold 100");
  CHECK(strict.exit_code == 3);
  const auto alone = run_infersim(kData + " validate --measured x.csv -g h100-sxm --serving-threshold 0.5");
  CHECK(alone.exit_code == 2);
  CHECK(alone.err.find("--serving-threshold") != std::string::npos);
}

TEST_CASE(
    "Runtime flag (--runtime): named profiles change TPOT by their terms, unknown names and bad files exit "
    "2") {
  const std::string base = kData + " estimate -m llama-2-7b -g a100-80gb-sxm --format json";
  const auto opt = run_infersim(base);
  REQUIRE(opt.exit_code == 0);
  CHECK(opt.out.find("\"runtime\": \"optimized\"") != std::string::npos);
  // optimized: 30 us per step, no host cost per kernel (runtime_profiles/optimized.yaml).
  const std::string key = "\"runtime_overhead_per_step_s\": ";
  const auto at = opt.out.find(key);
  REQUIRE(at != std::string::npos);
  CHECK(std::stod(opt.out.substr(at + key.size())) == Approx(30e-6));
  const auto eager = run_infersim(base + " --runtime eager");
  REQUIRE(eager.exit_code == 0);
  CHECK(eager.out.find("\"runtime\": \"eager\"") != std::string::npos);
  const auto nope = run_infersim(base + " --runtime nope");
  CHECK(nope.exit_code == 2);
  CHECK(nope.err.find("unknown runtime profile 'nope'") != std::string::npos);
  const std::string bad = source_path("tests/config/bad/runtime_unknown_key.yaml");
  const auto badfile = run_infersim(base + " --runtime " + bad);
  CHECK(badfile.exit_code == 2);
  CHECK(badfile.err.find(bad + ":5:1: error: unknown key 'launch_us'") != std::string::npos);
}

TEST_CASE("validate --published --regime-threshold: the regime table becomes a gate") {
  // Without the flag the table is a report; with it, a regime of >= 5 judged rows leaning beyond the
  // fraction either way exits 3 and is named. 0 fails on any regime that leans at all (the six batch-1
  // rows of the small set do); 1e6 on none.
  const std::string loose = "--threshold 100 --serving-threshold 100";
  const auto report = small_published(loose);
  CHECK(report.exit_code == 0);
  CHECK(report.out.find("report only, no gate):") != std::string::npos);
  const auto gated = small_published(loose + " --regime-threshold 0");
  CHECK(gated.exit_code == 3);
  CHECK(gated.out.find("gate: a regime of >= 5 rows leaning beyond 0% either way):") != std::string::npos);
  CHECK(gated.out.find("Exit status: 3: these regimes lean beyond the gate: batch 1 (") != std::string::npos);
  const auto wide = small_published(loose + " --regime-threshold 1e6");
  CHECK(wide.exit_code == 0);
  CHECK(wide.out.find("Exit status: 3 when a regime leans beyond the gate: none does") != std::string::npos);
  const auto alone = run_infersim(kData + " validate --regime-threshold 0.15");
  CHECK(alone.exit_code == 2);
  CHECK(alone.err.find("--regime-threshold") != std::string::npos);
}

TEST_CASE(
    "validate --published: a progress bar on stderr when asked (or on a terminal), the report unchanged") {
  // The rows are judged one by one; the bar counts them (8 in the small set) and ends its line when done.
  const auto plain = small_published("");
  const auto shown = small_published("--progress");
  CHECK(plain.err.empty());  // stderr is a file here, not a terminal: no bar unless asked
  CHECK(shown.err.find("8/8 rows") != std::string::npos);
  CHECK(shown.err.find("100.0%") != std::string::npos);
  CHECK(shown.err.back() == '\n');
  CHECK(shown.out == plain.out);
  CHECK(shown.exit_code == plain.exit_code);
  const auto alone = run_infersim(kData + " validate --progress");
  CHECK(alone.exit_code == 2);
  CHECK(alone.err.find("--progress") != std::string::npos);
}

TEST_CASE("validate --published: a run stopped by an error ends the bar's line before the message") {
  // The small set with its Llama-2-70B rows (the third row on) mapped to a model that does not exist: the
  // judging stops there with exit 2, the bar having shown the rows before it.
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("published_broken_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "validation");
  fs::copy(source_path("tests/cli/published_small/validation"), dir / "validation",
           fs::copy_options::recursive);
  const fs::path mapping = dir / "validation/published/mapping.yaml";
  std::string text = read_file(mapping.string());
  const std::string from = "to: llama-2-70b";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(), "to: no-such-model");
  std::ofstream(mapping) << text;
  const auto r = run_infersim_env("INFERSIM_PATH=" + source_path(""),
                                  "--config-dir " + dir.string() + " validate --published --progress");
  fs::remove_all(dir);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("/8 rows") != std::string::npos);              // the bar was on the line
  CHECK(r.err.find("\ninfersim: error: ") != std::string::npos);  // and the message starts a line of its own
}

TEST_CASE("validate --published takes no host or measured-CSV options") {
  const auto r = run_infersim(kData + " validate --published -g h100-sxm");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--published") != std::string::npos);
}

// Outputs never destroy anything: no command writes over a file it reads (given by path, listed in a
// spec, found through --config-dir), a device or pipe given as the output is written and stays what it
// is, a full disk is an error that leaves nothing behind, and `report -o` writes only into a new or
// empty directory or one of its own reports. (Interrupted sweeps: tests/cli/interrupted_sweep.sh.)
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

namespace fs = std::filesystem;
using infersim::test::read_file;
using infersim::test::run_infersim;
using infersim::test::run_infersim_env;
using infersim::test::source_path;

namespace {

// A scratch directory holding a copy of the shipped data (for --config-dir; the published rows are the small
// set of tests/cli/published_small, which validate --published judges in a fraction of a second) and a few
// loose inputs.
struct Scratch {
  fs::path dir = fs::temp_directory_path() / ("infersim_outputs_" + std::to_string(::getpid()));
  Scratch() {
    fs::remove_all(dir);
    fs::create_directories(dir / "validation");
    for (const char* sub : {"model_configs", "hardware_profiles", "runtime_profiles"})
      fs::copy(source_path(sub), dir / sub, fs::copy_options::recursive);
    fs::copy(source_path("tests/cli/published_small/validation/published"), dir / "validation/published",
             fs::copy_options::recursive);
    fs::copy_file(source_path("model_configs/llama-2-7b.yaml"), dir / "my.yaml");
    fs::copy_file(source_path("hardware_profiles/h100-sxm.yaml"), dir / "hw.yaml");
    fs::copy_file(source_path("tests/validation/measured_fixture.csv"), dir / "measured.csv");
    fs::copy_file(source_path("tests/validation/measured_model_fixture.csv"), dir / "measured_model.csv");
    fs::copy_file(source_path("tests/validation/host_fixture.yaml"), dir / "host.yaml");
    fs::copy_file(source_path("tests/hf/falcon-7b.json"), dir / "config.json");
    std::ofstream(dir / "spec.yaml") << "model: [" << (dir / "my.yaml").string() << "]\nbatch: [1, 2]\n";
    fs::create_directories(dir / "report");
    fs::copy_file(dir / "my.yaml", dir / "report" / "batches.dat");  // a model file where report writes
  }
  ~Scratch() { fs::remove_all(dir); }
  [[nodiscard]] std::string operator/(const std::string& name) const { return (dir / name).string(); }
};

struct OverInput {
  std::string args;    // {} is the scratch directory
  std::string victim;  // relative to it: the input the output names
  std::string output;  // relative to it: the output the error names ("" = the victim)
};

std::string expand(std::string text, const std::string& dir) {
  for (std::size_t at = text.find("{}"); at != std::string::npos; at = text.find("{}", at + dir.size()))
    text.replace(at, 2, dir);
  return text;
}

}  // namespace

TEST_CASE("No command writes over one of its inputs (exit 2 naming both and the input byte-identical)") {
  const Scratch s;
  const std::string data = "--config-dir {} ";
  const OverInput cases[] = {
      // sweep: a model, a hardware profile by path, a model listed in the spec, the spec itself.
      {"sweep -m {}/my.yaml -b 1,2 --quiet -o {}/my.yaml", "my.yaml", ""},
      {"sweep -m llama-2-7b -g {}/hw.yaml -b 1 --quiet -o {}/./hw.yaml", "hw.yaml", "./hw.yaml"},
      {"sweep {}/spec.yaml --quiet -o {}/my.yaml", "my.yaml", ""},
      {"sweep {}/spec.yaml --quiet -o {}/spec.yaml", "spec.yaml", ""},
      // Found through the search path: a name resolved in --config-dir, and the runtime no flag names.
      {data + "sweep -m llama-2-7b -b 1 --quiet -o {}/model_configs/llama-2-7b.yaml",
       "model_configs/llama-2-7b.yaml", ""},
      {data + "sweep -m llama-2-7b -b 1 --quiet -o {}/runtime_profiles/optimized.yaml",
       "runtime_profiles/optimized.yaml", ""},
      // validate --published: its CSV, its mapping, and a model only the mapping names.
      {data + "validate --published -o {}/validation/published/published_measurements.csv",
       "validation/published/published_measurements.csv", ""},
      {data + "validate --published -o {}/validation/published/mapping.yaml",
       "validation/published/mapping.yaml", ""},
      {data + "validate --published -o {}/model_configs/llama-2-7b.yaml", "model_configs/llama-2-7b.yaml",
       ""},
      // validate --measured: the CSV, the profile, and a model the CSV's cases name (read after -o opened).
      {"validate --measured {}/measured.csv -g {}/host.yaml -o {}/measured.csv", "measured.csv", ""},
      {"validate --measured {}/measured.csv -g {}/host.yaml -o {}/host.yaml", "host.yaml", ""},
      {data + "validate --measured {}/measured_model.csv -g {}/host.yaml -o {}/model_configs/ref-tiny.yaml",
       "model_configs/ref-tiny.yaml", ""},
      // report: a model file inside the directory, where the report would write.
      {"report -m {}/report/batches.dat -o {}/report", "report/batches.dat", ""},
      // import-hf: the config.json, by a symlink too.
      {"import-hf {}/config.json -o {}/config.json", "config.json", ""},
  };
  for (const OverInput& c : cases) {
    const std::string victim = s / c.victim;
    const std::string before = read_file(victim);
    REQUIRE(!before.empty());
    const auto r = run_infersim(expand(c.args, s.dir.string()));
    INFO(c.args << " -> " << r.err);
    CHECK(r.exit_code == 2);
    const std::string output = s / (c.output.empty() ? c.victim : c.output);
    CHECK(r.err.find("infersim: error: output '" + output + "' is the input ") != std::string::npos);
    CHECK(r.err.find("'" + victim + "'") != std::string::npos);
    CHECK(read_file(victim) == before);
    CHECK(fs::is_regular_file(victim));
  }
  fs::create_symlink(s.dir / "config.json", s.dir / "link.json");
  const auto linked = run_infersim("import-hf " + (s / "config.json") + " -o " + (s / "link.json"));
  CHECK(linked.exit_code == 2);
  CHECK(fs::is_symlink(s.dir / "link.json"));
}

TEST_CASE("The reference runner never writes its CSV over the model it reads") {
  const std::string runner = fs::path(INFERSIM_BINARY).parent_path() / "infersim-ref-cpu";
  if (!fs::exists(runner)) return;  // built only where OpenBLAS is
  const Scratch s;
  fs::copy_file(source_path("model_configs/ref-tiny.yaml"), s.dir / "tiny.yaml");
  const std::string before = read_file(s / "tiny.yaml");
  const std::string command =
      runner + " --model " + (s / "tiny.yaml") + " -o " + (s / "tiny.yaml") + " >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  CHECK(WEXITSTATUS(status) == 2);
  CHECK(read_file(s / "tiny.yaml") == before);
}

TEST_CASE("An output to /dev/null is written and /dev/null stays a character device") {
  if (::geteuid() != 0)
    WARN("not root: replacing /dev/null could not happen anyway; checking the exit codes");
  const std::string data = "--config-dir " + source_path("") + " ";
  // validate --published on the small set of published rows (tests/cli/published_small), the rest of its
  // data from the source tree.
  const std::string small = "--config-dir " + source_path("tests/cli/published_small") + " ";
  for (const std::string args :
       {data + "sweep -m llama-2-7b -b 1,2 --quiet -o /dev/null", small + "validate --published -o /dev/null",
        "import-hf " + source_path("tests/hf/falcon-7b.json") + " -o /dev/null"}) {
    const auto r = run_infersim_env("INFERSIM_PATH=" + source_path(""), args);
    INFO(args << " -> " << r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 3));  // 3: validate's MAPE above its threshold
    struct stat st {};
    REQUIRE(::stat("/dev/null", &st) == 0);
    CHECK(S_ISCHR(st.st_mode));
  }
}

TEST_CASE("An output named - or /dev/stdout goes to standard output") {
  const std::string sweep = "--config-dir " + source_path("") + " sweep -m llama-2-7b -b 1,2 --quiet";
  const auto plain = run_infersim(sweep);
  REQUIRE(plain.exit_code == 0);
  CHECK(run_infersim(sweep + " -o -").out == plain.out);
  CHECK(run_infersim(sweep + " -o /dev/stdout").out == plain.out);
}

TEST_CASE("A FIFO given as the output streams to its reader and stays a FIFO") {
  const Scratch s;
  const std::string fifo = s / "out.fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  std::string received;
  std::thread reader([&] { received = read_file(fifo); });  // opening blocks until the writer opens
  const auto r =
      run_infersim("--config-dir " + source_path("") + " sweep -m llama-2-7b -b 1,2,4 --quiet -o " + fifo);
  reader.join();
  CHECK(r.exit_code == 0);
  CHECK(received.rfind("model,hardware,", 0) == 0);
  CHECK(std::count(received.begin(), received.end(), '\n') == 4);  // the header and three rows
  struct stat st {};
  REQUIRE(::stat(fifo.c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
}

TEST_CASE("An output to /dev/full is a clear error that leaves nothing behind") {
  if (!fs::exists("/dev/full")) return;
  const auto before = std::distance(fs::directory_iterator("/dev"), {});
  for (const std::string args :
       {"--config-dir " + source_path("") + " sweep -m llama-2-7b -b 1,2 --quiet -o /dev/full",
        "import-hf " + source_path("tests/hf/falcon-7b.json") + " -o /dev/full"}) {
    const auto r = run_infersim(args);
    INFO(args << " -> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("infersim: error: cannot write '/dev/full': ") == 0);
    CHECK(r.err.find("No space left on device") != std::string::npos);
  }
  CHECK(std::distance(fs::directory_iterator("/dev"), {}) == before);
  struct stat st {};
  REQUIRE(::stat("/dev/full", &st) == 0);
  CHECK(S_ISCHR(st.st_mode));
}

TEST_CASE("report -o writes only into a new or empty directory or one of its own reports") {
  const Scratch s;
  const std::string report = "--config-dir " + source_path("") + " report -m llama-2-7b -o ";
  // A directory of the user's: refused, untouched.
  fs::create_directories(s.dir / "mine");
  std::ofstream(s.dir / "mine" / "index.html") << "my page\n";
  const auto mine = run_infersim(report + (s / "mine"));
  CHECK(mine.exit_code == 2);
  CHECK(mine.err.find("is not empty and is not a report of infersim's") != std::string::npos);
  CHECK(read_file(s / "mine/index.html") == "my page\n");
  CHECK(std::distance(fs::directory_iterator(s.dir / "mine"), {}) == 1);
  // A file: refused.
  CHECK(run_infersim(report + (s / "my.yaml")).exit_code == 2);
  // An empty directory, then the same report again: written, marked.
  fs::create_directories(s.dir / "empty");
  REQUIRE(run_infersim(report + (s / "empty")).exit_code == 0);
  CHECK(fs::is_regular_file(s.dir / "empty" / ".infersim-report"));
  const auto again = run_infersim(report + (s / "empty"));
  CHECK(again.exit_code == 0);
  CHECK(again.err.empty());
}

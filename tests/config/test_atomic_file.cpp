// io/atomic_file (over io/atomic_output): the whole text or nothing, errors that name the path,
// inputs never overwritten.
// A full disk is simulated with RLIMIT_FSIZE in a child process (no privileges needed, unlike a
// small tmpfs): write(2) then fails with EFBIG exactly as it fails with ENOSPC.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/errors.hpp"
#include "io/output/atomic_file.hpp"

namespace fs = std::filesystem;
using infersim::InputError;
using infersim::write_file_atomically;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("infersim_atomic_" + std::to_string(::getpid()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
  [[nodiscard]] std::size_t entries() const {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(path), {}));
  }
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("An atomic write replaces the file whole and leaves no temporary behind") {
  TempDir dir;
  const std::string out = (dir.path / "out.csv").string();
  write_file_atomically(out, "first\n");
  write_file_atomically(out, "second\n");
  CHECK(slurp(out) == "second\n");
  CHECK(dir.entries() == 1);
  CHECK((fs::status(out).permissions() & fs::perms::owner_read) != fs::perms::none);
}

TEST_CASE("Unwritable targets are errors that name the path, and leave nothing behind") {
  TempDir dir;
  const std::string missing_dir = (dir.path / "no_such_dir" / "out.csv").string();
  CHECK_THROWS_WITH(write_file_atomically(missing_dir, "x"),
                    Catch::StartsWith("cannot write '" + missing_dir + "'") &&
                        Catch::Contains("No such file or directory"));
  const std::string file = (dir.path / "plain").string();
  write_file_atomically(file, "x");
  const std::string under_file = file + "/out.csv";
  CHECK_THROWS_WITH(
      write_file_atomically(under_file, "x"),
      Catch::StartsWith("cannot write '" + under_file + "'") && Catch::Contains("Not a directory"));
  CHECK_THROWS_WITH(write_file_atomically(dir.path.string(), "x"), Catch::EndsWith("it is a directory"));
  CHECK_THROWS_AS(write_file_atomically("", "x"), InputError);
  CHECK(dir.entries() == 1);  // only `plain`
}

TEST_CASE("An input file is never overwritten, by any spelling of its path") {
  TempDir dir;
  const fs::path input = dir.path / "model.yaml";
  write_file_atomically(input.string(), "layers: 2\n");
  const fs::path link = dir.path / "link.yaml";
  fs::create_symlink(input, link);
  const std::string other_spelling = (dir.path / "." / "model.yaml").string();
  CHECK_THROWS_WITH(write_file_atomically(other_spelling, "x", {input.string()}),
                    Catch::Contains("is the input file '" + input.string() + "'"));
  CHECK_THROWS_WITH(write_file_atomically(link.string(), "x", {input.string()}),
                    Catch::Contains("is the input file '" + input.string() + "'"));
  CHECK(slurp(input) == "layers: 2\n");
  CHECK_NOTHROW(write_file_atomically((dir.path / "out.yaml").string(), "x", {input.string()}));
}

TEST_CASE(
    "A full disk (file size limit) is an error and leaves neither a partial file nor the old one changed") {
  TempDir dir;
  const std::string out = (dir.path / "out.csv").string();
  write_file_atomically(out, "old\n");
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    std::signal(SIGXFSZ, SIG_IGN);  // as main() does: EFBIG instead of a kill
    const rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      write_file_atomically(out, std::string(100000, 'x'));
    } catch (const InputError& e) {
      const std::string message = e.what();
      const bool names_both = message.rfind("cannot write '" + out + "'", 0) == 0 &&
                              message.find("File too large") != std::string::npos;
      ::_exit(names_both ? 42 : 1);
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 42);
  CHECK(slurp(out) == "old\n");
  CHECK(dir.entries() == 1);
}

// read_text_file: the one reader of every input file (YAML configurations, measured and published
// CSVs), so a directory, a device or a missing file gets the same one-line error in each format.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "io/config/config_error.hpp"
#include "io/config/text_file.hpp"
#include "io/published/measured_csv.hpp"
#include "io/published/published_csv.hpp"

using namespace infersim;

namespace {

template <class Read>
std::string error_of(const Read& read) {
  try {
    (void)read();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("read_text_file: the whole text, or one line naming the file and what is wrong") {
  const auto dir = std::filesystem::temp_directory_path() / ("infersim_text_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string small = (dir / "small.csv").string();
  {
    std::ofstream out(small, std::ios::binary);
    out << "a,b\r\n1,2\n";  // 9 bytes, kept as they are: no line-ending conversion
  }
  CHECK(read_text_file(small, 16, "a test file") == "a,b\r\n1,2\n");
  CHECK(error_of([&] { return read_text_file(small, 8, "a test file"); }) ==
        small + ": error: the file is 9 bytes, over the 8 B limit for a test file");
  const std::string missing = (dir / "missing.csv").string();
  CHECK(error_of([&] { return read_text_file(missing, 16, "a test file"); }) ==
        missing + ": error: no such file");
  CHECK(error_of([&] { return read_text_file(dir.string(), 16, "a test file"); }) ==
        dir.string() + ": error: is a directory, not a file");
  CHECK(error_of([] { return read_text_file("/dev/null", 16, "a test file"); }) ==
        "/dev/null: error: not a regular file (a device, pipe or socket?)");
  // A data file may come through a pipe or a character device, read up to the same limit.
  CHECK(read_text_file("/dev/null", 16, "a test file", Streams::accepted).empty());
  CHECK(error_of([] { return read_text_file("/dev/zero", 1 << 20, "a test file", Streams::accepted); }) ==
        "/dev/zero: error: the file holds more than the 1 MiB limit for a test file");
  std::filesystem::remove_all(dir);
}

TEST_CASE("A measured or published CSV that is a directory is named as one, not as a bad header") {
  const std::string dir = std::filesystem::temp_directory_path().string();
  CHECK(error_of([&] { return read_measured_csv(dir); }) == dir + ": error: is a directory, not a file");
  CHECK(error_of([&] { return read_published_csv(dir); }) == dir + ": error: is a directory, not a file");
  CHECK(error_of([] { return read_measured_csv("/nonexistent/measured.csv"); }) ==
        "/nonexistent/measured.csv: error: no such file");
}

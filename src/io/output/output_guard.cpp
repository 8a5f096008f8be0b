#include "io/output/output_guard.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <filesystem>
#include <mutex>
#include <utility>

#include "core/errors.hpp"
#include "io/output/atomic_file.hpp"

namespace infersim {

namespace {

struct RecordedInput {
  std::string path;
  std::string description;
};

std::mutex g_mutex;
std::vector<RecordedInput> g_inputs;  // in the order first recorded

// The regular file `path` names now (symlinks followed), or false when there is none.
bool regular_file_identity(const std::string& path, dev_t& device, ino_t& inode) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  device = st.st_dev;
  inode = st.st_ino;
  return true;
}

bool same_file(const std::string& path, dev_t device, ino_t inode) {
  dev_t d{};
  ino_t i{};
  return regular_file_identity(path, d, i) && d == device && i == inode;
}

}  // namespace

void record_input(const std::string& path, std::string_view description) {
  if (path.empty()) return;
  const std::lock_guard<std::mutex> lock(g_mutex);
  for (const RecordedInput& input : g_inputs)
    if (input.path == path) return;
  g_inputs.push_back({path, std::string(description)});
}

void forget_recorded_inputs() {
  const std::lock_guard<std::mutex> lock(g_mutex);
  g_inputs.clear();
}

void check_not_an_input(const std::string& output, const std::vector<std::string>& also) {
  dev_t device{};
  ino_t inode{};
  if (!regular_file_identity(output, device, inode)) return;
  std::vector<RecordedInput> inputs;
  {
    const std::lock_guard<std::mutex> lock(g_mutex);
    inputs = g_inputs;
  }
  for (const std::string& path : also) inputs.push_back({path, "file"});
  for (const RecordedInput& input : inputs) {
    if (same_file(input.path, device, inode))
      throw InputError(
          fmt::format("output '{}' is the input {} '{}'", output, input.description, input.path));
  }
}

void prepare_report_directory(const std::string& dir, const std::vector<std::string>& file_names) {
  namespace fs = std::filesystem;
  const fs::path d(dir);
  for (const std::string& name : file_names) check_not_an_input((d / name).string());
  check_not_an_input((d / kReportMarker).string());
  std::error_code ec;
  const fs::file_status status = fs::status(d, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status))
      throw InputError(fmt::format("the report directory '{}' exists and is not a directory", dir));
    const bool empty = fs::is_empty(d, ec);
    if (ec) throw InputError(fmt::format("cannot read the report directory '{}': {}", dir, ec.message()));
    if (!empty && !fs::is_regular_file(d / kReportMarker, ec))
      throw InputError(fmt::format(
          "the report directory '{}' is not empty and is not a report of infersim's (no {} in it): "
          "give a new or empty directory",
          dir, kReportMarker));
  }
  fs::create_directories(d, ec);
  if (ec) throw InputError(fmt::format("cannot create the report directory '{}': {}", dir, ec.message()));
  write_file_atomically((d / kReportMarker).string(),
                        "This directory was written by `infersim report`, which may overwrite it.\n");
}

}  // namespace infersim

#include "io/output/atomic_output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include "core/errors.hpp"
#include "io/output/output_guard.hpp"
#include "io/output/temp_cleanup.hpp"

namespace infersim {

namespace {

// The descriptor a path names in this process ("-", /dev/stdout, /dev/stderr, /dev/fd/N,
// /proc/self/fd/N), or -1. Written through a duplicate, so its offset and append mode are the shell's.
int own_descriptor(const std::string& path) {
  if (path == "-" || path == "/dev/stdout") return STDOUT_FILENO;
  if (path == "/dev/stderr") return STDERR_FILENO;
  for (const std::string_view prefix : {"/dev/fd/", "/proc/self/fd/"}) {
    if (path.rfind(prefix, 0) != 0) continue;
    int fd = -1;
    const char* first = path.data() + prefix.size();
    const char* last = path.data() + path.size();
    const auto [end, ec] = std::from_chars(first, last, fd);
    if (ec == std::errc() && end == last && first != last) return fd;
  }
  return -1;
}

[[noreturn]] void cannot_write(const std::string& path, const std::string& why) {
  throw InputError(fmt::format("cannot write '{}': {}", path, why));
}

}  // namespace

AtomicOutput::AtomicOutput(std::string path, const std::vector<std::string>& inputs)
    : path_(std::move(path)), inputs_(inputs) {
  if (path_.empty()) cannot_write(path_, "the output path is empty");
  int fd = -1;
  if (const int own = own_descriptor(path_); own >= 0) {
    fd = ::fcntl(own, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) cannot_write(path_, std::strerror(errno));
  } else if (struct stat st{}; ::stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    if (S_ISDIR(st.st_mode)) cannot_write(path_, "it is a directory");
    if (S_ISBLK(st.st_mode)) cannot_write(path_, "it is a block device");
    fd = ::open(path_.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);  // a device, FIFO or socket
    if (fd < 0) cannot_write(path_, std::strerror(errno));
  } else {
    check_not_an_input(path_, inputs_);
    const std::filesystem::path target(path_);
    std::string temp_name =
        ".";  // built in steps: gcc 12 warns (-Wrestrict, a false positive) on "." + string
    temp_name += target.filename().string();
    temp_name += ".tmp-XXXXXX";
    temp_path_ = (target.parent_path() / temp_name).string();
    fd = make_registered_temporary(temp_path_, temp_slot_);
    if (fd < 0) {
      temp_path_.clear();
      cannot_write(path_, std::strerror(errno));
    }
    const mode_t mask = ::umask(0);  // mkstemp makes 0600; give the file the mode a plain open would
    ::umask(mask);
    ::fchmod(fd, 0666 & ~mask);
  }
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    remove_temporary();
    cannot_write(path_, reason);
  }
}

AtomicOutput::~AtomicOutput() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) remove_temporary();
}

void AtomicOutput::remove_temporary() {
  if (temp_path_.empty()) return;
  ::unlink(temp_path_.c_str());
  release_temporary(temp_slot_);
  temp_path_.clear();
}

void AtomicOutput::fail(const std::string& what) {
  const std::string reason = std::strerror(errno);
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  remove_temporary();
  cannot_write(path_, fmt::format("{} ({})", what, reason));
}

void AtomicOutput::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("write failed");
}

void AtomicOutput::commit() {
  const bool streaming = temp_path_.empty();
  if (std::fflush(file_) != 0 || (!streaming && ::fsync(::fileno(file_)) != 0)) fail("flush failed");
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    fail("close failed");
  }
  file_ = nullptr;
  if (!streaming) {
    try {
      check_not_an_input(path_, inputs_);  // the inputs read since the output was opened
    } catch (const InputError&) {
      remove_temporary();
      throw;
    }
    if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) fail("rename failed");
    release_temporary(temp_slot_);
    temp_path_.clear();
  }
  committed_ = true;
}

}  // namespace infersim

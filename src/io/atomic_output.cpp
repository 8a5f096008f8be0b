#include "io/atomic_output.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/errors.hpp"

namespace infersim {

namespace {
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}
}  // namespace

AtomicOutput::AtomicOutput(std::string path, const std::vector<std::string>& inputs)
    : path_(std::move(path)) {
  for (const std::string& input : inputs) {
    if (same_file(path_, input))
      throw InputError(fmt::format("refusing to overwrite the input file '{}'", path_));
  }
  const std::filesystem::path target(path_);
  std::string temp_name = ".";  // built in steps: gcc 12 warns (-Wrestrict, a false positive) on "." + string
  temp_name += target.filename().string();
  temp_name += ".tmp-XXXXXX";
  temp_path_ = (target.parent_path() / temp_name).string();
  const int fd = ::mkstemp(temp_path_.data());
  if (fd < 0) throw InputError(fmt::format("cannot write '{}': {}", path_, std::strerror(errno)));
  const mode_t mask = ::umask(0);  // mkstemp makes 0600; give the file the mode a plain open would
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  file_ = ::fdopen(fd, "wb");
  if (file_ == nullptr) {
    ::close(fd);
    ::unlink(temp_path_.c_str());
    throw InputError(fmt::format("cannot write '{}': {}", path_, std::strerror(errno)));
  }
}

AtomicOutput::~AtomicOutput() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void AtomicOutput::fail(const std::string& what) {
  const std::string reason = std::strerror(errno);
  if (file_ != nullptr) std::fclose(file_);
  file_ = nullptr;
  ::unlink(temp_path_.c_str());
  throw InputError(fmt::format("cannot write '{}': {} ({})", path_, what, reason));
}

void AtomicOutput::write(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), file_) != text.size()) fail("write failed");
}

void AtomicOutput::commit() {
  if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) fail("flush failed");
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    fail("close failed");
  }
  file_ = nullptr;
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0) fail("rename failed");
  committed_ = true;
}

}  // namespace infersim

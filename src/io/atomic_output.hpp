#pragma once
// A file that appears only when complete: bytes go to a temporary file beside the target (same
// directory, so rename(2) is atomic), and commit() flushes, fsyncs and renames it into place. An
// output that is never committed (an error, an exception) leaves no file behind, and an existing
// target is left untouched until the new one is whole.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace infersim {

class AtomicOutput {
 public:
  // Throws InputError when `path` is one of `inputs` (never overwrite an input) or the temporary file
  // cannot be created (missing directory, no permission).
  AtomicOutput(std::string path, const std::vector<std::string>& inputs);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();  // removes the temporary file unless committed

  // Throws InputError when the write fails (a full disk), naming the path.
  void write(std::string_view text);
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what);

  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

}  // namespace infersim

#pragma once
// Where an output's bytes go, by what its path names:
//  - a regular file, or nothing yet: a file that appears only when complete. Bytes go to a temporary
//    file beside the target (same directory, so rename(2) is atomic), and commit() flushes, fsyncs and
//    renames it into place. An output that is never committed (an error, an exception, a SIGINT or
//    SIGTERM: io/output/temp_cleanup.hpp) leaves no file behind, and an existing target is left untouched
//    until the new one is whole.
//  - an existing character device, FIFO or socket (/dev/null, a named pipe): written directly, no
//    temporary file and no rename, so the device stays a device and a reader sees the bytes as they
//    come; a write error (/dev/full) is reported like a full disk.
//  - "-", /dev/stdout, /dev/stderr, /dev/fd/N: the process's own descriptor, written directly.
// Never over an input: the target is checked against every file the process reads
// (io/output/output_guard.hpp) when opened and again before the rename.
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace infersim {

class AtomicOutput {
 public:
  // Throws InputError when `path` is empty, a directory or a block device, is a recorded input or one
  // of `inputs` (inputs not read yet), or cannot be opened (missing directory, no permission).
  explicit AtomicOutput(std::string path, const std::vector<std::string>& inputs = {});
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();  // removes the temporary file unless committed

  // Throws InputError when the write fails (a full disk), naming the path.
  void write(std::string_view text);
  // Throws InputError when flushing fails or, for a file, when the target has become an input.
  void commit();

 private:
  [[noreturn]] void fail(const std::string& what);
  void remove_temporary();

  std::string path_;
  std::vector<std::string> inputs_;
  std::string temp_path_;  // empty when streaming
  int temp_slot_ = -1;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

}  // namespace infersim

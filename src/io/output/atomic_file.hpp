#pragma once
// One-call atomic write of a whole text, for -o outputs that are rendered in memory first; a thin
// layer over io/output/atomic_output.hpp (use AtomicOutput directly to stream a large output).
//
// Contract of write_file_atomically(path, text, input_paths), that of AtomicOutput:
//  - `text` goes to a temporary file beside `path` (same directory), is flushed and fsynced, and
//    rename(2) then replaces `path` in one step: readers see the old file or the whole new one. An
//    existing device or pipe (/dev/null, a FIFO) and "-" (standard output) are written directly.
//  - Refused with InputError naming `path`, leaving it untouched: an empty path, a directory, a block
//    device, or the same file as an input of this process (io/output/output_guard.hpp) or one of
//    `input_paths` (a symlink or another spelling of an input included).
//  - Any failure (no such directory, permission denied, a full disk, the file-size limit) throws
//    InputError naming `path` and the reason (the CLI exits 2), removes the temporary file and leaves
//    an existing `path` untouched.
#include <string>
#include <vector>

namespace infersim {

void write_file_atomically(const std::string& path, const std::string& text,
                           const std::vector<std::string>& input_paths = {});

}  // namespace infersim

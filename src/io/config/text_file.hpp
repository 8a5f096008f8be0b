#pragma once
// Reading a whole input file as text, with the same one-line errors for every format (YAML
// configurations, measured and published CSVs).
#include <cstddef>
#include <fstream>
#include <string>
#include <string_view>

namespace infersim {

// Data files (measured and published CSVs): the shipped published file is ~80 KiB, a measured CSV a few KiB.
inline constexpr std::size_t kMaxDataFileBytes = std::size_t{64} << 20;

// What read_text_file accepts besides regular files: configurations only those; a data file may also
// come through a pipe or a character device (`--measured <(infersim-ref-cpu --quick)`), read up to
// the same limit.
enum class Streams { refused, accepted };

// The whole text of `path`. Throws ConfigError naming the file for a missing or unreadable file, a
// directory, a socket or block device, a pipe or character device unless `streams` accepts them, or
// more than max_bytes (`kind` names the limit in the message, e.g. "a configuration file").
[[nodiscard]] std::string read_text_file(const std::string& path, std::size_t max_bytes, const char* kind,
                                         Streams streams = Streams::refused);

// The text after a leading UTF-8 byte order mark, or the whole text: spreadsheets and some editors save
// CSV and JSON files with one, and every reader skips it before the header (The Unicode Standard, 23.8
// "Specials": U+FEFF at the start of a UTF-8 text is a signature, not content).
[[nodiscard]] inline std::string_view without_byte_order_mark(std::string_view text) {
  constexpr std::string_view kMark = "\xEF\xBB\xBF";
  return text.substr(0, kMark.size()) == kMark ? text.substr(kMark.size()) : text;
}

// The checks of read_text_file (recorded as an input; missing, unreadable, a directory, a socket or
// block device, a pipe or character device unless `streams` accepts them, each a ConfigError naming the
// file), then the file opened for reading, for an input read line by line in bounded memory (a trace).
[[nodiscard]] std::ifstream open_text_file(const std::string& path, const char* kind,
                                           Streams streams = Streams::refused);

}  // namespace infersim

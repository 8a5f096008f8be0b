#pragma once
// An error in an input file. what() reads `file:line:col: error: message` (line and column 1-based,
// left out when not known), the form compilers use, so editors can jump to it.
#include <string>
#include <string_view>

#include "core/errors.hpp"

namespace infersim {

struct SourceMark {
  int line = -1;    // 0-based as yaml-cpp reports it; -1: unknown
  int column = -1;  // 0-based; -1: the whole line
};

class ConfigError : public InputError {
 public:
  ConfigError(const std::string& file, SourceMark mark, const std::string& message);
};

// User text quoted inside a one-line message: shown as terminal_text shows it (io/text/escape.hpp: \n,
// \x1b), at most max_bytes kept ("..." marks a cut), so a hostile value cannot spread a message over
// many lines or drive the terminal.
[[nodiscard]] std::string excerpt(std::string_view text, std::size_t max_bytes = 80);

}  // namespace infersim

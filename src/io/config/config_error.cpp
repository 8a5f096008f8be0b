#include "io/config/config_error.hpp"

#include <fmt/format.h>

#include "io/text/escape.hpp"

namespace infersim {

namespace {
std::string located(const std::string& file, SourceMark mark, const std::string& message) {
  // The file name is the user's: a newline or an escape sequence in it is shown, never sent.
  if (mark.line < 0) return fmt::format("{}: error: {}", terminal_text(file), message);
  if (mark.column < 0) return fmt::format("{}:{}: error: {}", terminal_text(file), mark.line + 1, message);
  return fmt::format("{}:{}:{}: error: {}", terminal_text(file), mark.line + 1, mark.column + 1, message);
}
}  // namespace

ConfigError::ConfigError(const std::string& file, SourceMark mark, const std::string& message)
    : InputError(located(file, mark, message)) {}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 1; i <= text.size(); ++i) {
    if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // mid-character
    if (out.size() >= max_bytes) return out + "...";  // cut between characters
    out += terminal_text(text.substr(start, i - start));
    start = i;
  }
  return out;
}

}  // namespace infersim

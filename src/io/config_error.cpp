#include "io/config_error.hpp"

#include <fmt/format.h>

namespace infersim {

namespace {
std::string located(const std::string& file, SourceMark mark, const std::string& message) {
  if (mark.line < 0) return fmt::format("{}: error: {}", file, message);
  return fmt::format("{}:{}:{}: error: {}", file, mark.line + 1, mark.column + 1, message);
}
}  // namespace

ConfigError::ConfigError(const std::string& file, SourceMark mark, const std::string& message)
    : InputError(located(file, mark, message)) {}

std::string excerpt(std::string_view text, std::size_t max_bytes) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (out.size() >= max_bytes && (byte & 0xC0) != 0x80) return out + "...";  // cut between characters
    if (byte < 0x20 || byte == 0x7f)
      fmt::format_to(std::back_inserter(out), "\\x{:02x}", byte);
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace infersim

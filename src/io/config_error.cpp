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

}  // namespace infersim

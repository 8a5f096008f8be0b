#pragma once
// Contract: every error caused by the user's input (a file, a flag, a combination of both) is an
// InputError; the CLI maps it to exit code 2. Anything else that escapes is a bug (exit 1).
#include <stdexcept>
#include <string>

namespace infersim {

class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace infersim

#pragma once
// An error in an input file. what() reads `file:line:col: error: message` (line and column 1-based,
// left out when not known), the form compilers use, so editors can jump to it.
#include <string>

#include "core/errors.hpp"

namespace infersim {

struct SourceMark {
  int line = -1;    // 0-based as yaml-cpp reports it; -1: unknown
  int column = -1;
};

class ConfigError : public InputError {
 public:
  ConfigError(const std::string& file, SourceMark mark, const std::string& message);
};

}  // namespace infersim

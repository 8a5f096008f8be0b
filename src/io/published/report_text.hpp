#pragma once
// Text shared by the published-validation writers (io/published/published_report.hpp,
// io/published/serving_report.hpp): a source's short name, a weight format, a signed percentage, a
// mapping's notes.
#include <fmt/format.h>

#include <string>

#include "validation/published.hpp"

namespace infersim {

// "pytorch-labs/gpt-fast README.md @ 0f92..." -> "pytorch-labs/gpt-fast".
inline std::string short_source(const std::string& source, std::size_t width = 28) {
  std::string s = source.substr(0, source.find(' '));
  return s.size() > width ? s.substr(0, width - 3) + "..." : s;
}

inline std::string weights_name(const StorageFormat& w) {
  if (w.group_size > 0) return fmt::format("{}/g{}", dtype_name(w.dtype), w.group_size);
  return std::string(dtype_name(w.dtype));
}

inline std::string percent(double fraction) { return fmt::format("{:+.1f}%", fraction * 100.0); }

inline std::string joined_notes(const MappedConfig& c) {
  std::string out;
  for (const std::string& n : c.notes) out += (out.empty() ? "" : "; ") + n;
  return out;
}

}  // namespace infersim

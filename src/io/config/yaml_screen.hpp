#pragma once
// Screens configuration text before yaml-cpp 0.7 sees it. yaml-cpp recurses once per nesting level
// (deep nesting overflows the stack) and expands aliases (a few lines of `&a [*b, *b, ...]` build
// billions of nodes); neither can be patched in the Debian package, so the text is checked here.
// Our formats never need anchors, aliases or deep nesting, so the check can be conservative.
#include <cstddef>
#include <string>
#include <string_view>

namespace infersim {

inline constexpr std::size_t kMaxConfigBytes = 1 << 20;  // 1 MiB: the largest shipped file is ~4 KiB
inline constexpr int kMaxYamlDepth = 64;                 // nesting levels; shipped files use 3

// Throws ConfigError (`name:line:col: error: ...`) for text over kMaxConfigBytes, a NUL byte or other
// control character, invalid UTF-8, an anchor or alias, or nesting deeper than kMaxYamlDepth
// (block indentation levels plus open flow brackets, counted conservatively).
void screen_yaml_text(std::string_view text, const std::string& name);

}  // namespace infersim

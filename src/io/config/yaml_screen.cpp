#include "io/config/yaml_screen.hpp"

#include <fmt/format.h>

#include <cstring>
#include <vector>

#include "io/config/config_error.hpp"

namespace infersim {

namespace {

// Length of the UTF-8 sequence starting at text[i], 0 when it is not valid UTF-8 (RFC 3629 table 3-7:
// no overlong forms, no surrogates, nothing above U+10FFFF).
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;  // range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF)
    n = 2;
  else if (b0 == 0xE0)
    n = 3, lo = 0xA0;
  else if ((b0 >= 0xE1 && b0 <= 0xEC) || b0 == 0xEE || b0 == 0xEF)
    n = 3;
  else if (b0 == 0xED)
    n = 3, hi = 0x9F;
  else if (b0 == 0xF0)
    n = 4, lo = 0x90;
  else if (b0 >= 0xF1 && b0 <= 0xF3)
    n = 4;
  else if (b0 == 0xF4)
    n = 4, hi = 0x8F;
  else
    return 0;
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n;
}

// Text, not binary: valid UTF-8 with no control characters but tab, line feed and carriage return.
void check_characters(std::string_view text, const std::string& name) {
  int line = 0, column = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const SourceMark here{line, column};
    if (byte == 0) throw ConfigError(name, here, "NUL byte: a configuration file must be text (UTF-8 YAML)");
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7f) {
      throw ConfigError(name, here,
                        fmt::format("control character \\x{:02x} is not allowed in YAML text", byte));
    }
    const std::size_t n = utf8_length(text, i);
    if (n == 0)
      throw ConfigError(name, here,
                        fmt::format("invalid UTF-8 (byte \\x{:02x}): the file must be UTF-8 text", byte));
    if (byte == '\n')
      ++line, column = 0;
    else
      ++column;
    i += n;
  }
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_one_of(char c, const char* set) { return c != 0 && std::strchr(set, c) != nullptr; }

// Walks the text line by line, tracking quoted scalars, comments, block scalars, open flow brackets
// and a stack of block indentation columns. It errs on the side of counting too deep.
class StructureScan {
 public:
  StructureScan(std::string_view text, const std::string& name) : text_(text), name_(name) {}

  void run() {
    std::size_t begin = 0;
    for (int line = 0; begin <= text_.size(); ++line) {
      std::size_t end = text_.find('\n', begin);
      if (end == std::string_view::npos) end = text_.size();
      scan_line(text_.substr(begin, end - begin), line);
      begin = end + 1;
    }
  }

 private:
  void scan_line(std::string_view s, int line) {
    std::size_t indent = 0;
    while (indent < s.size() && s[indent] == ' ') ++indent;
    const bool empty = indent == s.size() || s.find_first_not_of(" \t\r") == std::string_view::npos;
    if (block_scalar_parent_ >= 0) {
      if (empty || static_cast<int>(indent) > block_scalar_parent_) return;  // literal content
      block_scalar_parent_ = -1;
    }
    std::size_t pos = 0;
    if (quote_ == 0 && flow_ == 0) {
      if (empty || s[indent] == '#') return;
      while (!block_.empty() && block_.back() > static_cast<int>(indent)) block_.pop_back();
      push_block(indent, line);
      pos = indent;
      // Compact nesting on one line: "- - x", "- key: v", "? key".
      while (pos < s.size() && (s[pos] == '-' || s[pos] == '?') &&
             (pos + 1 == s.size() || is_blank(s[pos + 1]))) {
        ++pos;
        while (pos < s.size() && is_blank(s[pos])) ++pos;
        if (pos == s.size() || s[pos] == '#') return;
        push_block(pos, line);
      }
      line_indent_ = static_cast<int>(indent);
    }
    scan_characters(s, pos, line);
  }

  void scan_characters(std::string_view s, std::size_t pos, int line) {
    char last = 0;  // last character outside quotes and blanks on this line; 0: none yet
    for (std::size_t i = pos; i < s.size(); ++i) {
      const char c = s[i];
      if (quote_ == '\'') {
        if (c == '\'' && i + 1 < s.size() && s[i + 1] == '\'')
          ++i;
        else if (c == '\'')
          quote_ = 0, last = c, closed_ = true;
        continue;
      }
      if (quote_ == '"') {
        if (c == '\\')
          ++i;
        else if (c == '"')
          quote_ = 0, last = c, closed_ = true;
        continue;
      }
      if (is_blank(c)) continue;
      const bool after_blank = i == 0 || is_blank(s[i - 1]);
      const bool token_start = after_blank || is_one_of(s[i - 1], "[{,:");
      // Where a node may begin: the line's first content, after "key: ", or inside flow brackets.
      const bool node_start =
          last == 0 || (last == ':' && (after_blank || flow_ > 0)) || (flow_ > 0 && is_one_of(last, "[{,"));
      if (c == '#' && after_blank) return;  // a comment
      if (token_start && (c == '&' || c == '*') && i + 1 < s.size() && !is_one_of(s[i + 1], " \t\r,[]{}")) {
        throw ConfigError(
            name_, {line, static_cast<int>(i)},
            fmt::format("YAML {} ('{}') are not accepted: the configuration formats never need them",
                        c == '&' ? "anchors" : "aliases", excerpt(s.substr(i, 32), 24)));
      }
      // yaml-cpp 0.7 mishandles a ',' that cannot be part of a plain scalar outside brackets (LoadAll
      // never returns); it is not valid YAML anyway.
      if (c == ',' && flow_ == 0 && (node_start || closed_)) {
        throw ConfigError(name_, {line, static_cast<int>(i)},
                          "',' is only allowed between items inside [ ] or { }");
      }
      if (node_start && (c == '\'' || c == '"'))
        quote_ = c;
      else if ((c == '[' || c == '{') && (flow_ > 0 || node_start))
        open_flow(line, i);
      else if ((c == ']' || c == '}') && flow_ > 0) {
        closed_ = --flow_ == 0;
        last = c;
        continue;
      } else if (flow_ == 0 && node_start && (c == '|' || c == '>')) {
        block_scalar_parent_ = line_indent_;
        return;
      }
      last = c;
      closed_ = false;
    }
  }

  void push_block(std::size_t column, int line) {
    if (!block_.empty() && block_.back() >= static_cast<int>(column)) return;
    block_.push_back(static_cast<int>(column));
    check_depth(line, column);
  }

  void open_flow(int line, std::size_t column) {
    ++flow_;
    check_depth(line, column);
  }

  void check_depth(int line, std::size_t column) const {
    if (static_cast<int>(block_.size()) + flow_ > kMaxYamlDepth) {
      throw ConfigError(name_, {line, static_cast<int>(column)},
                        fmt::format("nesting deeper than {} levels is not accepted", kMaxYamlDepth));
    }
  }

  std::string_view text_;
  const std::string& name_;
  std::vector<int> block_;        // indentation columns of the open block nodes
  int flow_ = 0;                  // open [ and { brackets
  char quote_ = 0;                // ' or " inside a quoted scalar (which may span lines)
  int block_scalar_parent_ = -1;  // >= 0: skipping the content of a | or > scalar
  int line_indent_ = 0;           // indentation of the line where the current block node started
  bool closed_ = false;           // the last token closed a quoted scalar or a top-level [ ] or { }
};

}  // namespace

void screen_yaml_text(std::string_view text, const std::string& name) {
  if (text.size() > kMaxConfigBytes) {
    throw ConfigError(name, {},
                      fmt::format("the file is {} bytes, over the {} MiB limit for a configuration file",
                                  text.size(), kMaxConfigBytes >> 20));
  }
  check_characters(text, name);
  StructureScan(text, name).run();
}

}  // namespace infersim

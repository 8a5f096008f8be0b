#include "io/text/escape.hpp"

#include <fmt/format.h>

#include <cstdint>

namespace infersim {

namespace {

// One UTF-8 character at the start of `text`: its code point and length in bytes, or length 0 when
// the first byte does not start a well-formed character (a stray continuation byte, an overlong form,
// a surrogate, a code point above U+10FFFF, a sequence cut short).
struct Decoded {
  std::uint32_t code_point = 0;
  std::size_t length = 0;
};

Decoded decode(std::string_view text) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return {b0, 1};
  std::size_t length = 0;
  std::uint32_t cp = 0;
  std::uint32_t min = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2, cp = b0 & 0x1Fu, min = 0x80;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3, cp = b0 & 0x0Fu, min = 0x800;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4, cp = b0 & 0x07u, min = 0x10000;
  } else {
    return {};
  }
  if (text.size() < length) return {};
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (byte(i) & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, length};
}

// Calls each(code_point, bytes) for every well-formed character and bad(byte) for every byte that
// starts none.
template <class Each, class Bad>
void for_each_character(std::string_view text, Each&& each, Bad&& bad) {
  std::size_t i = 0;
  while (i < text.size()) {
    const Decoded d = decode(text.substr(i));
    if (d.length == 0) {
      bad(static_cast<unsigned char>(text[i]));
      ++i;
    } else {
      each(d.code_point, text.substr(i, d.length));
      i += d.length;
    }
  }
}

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

bool is_c0_or_del(std::uint32_t cp) { return cp < 0x20 || cp == 0x7F; }

void append_terminal(std::string& out, std::string_view text) {
  for_each_character(
      text,
      [&out](std::uint32_t cp, std::string_view bytes) {
        if (cp == '\n')
          out += "\\n";
        else if (cp == '\r')
          out += "\\r";
        else if (cp == '\t')
          out += "\\t";
        else if (is_c0_or_del(cp))
          fmt::format_to(std::back_inserter(out), "\\x{:02x}", cp);
        else if ((cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
                 (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", cp);
        else
          out += bytes;
      },
      [&out](unsigned char b) { fmt::format_to(std::back_inserter(out), "\\x{:02x}", b); });
}

void append_html(std::string& out, std::string_view text, bool attribute) {
  for_each_character(
      text,
      [&](std::uint32_t cp, std::string_view bytes) {
        if (cp == '&')
          out += "&amp;";
        else if (cp == '<')
          out += "&lt;";
        else if (cp == '>')
          out += "&gt;";
        else if (attribute && cp == '"')
          out += "&quot;";
        else if (attribute && cp == '\'')
          out += "&#39;";
        else if (attribute && (cp == '\t' || cp == '\n' || cp == '\r'))
          fmt::format_to(std::back_inserter(out), "&#{};", cp);
        else if ((is_c0_or_del(cp) && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x80 && cp <= 0x9F))
          out += kReplacement;
        else
          out += bytes;
      },
      [&out](unsigned char) { out += kReplacement; });
}

}  // namespace

std::string gnuplot_string(std::string_view text) {
  std::string shown;
  append_terminal(shown, text);
  std::string out = "'";
  for (const char c : shown) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string html_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_html(out, text, false);
  return out;
}

std::string html_attribute(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_html(out, text, true);
  return out;
}

std::string yaml_scalar(std::string_view text) {
  std::string out = "\"";
  for_each_character(
      text,
      [&out](std::uint32_t cp, std::string_view bytes) {
        if (cp == '"' || cp == '\\') {
          out += '\\';
          out += static_cast<char>(cp);
        } else if (is_c0_or_del(cp) ||
                   (cp >= 0x80 && cp <= 0x9F)) {  // C1, U+0085 too: yaml-cpp's \N is a raw byte
          fmt::format_to(std::back_inserter(out), "\\x{:02x}", cp);
        } else if (cp == 0x2028) {
          out += "\\L";
        } else if (cp == 0x2029) {
          out += "\\P";
        } else if (cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF) {
          fmt::format_to(std::back_inserter(out), "\\u{:04X}", cp);
        } else {
          out += bytes;
        }
      },
      [&out](unsigned char) { out += "\\uFFFD"; });
  return out + "\"";
}

std::string csv_field(std::string_view text) {
  std::string out;
  append_csv_field(out, text);
  return out;
}

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for_each_character(
      text,
      [&out](std::uint32_t cp, std::string_view bytes) {
        if (cp == '"' || cp == '\\') {
          out += '\\';
          out += static_cast<char>(cp);
        } else if (is_c0_or_del(cp) || cp == 0x2028 || cp == 0x2029) {
          fmt::format_to(std::back_inserter(out), "\\u{:04x}", cp);
        } else {
          out += bytes;
        }
      },
      [&out](unsigned char) { out += "\\ufffd"; });
  return out + "\"";
}

std::string terminal_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_terminal(out, text);
  return out;
}

}  // namespace infersim

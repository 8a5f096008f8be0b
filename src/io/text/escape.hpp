#pragma once
// Text written into another language, escaped for that language: one function per language Infersim
// writes. The rule: a name, path, description or any other text that came from a user or a file goes
// into a gnuplot script, an HTML page, a YAML file, a CSV or JSON document or a terminal message only
// through the function for that language here. All are pure; none throws. Text is taken as UTF-8:
// where a language cannot hold a byte that is not (HTML, YAML, JSON), it is replaced by U+FFFD, one
// per bad byte, so the result is deterministic; text that is valid UTF-8 and free of control
// characters comes out as it went in, quoted as its language needs.
#include <string>
#include <string_view>

namespace infersim {

// A gnuplot single-quoted string literal, quotes included: the one form gnuplot takes literally (no
// backslash escapes, no backquote command substitution, no macro expansion inside it). A quote is
// written twice (''). Control characters and bytes that are not UTF-8, which would end the command
// line or garble the chart, are shown as terminal_text shows them (the characters \n, \x1b).
[[nodiscard]] std::string gnuplot_string(std::string_view text);

// HTML text content (between tags): & < > as &amp; &lt; &gt;. Control characters other than tab,
// line feed and carriage return (which HTML does not allow), and bytes that are not UTF-8, become
// U+FFFD.
[[nodiscard]] std::string html_text(std::string_view text);

// An HTML attribute value, to be written between double quotes: as html_text, and " ' as &quot;
// &#39;, tab, line feed and carriage return as character references.
[[nodiscard]] std::string html_attribute(std::string_view text);

// A YAML double-quoted scalar, quotes included, that loads back as the same text: " and \ escaped
// with a backslash, control characters (C0, DEL and C1, U+0085 included) as \xNN, the other
// characters YAML 1.1 reads as line breaks (U+2028, U+2029) as \L \P, and U+FEFF, U+FFFE, U+FFFF,
// which YAML does not allow in a stream, as \uNNNN. Bytes that are not UTF-8 (YAML text is Unicode) become
// \uFFFD. The result is always one line, so no text can start a key of its own.
[[nodiscard]] std::string yaml_scalar(std::string_view text);

// A CSV field (RFC 4180): as it is unless it holds a comma, a quote, a carriage return or a line
// feed; then between double quotes with each quote doubled. Bytes pass through unchanged.
[[nodiscard]] std::string csv_field(std::string_view text);

// csv_field appended to `out` (a std::string or a fmt::memory_buffer) without allocating.
template <class Out>
void append_csv_field(Out& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text.data(), text.data() + text.size());
    return;
  }
  out.push_back('"');
  for (const char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// A JSON string literal (RFC 8259), quotes included, that parses back as the same text where that is
// valid UTF-8: " and \ escaped with a backslash, control characters (and DEL) as \u00xx, U+2028 and
// U+2029 as \u2028 \u2029 (JavaScript reads them as line ends). Bytes that are not UTF-8 become
// \ufffd.
[[nodiscard]] std::string json_string(std::string_view text);

// Untrusted text echoed in a one-line terminal message, visibly: \n \r \t for those, \xNN for the
// other C0 controls, DEL and bytes that are not UTF-8, \uNNNN for C1 controls, U+2028, U+2029 and the
// bidirectional overrides and isolates (U+202A..U+202E, U+2066..U+2069) that could reorder what the
// reader sees. Everything else, backslashes included, is left as it is.
[[nodiscard]] std::string terminal_text(std::string_view text);

}  // namespace infersim

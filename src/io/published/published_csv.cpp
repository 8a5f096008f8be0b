#include "io/published/published_csv.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/config/config_error.hpp"
#include "io/config/text_file.hpp"

namespace infersim {

namespace {

struct Record {
  int line = 0;
  std::vector<std::string> fields;
};

// Splits the text into records; a quoted field may hold commas, doubled quotes and line breaks (LF, CRLF
// or a lone CR, each counted as one line), and ends at its closing quote: only a comma or a line break may
// follow it (RFC 4180, section 2).
std::vector<Record> records(std::string_view text, const std::string& path) {
  std::vector<Record> out;
  Record rec{1, {std::string()}};
  int line = 1;
  bool quoted = false;
  bool closed = false;  // the field's closing quote has been read
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool crlf = c == '\r' && i + 1 < text.size() && text[i + 1] == '\n';
    std::string& field = rec.fields.back();
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
        closed = true;
      } else {
        if (c == '\n' || (c == '\r' && !crlf)) ++line;
        field += c;
      }
    } else if (c == ',') {
      rec.fields.emplace_back();
      closed = false;
    } else if (c == '\n' || c == '\r') {
      if (crlf) ++i;
      out.push_back(std::move(rec));
      rec = Record{++line, {std::string()}};
      closed = false;
    } else if (closed) {
      throw ConfigError(path, {line - 1, -1},
                        "text after a field's closing quote (a quote inside a quoted field is written \"\")");
    } else if (c == '"' && field.empty()) {
      quoted = true;
    } else if (c == '"') {
      throw ConfigError(path, {line - 1, 0}, "a quote inside an unquoted field (quote the whole field)");
    } else {
      field += c;
    }
  }
  if (quoted)
    throw ConfigError(path, {rec.line - 1, 0}, "a quoted field is not closed before the end of the file");
  if (rec.fields.size() > 1 || !rec.fields[0].empty()) out.push_back(std::move(rec));
  return out;
}

}  // namespace

std::vector<PublishedRow> parse_published_csv(const std::string& text, const std::string& path) {
  const std::vector<Record> recs = records(without_byte_order_mark(text), path);
  if (recs.empty())
    throw ConfigError(path, {}, "empty file: expected the header " + std::string(kPublishedCsvHeader));
  // Every field joined with its comma, an empty one too (",source,..." is not the header).
  const std::string header = fmt::format("{}", fmt::join(recs[0].fields, ","));
  if (header != kPublishedCsvHeader)
    throw ConfigError(
        path, {0, 0},
        "the header must be " + std::string(kPublishedCsvHeader) + ", got '" + excerpt(header) + "'");
  std::vector<PublishedRow> rows;
  for (std::size_t i = 1; i < recs.size(); ++i) {
    const Record& r = recs[i];
    if (r.fields.size() == 1 && r.fields[0].empty()) continue;  // a blank line
    if (r.fields.size() != kPublishedCsvColumns)
      throw ConfigError(path, {r.line - 1, 0},
                        "expected " + std::to_string(kPublishedCsvColumns) + " fields, got " +
                            std::to_string(r.fields.size()));
    const auto& f = r.fields;
    rows.push_back({r.line, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11], f[12],
                    f[13], f[14], f[15]});
  }
  return rows;
}

std::array<std::string_view, kPublishedCsvColumns> published_row_fields(const PublishedRow& r) {
  return {r.source,       r.hardware,  r.num_devices, r.tp,
          r.pp,           r.framework, r.model,       r.precision_weights,
          r.precision_kv, r.batch,     r.input_len,   r.output_len,
          r.metric,       r.value,     r.unit,        r.notes};
}

std::vector<PublishedRow> read_published_csv(const std::string& path) {
  return parse_published_csv(read_text_file(path, kMaxDataFileBytes, "the published measurements"), path);
}

}  // namespace infersim

#include "io/published/measured_csv.hpp"

#include <fmt/format.h>

#include <array>
#include <sstream>
#include <stdexcept>

#include "io/config/config_error.hpp"
#include "io/config/strict_number.hpp"
#include "io/config/text_file.hpp"
#include "io/output/atomic_file.hpp"

namespace infersim {

namespace {

const std::string& checked_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") != std::string::npos)
    throw std::invalid_argument("measured CSV: field '" + text + "' holds a comma, quote or line break");
  return text;
}

std::vector<std::string> split(const std::string& line, char separator) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (std::size_t at = line.find(separator); at != std::string::npos; at = line.find(separator, start)) {
    fields.push_back(line.substr(start, at - start));
    start = at + 1;
  }
  fields.push_back(line.substr(start));
  return fields;
}

constexpr std::size_t kColumns = 10;
constexpr std::array<std::string_view, kColumns> kColumnNames = {
    "case", "family", "device", "dtype", "shape", "flops", "bytes", "measured_s", "repeats", "spread"};

// A parsed data line; `fail` reports a column's error at this line.
struct LineReader {
  const std::string& file;
  int line;  // 0-based, as SourceMark wants
  const std::vector<std::string>& fields;

  [[noreturn]] void fail(std::size_t column, const std::string& must) const {
    int offset = 0;  // the field's 0-based character column
    for (std::size_t i = 0; i < column; ++i) offset += static_cast<int>(fields[i].size()) + 1;
    throw ConfigError(file, {line, offset},
                      fmt::format("'{}' must be {}, got '{}'", kColumnNames[column], must, fields[column]));
  }
  double number(std::size_t column, bool positive) const {
    const auto value = parse_real(fields[column]);
    if (!value || *value < 0.0 || (positive && *value == 0.0))
      fail(column, positive ? "a positive number" : "a non-negative number");
    return *value;
  }
  // A text field as the writer could print it again: no quote and no carriage return inside (the
  // format never quotes; commas and line breaks cannot reach a field).
  const std::string& text(std::size_t column) const {
    if (fields[column].find_first_of("\"\r") != std::string::npos)
      fail(column, "text without a quote or a carriage return (measured CSV fields are never quoted)");
    return fields[column];
  }
  MeasuredRow row() const {
    MeasuredRow r;
    r.case_name = text(0);
    const auto family = parse_family(fields[1]);
    if (!family) fail(1, "a kernel family (gemm, gemv, attention_decode, ...)");
    r.family = *family;
    r.device = text(2);
    r.dtype = text(3);
    r.shape = text(4);
    r.flops = number(5, false);
    r.bytes = number(6, false);
    r.measured_s = number(7, true);
    const auto repeats = parse_integer(fields[8]);
    if (!repeats || *repeats < 1 || *repeats > 1'000'000'000) fail(8, "a positive integer");
    r.repeats = static_cast<int>(*repeats);
    r.spread = number(9, false);
    return r;
  }
};

std::string without_cr(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

std::string measured_csv_fields(const MeasuredRow& r) {
  return fmt::format("{},{},{},{},{},{},{},{},{},{}", checked_field(r.case_name), family_name(r.family),
                     checked_field(r.device), checked_field(r.dtype), checked_field(r.shape), r.flops,
                     r.bytes, r.measured_s, r.repeats, r.spread);
}

std::string measured_csv_text(const std::vector<MeasuredRow>& rows) {
  std::string text = std::string(kMeasuredCsvHeader) + "\n";
  for (const MeasuredRow& r : rows) text += measured_csv_fields(r) + "\n";
  return text;
}

void write_measured_csv(std::ostream& out, const std::vector<MeasuredRow>& rows) {
  out << measured_csv_text(rows);
}

void write_measured_csv_file(const std::string& path, const std::vector<MeasuredRow>& rows) {
  write_file_atomically(path, measured_csv_text(rows));
}

std::vector<MeasuredRow> parse_measured_csv(const std::string& text, const std::string& path) {
  std::istringstream in{std::string(without_byte_order_mark(text))};
  std::string line;
  if (!std::getline(in, line) || without_cr(line).rfind(kMeasuredCsvHeader, 0) != 0)
    throw ConfigError(path, {0, -1}, fmt::format("the header must start with '{}'", kMeasuredCsvHeader));
  std::vector<MeasuredRow> rows;
  for (int number = 1; std::getline(in, line); ++number) {
    line = without_cr(line);
    if (line.empty()) continue;
    const std::vector<std::string> fields = split(line, ',');
    if (fields.size() < kColumns)
      throw ConfigError(path, {number, 0},
                        fmt::format("a row must have {} columns, got {}", kColumns, fields.size()));
    rows.push_back(LineReader{path, number, fields}.row());
  }
  if (rows.empty()) throw ConfigError(path, {}, "the file holds no measured rows");
  return rows;
}

std::vector<MeasuredRow> read_measured_csv(const std::string& path) {
  return parse_measured_csv(read_text_file(path, kMaxDataFileBytes, "a measured CSV", Streams::accepted),
                            path);
}

}  // namespace infersim

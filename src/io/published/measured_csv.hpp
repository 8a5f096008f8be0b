#pragma once
// The measured CSV that every reference runner writes, one row per case:
// case,family,device,dtype,shape,flops,bytes,measured_s,repeats,spread
// Fields are never quoted: a text field holding a comma, a quote or a line break is a bug and throws
// std::invalid_argument. Numbers are printed shortest round-trip (fmt "{}").
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "validation/measured_case.hpp"

namespace infersim {

inline constexpr std::string_view kMeasuredCsvHeader =
    "case,family,device,dtype,shape,flops,bytes,measured_s,repeats,spread";

// One data line, no line break; the prefix of a validation CSV line too.
[[nodiscard]] std::string measured_csv_fields(const MeasuredRow& row);

[[nodiscard]] std::string measured_csv_text(const std::vector<MeasuredRow>& rows);  // header + rows

void write_measured_csv(std::ostream& out, const std::vector<MeasuredRow>& rows);

// Writes the whole CSV atomically (io/output/atomic_output.hpp). Throws InputError when it cannot.
void write_measured_csv_file(const std::string& path, const std::vector<MeasuredRow>& rows);

// Reads a measured CSV from any runner: the header must start with kMeasuredCsvHeader (a runner may append
// columns, which are ignored; a UTF-8 byte order mark before it, as a spreadsheet saves, is skipped), every
// number finite and non-negative, measured_s positive, no text field holding a quote or a carriage return
// (so that every row read can be written again).
// Throws ConfigError "file:line: error: ..." naming the column.
[[nodiscard]] std::vector<MeasuredRow> read_measured_csv(const std::string& path);
// The same from text in memory; `path` names it in messages.
[[nodiscard]] std::vector<MeasuredRow> parse_measured_csv(const std::string& text, const std::string& path);

}  // namespace infersim

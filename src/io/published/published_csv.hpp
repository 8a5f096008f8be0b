#pragma once
// Reads validation/published/published_measurements.csv (RFC 4180: fields quoted when they hold a
// comma, a quote or a line break; "" is a quote inside a quoted field). The header must be exactly
// kPublishedCsvHeader, after a UTF-8 byte order mark if there is one (skipped). Throws ConfigError
// "file:line: error: ..." for a malformed file.
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "validation/published.hpp"

namespace infersim {

inline constexpr std::string_view kPublishedCsvHeader =
    "source,hardware,num_devices,tp,pp,framework,model,precision_weights,precision_kv,batch_or_concurrency,"
    "input_len,output_len,metric,value,unit,notes";
inline constexpr std::size_t kPublishedCsvColumns = 16;

// A row's fields in the header's column order (views into the row): what a writer of the format writes.
[[nodiscard]] std::array<std::string_view, kPublishedCsvColumns> published_row_fields(const PublishedRow& r);

[[nodiscard]] std::vector<PublishedRow> read_published_csv(const std::string& path);
// The same from text in memory; `path` names it in messages.
[[nodiscard]] std::vector<PublishedRow> parse_published_csv(const std::string& text, const std::string& path);

}  // namespace infersim

// libFuzzer target: any bytes given to the published measurements reader (validation/published/
// published_measurements.csv, which `--config-dir` lets a user replace) either read as rows or raise
// InputError (exit 2 in the CLI); and every row it returns, mapped through the shipped mapping, either maps,
// is left unmapped with a reason, or raises InputError. Any other exception, a crash, a sanitizer report
// or a hang is a bug. The rows must also survive a round trip: written as `validate -o` writes them
// (csv_field, quoting only where needed), they read back as the same fields.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "core/errors.hpp"
#include "io/published/published_csv.hpp"
#include "io/published/published_mapping.hpp"
#include "io/published/row_mapping.hpp"
#include "io/text/escape.hpp"

namespace {

// The shipped mapping, read once (INFERSIM_SOURCE_DIR comes from cmake/fuzz.cmake).
const infersim::PublishedMapping& shipped_mapping() {
  static const infersim::PublishedMapping mapping = infersim::load_published_mapping(
      std::string(INFERSIM_SOURCE_DIR) + "/validation/published/mapping.yaml");
  return mapping;
}

std::string csv_text(const std::vector<infersim::PublishedRow>& rows) {
  std::string text = std::string(infersim::kPublishedCsvHeader) + "\n";
  for (const infersim::PublishedRow& r : rows) {
    std::string line;
    bool first = true;  // an empty first field still takes its comma after it
    for (const std::string_view f : infersim::published_row_fields(r)) {
      line += (first ? "" : ",") + infersim::csv_field(f);
      first = false;
    }
    text += line + "\n";
  }
  return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<infersim::PublishedRow> rows;
  try {
    rows = infersim::parse_published_csv(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  } catch (const infersim::InputError&) {
    return 0;
  }
  int last_line = 1;  // the header's
  for (const infersim::PublishedRow& r : rows) {
    if (r.line <= last_line) std::abort();
    last_line = r.line;
    try {
      (void)infersim::map_row(r, shipped_mapping());
    } catch (const infersim::InputError&) {
    }
  }
  const std::vector<infersim::PublishedRow> again =
      infersim::parse_published_csv(csv_text(rows), "again.csv");
  if (again.size() != rows.size()) std::abort();
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (infersim::published_row_fields(again[i]) != infersim::published_row_fields(rows[i])) std::abort();
  return 0;
}

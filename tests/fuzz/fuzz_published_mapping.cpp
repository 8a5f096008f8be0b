// libFuzzer target: any bytes given to the published mapping loader (validation/published/mapping.yaml,
// which `--config-dir` lets a user replace) either load or raise InputError (exit 2 in the CLI); and a
// mapping that loads maps the rows of the small published fixture (tests/cli/published_small), each to a
// configuration, to a reason, or to an InputError. Any other exception, a crash, a sanitizer report or a
// hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "io/published/published_csv.hpp"
#include "io/published/published_mapping.hpp"
#include "io/published/row_mapping.hpp"

namespace {

// The fixture's rows, read once (INFERSIM_SOURCE_DIR comes from cmake/fuzz.cmake).
const std::vector<infersim::PublishedRow>& fixture_rows() {
  static const std::vector<infersim::PublishedRow> rows = infersim::read_published_csv(
      std::string(INFERSIM_SOURCE_DIR) +
      "/tests/cli/published_small/validation/published/published_measurements.csv");
  return rows;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  infersim::PublishedMapping mapping;
  try {
    mapping = infersim::load_published_mapping_text(std::string(reinterpret_cast<const char*>(data), size),
                                                    "fuzz.yaml");
  } catch (const infersim::InputError&) {
    return 0;
  }
  for (const infersim::PublishedRow& row : fixture_rows()) {
    try {
      (void)infersim::map_row(row, mapping);
    } catch (const infersim::InputError&) {
    }
  }
  return 0;
}

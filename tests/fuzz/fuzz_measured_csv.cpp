// libFuzzer target: any bytes given to the measured CSV reader (`validate --measured FILE`, the output of
// any runner) either read as rows or raise InputError (exit 2 in the CLI). Any other exception, a crash,
// a sanitizer report or a hang is a bug. Every row it returns must keep the reader's promises and write
// back (validate -o prints each row again) to a line that reads as the same row.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/errors.hpp"
#include "io/published/measured_csv.hpp"

namespace {

bool finite_non_negative(double x) { return std::isfinite(x) && x >= 0.0; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<infersim::MeasuredRow> rows;
  try {
    rows = infersim::parse_measured_csv(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
  } catch (const infersim::InputError&) {
    return 0;
  }
  for (const infersim::MeasuredRow& r : rows) {
    const bool ok = finite_non_negative(r.flops) && finite_non_negative(r.bytes) &&
                    finite_non_negative(r.spread) && std::isfinite(r.measured_s) && r.measured_s > 0.0 &&
                    r.repeats >= 1;
    if (!ok) std::abort();
  }
  // The writer refuses no row the reader returned (an exception escapes and libFuzzer reports it), and
  // the text it writes reads back as the same rows: numbers print shortest round-trip.
  const std::vector<infersim::MeasuredRow> again =
      infersim::parse_measured_csv(infersim::measured_csv_text(rows), "fuzz-again.csv");
  if (again.size() != rows.size()) std::abort();
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (rows[i] != again[i]) std::abort();
  return 0;
}

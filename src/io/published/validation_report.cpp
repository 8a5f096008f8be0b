#include "io/published/validation_report.hpp"

#include <fmt/format.h>

#include "io/published/measured_csv.hpp"

namespace infersim {

namespace {

std::string roof(const KernelPrediction& p) {
  if (p.compute_bound()) return "compute";
  return p.level == MemoryLevel::cache ? "cache" : "memory";
}

}  // namespace

std::string validation_table(const ValidationResult& result, double threshold) {
  std::string out = fmt::format("{:<26} {:<18} {:>12} {:>12} {:>9}  {}\n", "case", "family", "measured_s",
                                "predicted_s", "rel_error", "bound");
  for (const ValidatedCase& c : result.cases)
    out += fmt::format("{:<26} {:<18} {:>12.6f} {:>12.6f} {:>+8.1f}%  {}\n", c.measured.case_name,
                       family_name(c.measured.family), c.measured.measured_s, c.predicted.time_s,
                       100.0 * c.rel_error, roof(c.predicted));
  out += "\nMAPE per family:\n";
  for (const FamilyError& f : result.families)
    out += fmt::format("  {:<18} {:>6.1f}%  ({} cases)\n", family_name(f.family), 100.0 * f.mape, f.cases);
  out += fmt::format("MAPE overall: {:.1f}% over {} cases (threshold {:.1f}%): {}\n", 100.0 * result.mape,
                     result.cases.size(), 100.0 * threshold, result.mape > threshold ? "FAIL" : "ok");
  return out;
}

std::string validation_csv(const ValidationResult& result) {
  std::string out = std::string(kMeasuredCsvHeader) + std::string(kValidationCsvExtraColumns) + "\n";
  for (const ValidatedCase& c : result.cases)
    out += fmt::format("{},{},{}\n", measured_csv_fields(c.measured), c.predicted.time_s, c.rel_error);
  return out;
}

}  // namespace infersim

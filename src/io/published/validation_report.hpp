#pragma once
// `infersim validate` output: the table a person reads and the CSV a machine reads. The CSV has the
// measured-CSV columns, then predicted_s and rel_error (= predicted / measured - 1, signed).
#include <string>
#include <string_view>

#include "validation/measured_validation.hpp"

namespace infersim {

inline constexpr std::string_view kValidationCsvExtraColumns = ",predicted_s,rel_error";

[[nodiscard]] std::string validation_table(const ValidationResult& result, double threshold);
[[nodiscard]] std::string validation_csv(const ValidationResult& result);

}  // namespace infersim

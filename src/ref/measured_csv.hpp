#pragma once
// The measured CSV that every reference runner writes (issue 5), one row per case:
// case,family,device,dtype,shape,flops,bytes,measured_s,repeats,spread
// Fields are never quoted: a text field holding a comma, a quote or a line break is a bug and throws
// std::invalid_argument. Numbers are printed shortest round-trip (fmt "{}").
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace infersim::ref {

enum class Family { gemm, gemv, attention_decode, attention_prefill, norm, mlp, stream };

[[nodiscard]] std::string_view family_name(Family family);

struct MeasuredRow {
  std::string case_name;
  Family family = Family::gemm;
  std::string device;  // e.g. "cpu-haswell-2t"
  std::string dtype;   // e.g. "fp32"
  std::string shape;   // "key=value;key=value", e.g. "m=2048;n=2048;k=2048"
  double flops = 0.0;
  double bytes = 0.0;
  double measured_s = 0.0;  // median
  int repeats = 0;
  double spread = 0.0;  // (max - min) / median
};

inline constexpr std::string_view kMeasuredCsvHeader =
    "case,family,device,dtype,shape,flops,bytes,measured_s,repeats,spread";

void write_measured_csv(std::ostream& out, const std::vector<MeasuredRow>& rows);

// Writes the CSV to a temporary file beside `path`, then renames it over `path`, so no reader ever
// sees half a file. Throws std::runtime_error when the file cannot be written.
void write_measured_csv_file(const std::string& path, const std::vector<MeasuredRow>& rows);

}  // namespace infersim::ref

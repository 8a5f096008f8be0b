#include "ref/measured_csv.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace infersim::ref {

std::string_view family_name(Family family) {
  static constexpr std::array<std::string_view, 7> kNames = {
      "gemm", "gemv", "attention_decode", "attention_prefill", "norm", "mlp", "stream"};
  return kNames.at(static_cast<std::size_t>(family));
}

namespace {

const std::string& checked_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") != std::string::npos)
    throw std::invalid_argument("measured CSV: field '" + text + "' holds a comma, quote or line break");
  return text;
}

}  // namespace

void write_measured_csv(std::ostream& out, const std::vector<MeasuredRow>& rows) {
  fmt::print(out, "{}\n", kMeasuredCsvHeader);
  for (const MeasuredRow& r : rows) {
    fmt::print(out, "{},{},{},{},{},{},{},{},{},{}\n", checked_field(r.case_name), family_name(r.family),
               checked_field(r.device), checked_field(r.dtype), checked_field(r.shape), r.flops, r.bytes,
               r.measured_s, r.repeats, r.spread);
  }
}

void write_measured_csv_file(const std::string& path, const std::vector<MeasuredRow>& rows) {
  namespace fs = std::filesystem;
  const fs::path target(path);
  fs::path temp = target;
  temp += fmt::format(".tmp{}", ::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (out) write_measured_csv(out, rows);
    out.close();
    if (!out) {
      std::error_code ignored;
      fs::remove(temp, ignored);
      throw std::runtime_error("cannot write '" + temp.string() + "'");
    }
  }
  std::error_code error;
  fs::rename(temp, target, error);  // atomic within one directory (POSIX rename)
  if (error) {
    fs::remove(temp, error);
    throw std::runtime_error("cannot write '" + target.string() + "'");
  }
}

}  // namespace infersim::ref

// The measured CSV writer, the timing summary and the device name; nothing here times anything.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "io/config/config_error.hpp"
#include "ref/base/measured_csv.hpp"
#include "ref/base/timing.hpp"
#include "ref/cpu/suite.hpp"

using namespace infersim::ref;

namespace {

MeasuredRow sample_row() {
  return {"gemm_2048",   Family::gemm, "cpu-haswell-2t", "fp32", "m=2048;n=2048;k=2048",
          17179869184.0, 50331648.0,   0.1234,           5,      0.02};
}

}  // namespace

TEST_CASE("measured CSV: the issue's header, unquoted fields, shortest round-trip numbers") {
  std::ostringstream out;
  write_measured_csv(out, {sample_row()});
  CHECK(out.str() ==
        "case,family,device,dtype,shape,flops,bytes,measured_s,repeats,spread\n"
        "gemm_2048,gemm,cpu-haswell-2t,fp32,m=2048;n=2048;k=2048,17179869184,50331648,0.1234,5,0.02\n");
  CHECK(out.str().find('"') == std::string::npos);
}

TEST_CASE("measured CSV: every family has its issue name") {
  CHECK(family_name(Family::gemv) == "gemv");
  CHECK(family_name(Family::attention_decode) == "attention_decode");
  CHECK(family_name(Family::attention_prefill) == "attention_prefill");
  CHECK(family_name(Family::norm) == "norm");
  CHECK(family_name(Family::mlp) == "mlp");
  CHECK(family_name(Family::stream) == "stream");
}

TEST_CASE("measured CSV: a field that would need quoting is refused") {
  MeasuredRow row = sample_row();
  row.shape = "m=1,n=2";
  std::ostringstream out;
  CHECK_THROWS_AS(write_measured_csv(out, {row}), std::invalid_argument);
}

TEST_CASE("measured CSV reader: every row it returns can be written again, a quote or CR is refused") {
  using infersim::parse_measured_csv;
  const std::string header = std::string(kMeasuredCsvHeader) + "\n";
  const std::string line =
      "gemm_2048,gemm,cpu-haswell-2t,fp32,m=2048;n=2048;k=2048,17179869184,50331648,0.1234,5,0.02";
  const auto rows = parse_measured_csv(header + line + "\r\n", "m.csv");  // a CRLF file reads as LF
  REQUIRE(rows.size() == 1);
  CHECK(infersim::measured_csv_fields(rows[0]) == line);
  // A spreadsheet's UTF-8 byte order mark before the header is skipped.
  const auto marked = parse_measured_csv("\xEF\xBB\xBF" + header + line + "\n", "m.csv");
  REQUIRE(marked.size() == 1);
  CHECK(infersim::measured_csv_fields(marked[0]) == line);
  // 'gemm"x' would print fine in the report and then fail the writer of -o: the reader refuses it, at the
  // case column (line 2, character 1) and the shape column (line 2, character 36: after 10 + 5 + 15 + 5
  // characters).
  auto error_of = [&](const std::string& data) {
    try {
      (void)parse_measured_csv(header + data, "m.csv");
    } catch (const infersim::ConfigError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error_of("") == "m.csv: error: the file holds no measured rows");  // no line to name
  // A header that is not the format's: the line, no column (the whole line is wrong).
  try {
    (void)parse_measured_csv("case,family\n" + line + "\n", "m.csv");
    FAIL("no error");
  } catch (const infersim::ConfigError& e) {
    CHECK(std::string(e.what()).rfind("m.csv:1: error: the header must start with 'case,family,device,", 0) ==
          0);
  }
  CHECK(error_of("gemm\"x" + line.substr(4))
            .rfind("m.csv:2:1: error: 'case' must be text without a quote", 0) == 0);
  CHECK(
      error_of(line.substr(0, 36) + "\r" + line.substr(36)).rfind("m.csv:2:36: error: 'shape' must be", 0) ==
      0);
}

TEST_CASE("measured CSV file: written whole, no temporary left beside it") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "infersim_ref_csv_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path file = dir / "measured.csv";
  write_measured_csv_file(file.string(), {sample_row()});
  std::ifstream in(file);
  std::string header;
  std::getline(in, header);
  CHECK(header == kMeasuredCsvHeader);
  CHECK(std::distance(fs::directory_iterator(dir), fs::directory_iterator()) == 1);
  CHECK_THROWS_AS(write_measured_csv_file((dir / "missing" / "x.csv").string(), {sample_row()}),
                  std::runtime_error);
  fs::remove_all(dir);
}

TEST_CASE("summarize: median and (max - min) / median") {
  // Sorted 1, 2, 4: median 2, spread (4 - 1) / 2 = 1.5. Even count 1, 2, 3, 6: median 2.5, spread 2.
  const TimingSummary odd = summarize({4.0, 1.0, 2.0});
  CHECK(odd.median_s == 2.0);
  CHECK(odd.spread == 1.5);
  CHECK(odd.repeats == 3);
  CHECK(summarize({6.0, 1.0, 3.0, 2.0}).median_s == 2.5);
  CHECK(summarize({6.0, 1.0, 3.0, 2.0}).spread == 2.0);
  CHECK_THROWS_AS(summarize({}), std::invalid_argument);
}

TEST_CASE("time_kernel runs warm-up and repeats, calling before_each before every run") {
  int runs = 0, flushes = 0;
  const TimingSummary t = time_kernel([&] { ++runs; }, {2, 3}, [&] { ++flushes; });
  CHECK(runs == 5);
  CHECK(flushes == 5);
  CHECK(t.repeats == 3);
}

TEST_CASE("time_kernel times a short kernel further, up to max_repeats, until min_total_s is reached") {
  int runs = 0;
  // An empty kernel never adds up to a day: it stops at max_repeats.
  const TimingSummary capped = time_kernel([&] { ++runs; }, {1, 3, 86400.0, 7});
  CHECK(runs == 8);
  CHECK(capped.repeats == 7);
  // Any kernel adds up to a zero total at once: the minimum repeats only.
  runs = 0;
  const TimingSummary minimum = time_kernel([&] { ++runs; }, {1, 3, 0.0, 7});
  CHECK(runs == 4);
  CHECK(minimum.repeats == 3);
}

TEST_CASE("device name: cpu, the BLAS core in lower case, the thread count") {
  CHECK(device_name("Prescott", 2) == "cpu-prescott-2t");
}

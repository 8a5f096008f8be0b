#pragma once
// The outputs of `infersim serve`: the summary as a table (people), JSON or CSV (scripts; SI units, full
// precision), the per-request CSV (streamed) and the per-iteration timeline CSV. Key definitions:
// docs/output-keys.md, "serve".
#include <optional>
#include <string>
#include <vector>

#include "serving/max_rate.hpp"
#include "serving/simulator.hpp"

namespace infersim {

struct ServeReport {
  std::string model;
  std::string hardware;
  std::string runtime;
  std::string workload;  // e.g. "poisson 5 req/s, 2000 requests, input 1024, output 256"
  serving::ServeResult result;
};

// Throws InputError naming the first key whose value is not finite (a simulation gone wrong is never
// printed as inf or nan).
void check_serve_summary(const serving::ServeSummary& s);

[[nodiscard]] std::string serve_table(const ServeReport& r);
[[nodiscard]] std::string serve_json(const ServeReport& r);
[[nodiscard]] std::string serve_csv(const ServeReport& r);

// Where a run's iterations spent their time (ServeResult::time_by_class; `serve --breakdown`): a table,
// a JSON object of seconds per kind of work ("gemms_s", ..., "busy_s": their sum), or CSV rows of
// kind,time_s,share. Throws InputError for a time that is not finite.
[[nodiscard]] std::string time_by_class_table(const TimeByClass& t);
[[nodiscard]] std::string time_by_class_json(const TimeByClass& t);
[[nodiscard]] std::string time_by_class_csv(const TimeByClass& t);

[[nodiscard]] std::string requests_csv_header();
[[nodiscard]] std::string requests_csv_row(const serving::RequestRecord& r);
[[nodiscard]] std::string timeline_csv_header();
[[nodiscard]] std::string timeline_csv_row(const serving::StepRecord& s);

// The curve of a highest-rate search (serving/max_rate.hpp) as a table, a JSON array, or CSV (a header and
// a row per rate probed: rate_rps, percentile, ttft_s, tpot_s, output_throughput_tok_s, meets, and found:
// true on the row of the rate the search found, `found_rps`).
[[nodiscard]] std::string rate_curve_table(const std::vector<serving::RateProbe>& probes, double percentile);
[[nodiscard]] std::string rate_curve_json(const std::vector<serving::RateProbe>& probes);
[[nodiscard]] std::string rate_curve_csv(const std::vector<serving::RateProbe>& probes, double percentile,
                                         std::optional<double> found_rps);

}  // namespace infersim

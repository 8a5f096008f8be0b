#pragma once
// `infersim report`: an HTML page with four charts drawn by gnuplot (Debian: gnuplot-nox) from data
// files written beside it: the device's roofline with every operator of prefill and decode placed by
// its arithmetic intensity and achieved FLOP/s; TTFT, TPOT and throughput against batch; TTFT and TPOT
// percentiles against the request rate under continuous batching (io/report/rate_chart.hpp); and the
// memory breakdown against the usable capacity. Every file is written whole or not at all.
#include <string>
#include <vector>

#include "core/estimate.hpp"
#include "io/report/rate_chart.hpp"

namespace infersim {

struct BatchPoint {
  long long batch = 0;
  Estimate estimate;
};

struct HtmlReportInput {
  const ModelSpec& model;
  const HardwareSpec& hardware;
  const Scenario& scenario;         // the configuration the roofline shows
  const Estimate& estimate;         // its estimate, with operators
  std::vector<BatchPoint> batches;  // the same configuration at other batches
  RateChart rates;                  // served under load (rates.curve.not_simulated: why not drawn)
};

// Writes DIR/index.html, DIR/*.svg and the data and scripts behind them. Throws InputError when
// gnuplot is missing (naming the package) or a file cannot be written.
void write_html_report(const HtmlReportInput& input, const std::string& dir);

}  // namespace infersim

#pragma once
// report's latency-throughput chart: TTFT and TPOT p50 and p99 against the Poisson request rate, from
// the serving simulation's runs at a sweep of rates up to what the same requests sustain offline
// (serving/scenario_serving.hpp), with the latency targets as horizontal lines when given. The data file
// and the gnuplot script it draws; every text in the script through gnuplot_string.
#include <string>

#include "serving/scenario_serving.hpp"

namespace infersim {

struct RateChart {
  serving::RateCurve curve;
  serving::SloTargets slo;
  std::string scheduler;  // the runtime profile whose scheduler: block ran
  long long requests = 0;
};

// The fractions of the offline rate report simulates: dense where latency turns up near saturation.
[[nodiscard]] std::vector<double> report_rate_fractions();

// rates.dat: one row per rate: rate_rps ttft_p50_s ttft_p99_s tpot_p50_s tpot_p99_s
// output_throughput_tok_s (numbers in full precision; a run without a TPOT reads 0 there).
[[nodiscard]] std::string rate_data(const serving::RateCurve& curve);

// serving.gp, drawing serving.svg from rates.dat; `title` names the model and hardware.
[[nodiscard]] std::string rate_script(const RateChart& chart, const std::string& title);

}  // namespace infersim

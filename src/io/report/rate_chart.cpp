#include "io/report/rate_chart.hpp"

#include <fmt/format.h>

#include "io/report/report.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

// Colours from Wong 2011 ("Points of view: Color blindness", Nature Methods 8:441), as the other charts.
constexpr const char* kTtftColour = "#0072b2";
constexpr const char* kTpotColour = "#e69f00";

// A target as a horizontal line in its metric's colour, or nothing when not given.
std::string target_line(const std::optional<double>& target_s, const char* what, const char* colour) {
  if (!target_s) return "";
  return fmt::format(", {} with lines lw 2 dt 3 lc rgb '{}' title {}", format_number(*target_s * 1e3), colour,
                     gnuplot_string(fmt::format("{} target {:g} ms", what, *target_s * 1e3)));
}

}  // namespace

std::vector<double> report_rate_fractions() {
  return {0.02, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0};
}

std::string rate_data(const serving::RateCurve& curve) {
  std::string out = "# rate_rps ttft_p50_s ttft_p99_s tpot_p50_s tpot_p99_s output_throughput_tok_s\n";
  for (const serving::RatePoint& p : curve.points) {
    const serving::ServeSummary& s = p.summary;
    out += fmt::format("{} {} {} {} {} {}\n", format_number(p.rate_rps), format_number(s.ttft_p50_s),
                       format_number(s.ttft_p99_s), format_number(s.tpot_p50_s), format_number(s.tpot_p99_s),
                       format_number(s.output_throughput_tok_s));
  }
  return out;
}

std::string rate_script(const RateChart& chart, const std::string& title) {
  const double offline = chart.curve.offline_rps;
  // A zero (no TPOT: one output token) has no place on a log axis: left out (1/0).
  const auto series = [](int column, const char* colour, int dash, const char* name) {
    return fmt::format(
        "'rates.dat' using 1:(${0} > 0 ? ${0}*1000 : 1/0) with linespoints pt 7 ps 0.8 dt {1} "
        "lw 2 lc rgb '{2}' title {3}",
        column, dash, colour, gnuplot_string(name));
  };
  return fmt::format(
      "reset\nset terminal svg size 900,500 dynamic noenhanced font 'sans,11'\nset output 'serving.svg'\n"
      "set title {}\nset logscale y\nset grid\nset xlabel 'request rate (requests/s, Poisson)'\n"
      "set ylabel 'milliseconds'\nset key top left\nset xrange [0:{}]\n"
      "set arrow 1 from {},graph 0 to {},graph 1 nohead dt 2 lc rgb '#888888'\n"
      "set label 1 {} at {},graph 0.96 right offset -0.6,0 textcolor rgb '#555555'\n"
      "plot {}, {}, {}, {}{}{}\n",
      gnuplot_string(fmt::format("{}: latency against request rate ({} requests a rate, {}'s scheduler)",
                                 title, chart.requests, chart.scheduler)),
      format_number(offline * 1.05), format_number(offline), format_number(offline),
      gnuplot_string(fmt::format("offline throughput {:.3g} req/s", offline)), format_number(offline),
      series(2, kTtftColour, 1, "TTFT p50"), series(3, kTtftColour, 2, "TTFT p99"),
      series(4, kTpotColour, 1, "TPOT p50"), series(5, kTpotColour, 2, "TPOT p99"),
      target_line(chart.slo.ttft_s, "TTFT", kTtftColour), target_line(chart.slo.tpot_s, "TPOT", kTpotColour));
}

}  // namespace infersim

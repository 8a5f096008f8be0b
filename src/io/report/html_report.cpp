#include "io/report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>

#include "core/errors.hpp"
#include "core/formulas/roofline.hpp"
#include "core/roofs.hpp"
#include "io/output/atomic_file.hpp"
#include "io/output/output_guard.hpp"
#include "io/report/gnuplot_run.hpp"
#include "io/report/report.hpp"
#include "io/report/roofline_labels.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

// Operators as points: intensity (FLOP/B) and achieved FLOP/s = FLOPs / time, by phase.
std::string operator_points(const PhaseResult& phase) {
  std::string out;
  for (const OpResult& op : phase.ops) {
    if (op.unit == OpUnit::link || op.cost.flops <= 0.0 || op.intensity <= 0.0) continue;
    out += fmt::format("{} {} \"{}\"\n", op.intensity, op.cost.flops / op.time_s, op.name);
  }
  return out;
}

// The roofline chart's frame: the plot area fixed on the 900 x 560 page (margins at screen fractions),
// so the label layout knows its size in pixels; ranges whole decades around the points, with room above
// the peak for labels.
constexpr double kRooflineWidthPx = 900.0, kRooflineHeightPx = 560.0;
constexpr double kLeft = 0.10, kRight = 0.97, kBottom = 0.11, kTop = 0.91;

ChartFrame roofline_frame(const std::vector<ChartPoint>& points, double peak) {
  double x_min = 0.05, x_max = 1e5, y_min = peak, y_max = peak;
  for (const ChartPoint& p : points) {
    x_min = std::min(x_min, p.x), x_max = std::max(x_max, p.x);
    y_min = std::min(y_min, p.y), y_max = std::max(y_max, p.y);
  }
  const auto decade = [](double v, double pad, auto round) {
    return std::pow(10.0, round(std::log10(v) + pad));
  };
  const auto down = [](double v) { return std::floor(v); };
  const auto up = [](double v) { return std::ceil(v); };
  return {x_min < 0.05 ? decade(x_min, -0.3, down) : 0.05,
          x_max > 1e5 ? decade(x_max, 0.3, up) : 1e5,
          decade(y_min, -0.3, down),
          decade(y_max, 0.3, up),
          kRooflineWidthPx * (kRight - kLeft),
          kRooflineHeightPx * (kTop - kBottom)};
}

// Every operator of both phases as a labelled point (what operator_points writes).
std::vector<ChartPoint> chart_points(const HtmlReportInput& in) {
  std::vector<ChartPoint> out;
  for (const PhaseResult* phase : {&in.estimate.prefill, &in.estimate.decode_step}) {
    for (const OpResult& op : phase->ops) {
      if (op.unit == OpUnit::link || op.cost.flops <= 0.0 || op.intensity <= 0.0) continue;
      out.push_back({op.intensity, op.cost.flops / op.time_s, op.name});
    }
  }
  return out;
}

// One `set label` per place (co-located operators share one), with a leader line where it moved away.
std::string label_commands(const std::vector<ChartPoint>& points, const ChartFrame& frame,
                           const RoofLine& roof) {
  // The key, bottom right: three lines of the 11-point font, the longest title 42 characters.
  const PixelBox key{frame.width_px - 360.0, 0.0, frame.width_px, 50.0};
  std::string out;
  int n = 0;
  for (const PlacedLabel& l : place_labels(points, frame, roof, {key})) {
    ++n;
    out += fmt::format("set label {} {} at {},{} {} font ',8'\n", n, gnuplot_string(l.text), l.x, l.y,
                       l.right_aligned ? "right" : "left");
    if (l.leader)
      out += fmt::format("set arrow {} from {},{} to {},{} nohead lw 0.5 lc rgb '#888888'\n", n, l.point_x,
                         l.point_y, l.x, l.y);
  }
  return out;
}

std::string roofline_script(const Roofs& roofs, const HtmlReportInput& in) {
  const double ridge = ridge_point(roofs.matrix_flops_per_s, roofs.memory_Bps);
  const std::vector<ChartPoint> points = chart_points(in);
  const ChartFrame frame = roofline_frame(points, roofs.matrix_flops_per_s);
  return fmt::format(
      "reset\nset terminal svg size {},{} dynamic noenhanced font 'sans,11'\nset output 'roofline.svg'\n"
      "set title {}\n"
      "set logscale xy\nset xlabel 'arithmetic intensity (FLOP/B)'\nset ylabel 'FLOP/s'\nset grid\n"
      "set lmargin at screen {}\nset rmargin at screen {}\nset bmargin at screen {}\nset tmargin at screen "
      "{}\n"
      "set key bottom right\nset xrange [{}:{}]\nset yrange [{}:{}]\n"
      "roof(x) = (x * {} < {}) ? x * {} : {}\n{}"
      "plot roof(x) with lines lw 2 title 'attainable (achievable bandwidth and peak)', "
      "'prefill_ops.dat' using 1:2 with points pt 7 ps 1.2 title 'prefill operators', "
      "'decode_ops.dat' using 1:2 with points pt 5 ps 1.2 lc rgb '#e69f00' title 'decode operators (mean "
      "context)'\n",
      kRooflineWidthPx, kRooflineHeightPx,
      gnuplot_string(fmt::format("{} on {}: roofline ({} compute; ridge {:.0f} FLOP/B)", in.model.name,
                                 in.hardware.name, dtype_name(in.scenario.activations), ridge)),
      kLeft, kRight, kBottom, kTop, frame.x_lo, frame.x_hi, frame.y_lo, frame.y_hi, roofs.memory_Bps,
      roofs.matrix_flops_per_s, roofs.memory_Bps, roofs.matrix_flops_per_s,
      label_commands(points, frame, {roofs.memory_Bps, roofs.matrix_flops_per_s}));
}

std::string batch_data(const std::vector<BatchPoint>& points) {
  std::string out =
      "# batch ttft_s tpot_s throughput_tok_s weights_B kv_B activations_B reserve_B usable_B\n";
  for (const BatchPoint& p : points) {
    const Estimate& e = p.estimate;
    out += fmt::format("{} {} {} {} {} {} {} {} {}\n", p.batch, e.ttft_s, e.tpot_s, e.output_throughput_tok_s,
                       e.weight_bytes_per_device, e.kv_cache_bytes_per_device, e.activation_bytes,
                       e.runtime_reserve_bytes, e.usable_memory_bytes);
  }
  return out;
}

std::string latency_script(const HtmlReportInput& in) {
  return fmt::format(
      "reset\nset terminal svg size 900,500 dynamic noenhanced font 'sans,11'\nset output 'latency.svg'\n"
      "set title {}\nset logscale x 2\nset logscale y\nset "
      "grid\n"
      "set xlabel 'batch'\nset ylabel 'milliseconds'\nset y2label 'output tokens/s'\nset y2tics\nset ytics "
      "nomirror\n"
      "set key top left\nplot 'batches.dat' using 1:($2*1000) with linespoints title 'TTFT', "
      "'batches.dat' using 1:($3*1000) with linespoints title 'TPOT', "
      "'batches.dat' using 1:4 axes x1y2 with linespoints title 'throughput (right axis)', "
      // A batch whose memory (weights + KV + activations + reserve, per device) exceeds the usable memory
      // does not fit: ringed in red on its TTFT and TPOT points, so no one reads it as an ordinary point.
      "'batches.dat' using 1:($5+$6+$7+$8 > $9 ? $2*1000 : 1/0) with points pt 6 ps 2.5 lc rgb 'red' "
      "title 'does not fit', "
      "'batches.dat' using 1:($5+$6+$7+$8 > $9 ? $3*1000 : 1/0) with points pt 6 ps 2.5 lc rgb 'red' "
      "notitle\n",
      gnuplot_string(
          fmt::format("{} on {}: latency and throughput against batch", in.model.name, in.hardware.name)));
}

std::string memory_script(const HtmlReportInput& in) {
  return fmt::format(
      "reset\nset terminal svg size 900,500 dynamic noenhanced font 'sans,11'\nset output 'memory.svg'\n"
      "set title {}\nset style data histograms\n"
      "set style histogram rowstacked\nset style fill solid 0.8 border -1\nset boxwidth 0.75\nset grid y\n"
      "set ylabel 'GB (1e9 B)'\nset xlabel 'batch'\nset key top left\n"
      "plot 'batches.dat' using ($5/1e9):xtic(1) title 'weights', '' using ($6/1e9) title 'KV cache', "
      "'' using ($7/1e9) title 'activations', '' using ($8/1e9) title 'runtime reserve', "
      "'' using 0:($9/1e9) with lines lw 2 lc rgb 'red' title 'usable capacity'\n",
      gnuplot_string(
          fmt::format("{} on {}: memory per device against batch", in.model.name, in.hardware.name)));
}

// A number in the page's table, for people: six significant digits, so 2.9999999999999997e-05 reads
// 3e-05 (the JSON and CSV outputs keep every digit).
std::string number_for_people(double value) {
  (void)format_number(value);  // the same finiteness check as the machine-readable outputs
  return fmt::format("{:.6g}", value);
}

// The latency-against-rate chart with what it shows, or why it was not drawn.
std::string rate_section(const HtmlReportInput& in) {
  const serving::RateCurve& c = in.rates.curve;
  if (c.not_simulated) return "<p>Not simulated: " + html_text(*c.not_simulated) + ".</p>\n";
  return fmt::format(
      "<p>Continuous batching simulated (the serving engine of <code>infersim serve</code>): {} requests of "
      "{} input and {} output tokens at each Poisson rate, {}&#39;s scheduler, up to {} requests/s, what the "
      "same requests sustain all arriving at once.</p>\n"
      "<img src=\"serving.svg\" alt=\"TTFT and TPOT percentiles against the request rate\">\n",
      in.rates.requests, in.scenario.input_tokens, in.scenario.output_tokens, html_text(in.rates.scheduler),
      number_for_people(c.offline_rps));
}

// Above the charts, for a configuration whose memory does not fit: its times are still drawn, so say
// that they assume it fitted (the text table says the same under its memory line).
std::string fit_section(const Estimate& e) {
  if (e.fits) return "";
  return fmt::format(
      "<p><strong>Does not fit:</strong> {:.2f} GB a device against {:.2f} GB usable; the times on this page "
      "assume it fitted (the capacity command finds the batch, context or devices that do).</p>\n",
      e.memory_per_device_bytes / 1e9, e.usable_memory_bytes / 1e9);
}

std::string html_page(const HtmlReportInput& in) {
  std::string rows;
  for (const Field& f : summary_fields({in.model, in.hardware, in.scenario, in.estimate})) {
    std::string value = std::visit(
        [](const auto& v) -> std::string {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>)
            return v;
          else if constexpr (std::is_same_v<T, bool>)
            return v ? "true" : "false";
          else if constexpr (std::is_same_v<T, double>)
            return number_for_people(v);
          else
            return std::to_string(v);
        },
        f.value);
    rows += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", html_text(f.key), html_text(value));
  }
  return fmt::format(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>infersim: {} on {}</title>\n"
      "<style>body{{font-family:sans-serif;max-width:960px;margin:2em auto}}td{{padding:2px 12px}}"
      "tr:nth-child(even){{background:#f3f3f3}}img{{max-width:100%}}</style></head><body>\n"
      "<h1>{} on {}</h1>\n<p>{}</p>\n{}<h2>Roofline</h2>\n<img src=\"roofline.svg\" alt=\"roofline\">\n"
      "<h2>Latency and throughput</h2>\n<img src=\"latency.svg\" alt=\"latency against batch\">\n"
      "<h2>Latency against request rate</h2>\n{}"
      "<h2>Memory</h2>\n<img src=\"memory.svg\" alt=\"memory against batch\">\n"
      "<h2>Estimate</h2>\n<table>\n{}</table>\n<p>Generated by infersim report; the data files and gnuplot "
      "scripts beside this page reproduce every chart.</p>\n</body></html>\n",
      html_text(in.model.name), html_text(in.hardware.name), html_text(in.model.name),
      html_text(in.hardware.name), html_text(in.hardware.description), fit_section(in.estimate),
      rate_section(in), rows);
}

}  // namespace

void write_html_report(const HtmlReportInput& in, const std::string& dir) {
  const std::optional<std::string> gnuplot = find_gnuplot();
  if (!gnuplot) {
    throw InputError(
        "infersim report draws its charts with gnuplot, which is not installed "
        "(Debian: apt-get install gnuplot-nox)");
  }
  prepare_report_directory(dir, {"prefill_ops.dat", "decode_ops.dat", "batches.dat", "rates.dat",
                                 "roofline.gp", "latency.gp", "serving.gp", "memory.gp", "roofline.svg",
                                 "latency.svg", "serving.svg", "memory.svg", "gnuplot.log", "index.html"});
  const std::filesystem::path d(dir);
  const Roofs roofs = roofs_for(in.hardware, in.scenario);
  write_file_atomically((d / "prefill_ops.dat").string(), operator_points(in.estimate.prefill));
  write_file_atomically((d / "decode_ops.dat").string(), operator_points(in.estimate.decode_step));
  write_file_atomically((d / "batches.dat").string(), batch_data(in.batches));
  write_file_atomically((d / "roofline.gp").string(), roofline_script(roofs, in));
  write_file_atomically((d / "latency.gp").string(), latency_script(in));
  write_file_atomically((d / "memory.gp").string(), memory_script(in));
  std::vector<std::string> scripts = {"roofline.gp", "latency.gp", "memory.gp"};
  if (!in.rates.curve.not_simulated) {
    write_file_atomically((d / "rates.dat").string(), rate_data(in.rates.curve));
    write_file_atomically((d / "serving.gp").string(),
                          rate_script(in.rates, fmt::format("{} on {}", in.model.name, in.hardware.name)));
    scripts.push_back("serving.gp");
  }
  if (!run_gnuplot(*gnuplot, dir, scripts, "gnuplot.log")) {
    throw InputError(fmt::format("gnuplot failed drawing the report's charts; see {}",
                                 terminal_text((d / "gnuplot.log").string())));
  }
  std::error_code ec;
  std::filesystem::remove(d / "gnuplot.log", ec);
  write_file_atomically((d / "index.html").string(), html_page(in));
}

}  // namespace infersim

#include "io/serving/serve_report.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <optional>
#include <utility>
#include <variant>

#include "core/errors.hpp"
#include "io/report/report.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

using Value = std::variant<long long, double, bool>;
struct Item {
  const char* key;
  Value value;
};

std::vector<Item> summary_items(const serving::ServeSummary& s) {
  std::vector<Item> items = {
      {"requests", s.requests},
      {"duration_s", s.duration_s},
      {"request_throughput_rps", s.request_throughput_rps},
      {"output_throughput_tok_s", s.output_throughput_tok_s},
      {"total_throughput_tok_s", s.total_throughput_tok_s},
      {"devices", static_cast<long long>(s.devices)},
      {"output_throughput_per_device_tok_s", serving::output_throughput_per_device_tok_s(s)},
      {"ttft_mean_s", s.ttft_mean_s},
      {"ttft_p50_s", s.ttft_p50_s},
      {"ttft_p90_s", s.ttft_p90_s},
      {"ttft_p99_s", s.ttft_p99_s},
      {"tpot_mean_s", s.tpot_mean_s},
      {"tpot_p50_s", s.tpot_p50_s},
      {"tpot_p90_s", s.tpot_p90_s},
      {"tpot_p99_s", s.tpot_p99_s},
      {"itl_mean_s", s.itl_mean_s},
      {"itl_p50_s", s.itl_p50_s},
      {"itl_p90_s", s.itl_p90_s},
      {"itl_p99_s", s.itl_p99_s},
      {"e2e_mean_s", s.e2e_mean_s},
      {"e2e_p50_s", s.e2e_p50_s},
      {"e2e_p90_s", s.e2e_p90_s},
      {"e2e_p99_s", s.e2e_p99_s},
      {"queue_mean_s", s.queue_mean_s},
      {"batch_mean", s.batch_mean},
      {"batch_max", s.batch_max},
      {"kv_blocks_total", s.kv_blocks_total},
      {"kv_utilization_peak", s.kv_utilization_peak},
      {"preemptions", s.preemptions},
      {"rejected", s.rejected},
      {"overloaded", s.overloaded}};
  if (s.goodput_rps) items.push_back({"goodput_rps", *s.goodput_rps});
  if (s.slo_attainment) items.push_back({"slo_attainment", *s.slo_attainment});
  if (s.graph_padding_share) items.push_back({"graph_padding_share", *s.graph_padding_share});
  return items;
}

std::string machine_text(const Value& v) {
  if (const auto* i = std::get_if<long long>(&v)) return std::to_string(*i);
  if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  return format_number(std::get<double>(v));
}

// Seconds for people: ms below one second.
std::string time_text(double s) {
  return s < 1.0 ? fmt::format("{:.1f} ms", s * 1e3) : fmt::format("{:.3f} s", s);
}

}  // namespace

void check_serve_summary(const serving::ServeSummary& s) {
  for (const Item& item : summary_items(s)) {
    if (const auto* d = std::get_if<double>(&item.value); d && !std::isfinite(*d)) {
      throw InputError(fmt::format("serve: '{}' came out {} (not a finite number)", item.key, *d));
    }
  }
}

std::string serve_json(const ServeReport& r) {
  check_serve_summary(r.result.summary);
  std::string out = "{\n";
  out += fmt::format("  \"model\": {},\n  \"hardware\": {},\n  \"runtime\": {},\n  \"workload\": {}",
                     json_string(r.model), json_string(r.hardware), json_string(r.runtime),
                     json_string(r.workload));
  for (const Item& item : summary_items(r.result.summary))
    out += fmt::format(",\n  \"{}\": {}", item.key, machine_text(item.value));
  return out + "\n}\n";
}

namespace {

// Each breakdown row's seconds, checked finite, and their sum.
std::pair<std::array<double, kTimeClasses>, double> checked_times(const TimeByClass& t) {
  std::array<double, kTimeClasses> s{};
  double busy_s = 0.0;
  for (int i = 0; i < kTimeClasses; ++i) {
    s[static_cast<std::size_t>(i)] = time_class_s(t, i);
    if (!std::isfinite(s[static_cast<std::size_t>(i)]))
      throw InputError(fmt::format("serve: the time of '{}' came out {} (not a finite number)",
                                   time_class_key(i), s[static_cast<std::size_t>(i)]));
    busy_s += s[static_cast<std::size_t>(i)];
  }
  return {s, busy_s};
}

}  // namespace

std::string time_by_class_table(const TimeByClass& t) {
  const auto [s, busy_s] = checked_times(t);
  std::string out = fmt::format(
      "\nwhere the iterations' time went (every replica's, summed: {}; docs/formulas.md#time_by_class)\n",
      time_text(busy_s));
  for (int i = 0; i < kTimeClasses; ++i) {
    const double x = s[static_cast<std::size_t>(i)];
    out += fmt::format("  {:<16}{:>12}{:>8.1f}%\n", time_class_name(i), time_text(x),
                       time_class_share(t, i).value_or(0.0) * 100.0);
  }
  return out;
}

std::string time_by_class_json(const TimeByClass& t) {
  const auto [s, busy_s] = checked_times(t);
  std::string out = "{";
  for (int i = 0; i < kTimeClasses; ++i)
    out += fmt::format("\"{}_s\": {}, ", time_class_key(i), format_number(s[static_cast<std::size_t>(i)]));
  return out + fmt::format("\"busy_s\": {}}}", format_number(busy_s));
}

std::string time_by_class_csv(const TimeByClass& t) {
  const auto [s, busy_s] = checked_times(t);
  std::string out = "kind,time_s,share\n";
  for (int i = 0; i < kTimeClasses; ++i) {
    const double x = s[static_cast<std::size_t>(i)];
    out += fmt::format("{},{},{}\n", time_class_key(i), format_number(x),
                       format_number(time_class_share(t, i).value_or(0.0)));
  }
  return out;
}

std::string serve_csv(const ServeReport& r) {
  check_serve_summary(r.result.summary);
  std::string header = "model,hardware,runtime";
  std::string row = csv_field(r.model) + "," + csv_field(r.hardware) + "," + csv_field(r.runtime);
  for (const Item& item : summary_items(r.result.summary)) {
    header += ',';
    header += item.key;
    row += ',';
    row += machine_text(item.value);
  }
  return header + "\n" + row + "\n";
}

std::string serve_table(const ServeReport& r) {
  const serving::ServeSummary& s = r.result.summary;
  check_serve_summary(s);
  std::string out;
  out += fmt::format("{} on {}, runtime {}\n", terminal_text(r.model), terminal_text(r.hardware),
                     terminal_text(r.runtime));
  out += fmt::format("workload: {}\n\n", terminal_text(r.workload));
  out += fmt::format("requests completed     {}   (rejected {}, preemptions {})\n", s.requests, s.rejected,
                     s.preemptions);
  out += fmt::format("duration               {}\n", time_text(s.duration_s));
  out += fmt::format("request throughput     {:.3f} req/s\n", s.request_throughput_rps);
  out += fmt::format("output throughput      {:.1f} tok/s   (total {:.1f} tok/s)\n",
                     s.output_throughput_tok_s, s.total_throughput_tok_s);
  if (s.devices > 1) {
    out +=
        fmt::format("  per device           {:.1f} tok/s   (the output over the deployment's {} devices)\n",
                    serving::output_throughput_per_device_tok_s(s), s.devices);
  }
  out += fmt::format("\n{:<8}{:>12}{:>12}{:>12}{:>12}\n", "", "mean", "p50", "p90", "p99");
  const auto row = [&out](const char* name, double mean, double p50, double p90, double p99) {
    out += fmt::format("{:<8}{:>12}{:>12}{:>12}{:>12}\n", name, time_text(mean), time_text(p50),
                       time_text(p90), time_text(p99));
  };
  row("TTFT", s.ttft_mean_s, s.ttft_p50_s, s.ttft_p90_s, s.ttft_p99_s);
  row("TPOT", s.tpot_mean_s, s.tpot_p50_s, s.tpot_p90_s, s.tpot_p99_s);
  row("ITL", s.itl_mean_s, s.itl_p50_s, s.itl_p90_s, s.itl_p99_s);
  row("E2E", s.e2e_mean_s, s.e2e_p50_s, s.e2e_p90_s, s.e2e_p99_s);
  out += fmt::format("\nqueueing (mean)        {}\n", time_text(s.queue_mean_s));
  out +=
      fmt::format("running sequences      mean {:.1f}, max {}{}\n", s.batch_mean, s.batch_max,
                  s.virtual_engines > 1
                      ? fmt::format(" in each of a replica's {} pipeline virtual engines", s.virtual_engines)
                      : std::string());
  out += fmt::format(
      "KV blocks per replica  {} ({}peak use {:.1f} %)\n", s.kv_blocks_total * s.virtual_engines,
      s.virtual_engines > 1
          ? fmt::format("{} pipeline virtual engines of {}; ", s.virtual_engines, s.kv_blocks_total)
          : std::string(),
      s.kv_utilization_peak * 100.0);
  if (s.graph_padding_share) {
    out += fmt::format("CUDA-graph padding     {:.1f} % of the decode rows computed were dummy rows\n",
                       *s.graph_padding_share * 100.0);
  }
  if (s.goodput_rps) {
    out += fmt::format("goodput                {:.3f} req/s ({:.1f} % of requests met the SLOs)\n",
                       *s.goodput_rps, *s.slo_attainment * 100.0);
  }
  if (s.overloaded) {
    out +=
        "overloaded: the waiting requests grew through the second half of the arrivals by more than 5 % of "
        "them and their random variation; the queue grows without bound at this rate\n";
  }
  return out;
}

std::string requests_csv_header() {
  return "id,arrival_s,first_token_s,finish_s,input_tokens,output_tokens,ttft_s,tpot_s,preemptions\n";
}

std::string requests_csv_row(const serving::RequestRecord& r) {
  const double ttft = r.first_token_s - r.arrival_s;
  const std::string tpot =
      r.output_tokens > 1
          ? format_number((r.finish_s - r.first_token_s) / static_cast<double>(r.output_tokens - 1))
          : std::string();
  return fmt::format("{},{},{},{},{},{},{},{},{}\n", r.id, format_number(r.arrival_s),
                     format_number(r.first_token_s), format_number(r.finish_s), r.input_tokens,
                     r.output_tokens, format_number(ttft), tpot, r.preemptions);
}

std::string timeline_csv_header() {
  return "time_s,replica,running,prefill_tokens,decode_tokens,kv_blocks_used,step_s\n";
}

std::string timeline_csv_row(const serving::StepRecord& s) {
  return fmt::format("{},{},{},{},{},{},{}\n", format_number(s.time_s), s.replica, s.running,
                     s.prefill_tokens, s.decode_tokens, s.kv_blocks_used, format_number(s.step_s));
}

std::string rate_curve_table(const std::vector<serving::RateProbe>& probes, double percentile) {
  std::string out =
      fmt::format("{:>12}{:>14}{:>14}{:>16}  {}\n", "rate req/s", fmt::format("TTFT p{:g}", percentile),
                  fmt::format("TPOT p{:g}", percentile), "output tok/s", "SLOs");
  for (const serving::RateProbe& p : probes) {
    out += fmt::format("{:>12.3f}{:>14}{:>14}{:>16.1f}  {}\n", p.rate_rps, time_text(p.ttft_s),
                       time_text(p.tpot_s), p.output_throughput_tok_s, p.meets ? "met" : "missed");
  }
  return out;
}

std::string rate_curve_json(const std::vector<serving::RateProbe>& probes) {
  std::string out = "[";
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const serving::RateProbe& p = probes[i];
    out += fmt::format(
        "{}\n    {{\"rate_rps\": {}, \"ttft_s\": {}, \"tpot_s\": {}, \"output_throughput_tok_s\": {}, "
        "\"meets\": {}}}",
        i == 0 ? "" : ",", format_number(p.rate_rps), format_number(p.ttft_s), format_number(p.tpot_s),
        format_number(p.output_throughput_tok_s), p.meets ? "true" : "false");
  }
  return out + "\n  ]";
}

std::string rate_curve_csv(const std::vector<serving::RateProbe>& probes, double percentile,
                           std::optional<double> found_rps) {
  std::string out = "rate_rps,percentile,ttft_s,tpot_s,output_throughput_tok_s,meets,found\n";
  for (const serving::RateProbe& p : probes) {
    const bool found = found_rps && p.rate_rps == *found_rps;
    out += fmt::format("{},{},{},{},{},{},{}\n", format_number(p.rate_rps), format_number(percentile),
                       format_number(p.ttft_s), format_number(p.tpot_s),
                       format_number(p.output_throughput_tok_s), p.meets ? "true" : "false",
                       found ? "true" : "false");
  }
  return out;
}

}  // namespace infersim

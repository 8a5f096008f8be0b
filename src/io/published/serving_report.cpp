#include "io/published/serving_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "io/published/report_text.hpp"

namespace infersim {

namespace {

bool is_serving(const PublishedCase& c) { return c.mapping.config && c.mapping.config->load && c.serving; }

// The load as run: a max-rate search shows the rate it found.
std::string run_load(const PublishedCase& c) {
  const ServingLoad& load = *c.mapping.config->load;
  std::string text = load_label(load);
  if (load.kind == LoadKind::max_rate) text += fmt::format(": {:.4g}/s", c.serving->rate_rps);
  return text;
}

std::string rows_table(const std::vector<PublishedCase>& cases) {
  constexpr const char* kRow =
      "{:>4}  {:<28} {:<13} {:<9} {:<9} {:>3} {:>2} {:<20} {:>5} {:>6} {:>5} {:>5} {:<8} {:<5} {:<12} {:>10} "
      "{:>10} {:>8}{}\n";
  std::string out =
      fmt::format(kRow, "line", "source", "model", "hardware", "runtime", "tp", "dp", "load", "seqs",
                  "tokens", "in", "out", "weights", "kv", "metric", "published", "predicted", "error", "");
  for (const PublishedCase& c : cases) {
    if (!is_serving(c)) continue;
    const MappedConfig& m = *c.mapping.config;
    const Scenario& sc = m.scenario;
    const SchedulerLimits& l = c.serving->limits;
    // aN: N attention data-parallel ranks in place of tensor parallelism (core/layout.hpp); NpM: tensor
    // parallelism N over M pipeline stages.
    std::string tp = sc.layout.attention_dp > 1 ? fmt::format("a{}", sc.layout.attention_dp)
                                                : std::to_string(sc.layout.tp);
    if (sc.layout.moe_tp > 1) tp += fmt::format("m{}", sc.layout.moe_tp);
    if (sc.layout.pp > 1) tp += fmt::format("p{}", sc.layout.pp);
    out += fmt::format(kRow, c.row.line, short_source(c.row.source), m.model, m.hardware, m.runtime, tp,
                       sc.layout.dp, run_load(c), l.max_num_seqs, l.max_num_batched_tokens, sc.input_tokens,
                       sc.output_tokens, weights_name(sc.weights), dtype_name(sc.kv),
                       metric_kind_name(m.metric), fmt::format("{:.4g}", m.published),
                       fmt::format("{:.4g}", c.predicted), percent(c.rel_error), c.fitted ? "  (fit)" : "");
  }
  return out;
}

std::string far_off(const std::vector<PublishedCase>& cases, double limit) {
  std::string out;
  for (const PublishedCase& c : cases) {
    if (!is_serving(c) || std::fabs(c.rel_error) <= limit) continue;
    out += fmt::format("  line {:>3} {:>8}  {}\n", c.row.line, percent(c.rel_error),
                       joined_notes(*c.mapping.config));
  }
  return out.empty() ? "  none\n" : out;
}

// The rate a Poisson load offered (or a max-rate search found) as a share of the capacity predicted for
// the same configuration.
std::string offered_share(const PublishedCase& c) {
  return fmt::format("{:.4g}/s = {:.0f}% of the predicted capacity {:.4g}/s", c.serving->rate_rps,
                     100.0 * c.serving->rate_rps / c.serving->capacity_rps, c.serving->capacity_rps);
}

bool has_capacity(const PublishedCase& c) {
  return is_serving(c) && c.serving->capacity_rps > 0.0 && c.serving->rate_rps > 0.0;
}

std::string offered_rows(const std::vector<PublishedCase>& cases) {
  std::string out;
  for (const PublishedCase& c : cases) {
    if (!has_capacity(c)) continue;
    out += fmt::format("  line {:>3}  {:<12} {:>8}  {}\n", c.row.line,
                       metric_kind_name(c.mapping.config->metric), percent(c.rel_error), offered_share(c));
  }
  return out;
}

std::string offered_section(const std::vector<PublishedCase>& cases) {
  const std::string rows = offered_rows(cases);
  if (rows.empty()) return "";
  constexpr const char* kHead =
      "Rows under a Poisson load (a max-rate row: the rate its search found): the rate against the capacity\n"
      "predicted for the same configuration (its offline request throughput, ramp and drain included: a\n"
      "steady load holds a few per cent more). Near 100% the queues, and so TTFT and TPOT, grow steeply\n"
      "with the load: a few per cent of error in the predicted step becomes tens of per cent in them; a\n"
      "share well above 100% of a rate the source sustained says the predicted step is too slow.\n";
  return kHead + rows + "\n";
}

// Names in full: the sources of one submission differ only in the path of their result file.
std::string groups(const std::vector<GroupError>& gs) {
  std::size_t width = 0;
  for (const GroupError& g : gs) width = std::max(width, g.name.size());
  std::string out;
  for (const GroupError& g : gs)
    out += fmt::format("  {:<{}} {:>3} rows  MAPE {:6.1f}%  mean error {:+7.1f}%\n", g.name, width, g.rows,
                       g.mape * 100.0, g.mean_error * 100.0);
  return out;
}

}  // namespace

std::string serving_rows_section(const std::vector<PublishedCase>& cases, double far_off_limit) {
  int rows = 0;
  for (const PublishedCase& c : cases) rows += is_serving(c) ? 1 : 0;
  if (rows == 0) return "";
  return fmt::format(
             "Rows measured under load, through the serving simulator ({}; judged as a group of their own; "
             "load: "
             "offline N\n(every request at t = 0), poisson R/s, or max-rate pP (the highest Poisson rate "
             "whose p-th "
             "percentile TTFT\nand TPOT meet the source's targets: the rate found); seqs, tokens: the "
             "scheduler's "
             "limits; in, out: the\nrequests' mean lengths; tp aN: N attention data-parallel ranks, each "
             "with its own scheduler\n(aNmM: each routed expert's FFN split M ways among them); tp NpM: "
             "tensor parallelism N over M pipeline\nstages; metric: output tokens/s of the whole system, or "
             "mean TTFT or TPOT):\n",
             rows) +
         rows_table(cases) + "\n" +
         fmt::format(
             "Why the serving rows off by more than {:.0f}% are off (the mapping's notes for the row):\n",
             far_off_limit * 100) +
         far_off(cases, far_off_limit) + "\n" + offered_section(cases);
}

std::string serving_groups_section(const PublishedSummary& s) {
  if (s.serving.rows == 0) return "";
  return "Serving rows: MAPE per source:\n" + groups(s.serving_per_source) + "\n" +
         "Serving rows: MAPE per metric:\n" + groups(s.serving_per_metric) + "\n";
}

std::string serving_summary_lines(const PublishedSummary& s, double serving_threshold) {
  if (s.serving.rows == 0) return "";
  return fmt::format(
      "Serving rows MAPE: {:.1f}% over {} rows, mean error {:+.1f}% (their own gate, apart from the rows "
      "above)\n"
      "Exit status: 3 too when the serving rows' MAPE is above --serving-threshold {:g}%: {}\n",
      s.serving.mape * 100.0, s.serving.rows, s.serving.mean_error * 100.0, serving_threshold * 100.0,
      s.serving.mape > serving_threshold ? "above" : "not above");
}

std::string serving_run_text(const PublishedCase& c) {
  if (!is_serving(c)) return "";
  const SchedulerLimits& l = c.serving->limits;
  std::string text = fmt::format(
      "load {}; max_num_seqs {}, max_num_batched_tokens {}, chunked prefill {}, {} KV blocks of {}",
      run_load(c), l.max_num_seqs, l.max_num_batched_tokens, l.chunked_prefill ? "on" : "off",
      c.serving->kv_blocks, l.block_tokens);
  if (has_capacity(c)) text += "; offered " + offered_share(c);
  return text;
}

}  // namespace infersim

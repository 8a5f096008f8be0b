#include "io/published/published_report.hpp"

#include <fmt/format.h>

#include <cmath>

#include "io/published/published_csv.hpp"
#include "io/published/report_text.hpp"
#include "io/published/serving_report.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

const char* met(bool within_target) { return within_target ? "met" : "NOT met"; }

std::string mapped_rows(const std::vector<PublishedCase>& cases) {
  std::string out = fmt::format(
      "{:>4}  {:<28} {:<12} {:<13} {:<9} {:>2} {:>2} {:>4} {:>5} {:>5} {:<8} {:<5} {:<23} {:>10} {:>10} "
      "{:>8}\n",
      "line", "source", "model", "hardware", "runtime", "tp", "pp", "b", "in", "out", "weights", "kv",
      "metric", "published", "predicted", "error");
  for (const PublishedCase& c : cases) {
    if (!c.mapping.config || c.mapping.config->load) continue;
    const MappedConfig& m = *c.mapping.config;
    const Scenario& sc = m.scenario;
    out += fmt::format(
        "{:>4}  {:<28} {:<12} {:<13} {:<9} {:>2} {:>2} {:>4} {:>5} {:>5} {:<8} {:<5} {:<23} {:>10.4g} "
        "{:>10.4g} {:>8}{}{}\n",
        c.row.line, short_source(c.row.source), m.model, m.hardware, m.runtime, sc.layout.tp, sc.layout.pp,
        sc.batch, sc.input_tokens, sc.output_tokens, weights_name(sc.weights), dtype_name(sc.kv),
        metric_kind_name(m.metric), m.published, c.predicted, percent(c.rel_error), c.fitted ? "  (fit)" : "",
        c.fits ? "" : "  (does not fit memory)");
  }
  return out;
}

std::string far_off_rows(const std::vector<PublishedCase>& cases) {
  std::string out;
  for (const PublishedCase& c : cases) {
    if (!c.mapping.config || c.mapping.config->load || std::fabs(c.rel_error) <= kFarOff) continue;
    out += fmt::format("  line {:>3} {:>8}  {}\n", c.row.line, percent(c.rel_error),
                       joined_notes(*c.mapping.config));
  }
  return out.empty() ? "  none\n" : out;
}

std::string unmapped_rows(const std::vector<PublishedCase>& cases) {
  std::string out;
  for (const PublishedCase& c : cases) {
    if (c.mapping.config) continue;
    out += fmt::format("  line {:>3}  {:<28} {}\n", c.row.line, short_source(c.row.source), c.mapping.reason);
  }
  return out;
}

std::string groups(const std::vector<GroupError>& gs, std::size_t width) {
  std::string out;
  for (const GroupError& g : gs) {
    out += fmt::format("  {:<{}} {:>3} rows  MAPE {:6.1f}%\n", g.name.substr(0, width), width, g.rows,
                       g.mape * 100.0);
  }
  return out;
}

std::string fitting(const PublishedMapping& m, const PublishedSummary& s) {
  if (m.fit_subset.empty())
    return "Rows used for fitting: none. No runtime-profile term is fitted to published rows (fit_subset in\n"
           "validation/published/mapping.yaml is empty): every term comes from a cited measurement or is "
           "marked an\n"
           "estimate in runtime_profiles/*.yaml, so every mapped row below is judged. (The kernel-level rows "
           "set the\n"
           "hardware profiles' efficiency factors; they are listed as unmapped.)\n";
  std::string out = fmt::format(
      "Rows used for fitting: the {} mapped rows of these sources (marked (fit), left out of "
      "every MAPE below):\n",
      s.fitted + s.serving_fitted);
  for (const FitSubsetEntry& e : m.fit_subset)
    out += "  " + e.source + (e.lines.empty() ? "" : fmt::format(" (lines {})", fmt::join(e.lines, ", "))) +
           "\n";
  return out;
}

std::string coverage(const PublishedSummary& s) {
  const int serving = s.serving.rows + s.serving_fitted;
  const int mapped = s.mapped + serving;
  const double share = s.total > 0 ? 100.0 * mapped / s.total : 0.0;
  if (s.serving.rows == 0)
    return fmt::format("Coverage: {} of {} rows mapped ({:.0f}%); {} judged, {} used for fitting\n", mapped,
                       s.total, share, s.judged, s.fitted);
  return fmt::format(
      "Coverage: {} of {} rows mapped ({:.0f}%); {} to one configuration ({} judged, {} used for fitting), "
      "{} through the serving simulator ({} judged, {} used for fitting)\n",
      mapped, s.total, share, s.mapped, s.judged, s.fitted, serving, s.serving.rows, s.serving_fitted);
}

}  // namespace

std::string published_table(const std::vector<PublishedCase>& cases, const PublishedSummary& s,
                            const PublishedMapping& mapping, double threshold, double serving_threshold) {
  std::string out =
      "Published end-to-end measurements against Infersim's predictions\n"
      "(validation/published/published_measurements.csv, mapped by validation/published/mapping.yaml;\n"
      "error = predicted / published - 1, in the published metric's own unit)\n\n";
  out += fitting(mapping, s) + "\n";
  out += fmt::format("Mapped rows ({}):\n", s.mapped) + mapped_rows(cases) + "\n";
  out += fmt::format("Why the rows off by more than {:.0f}% are off (the mapping's notes for the row):\n",
                     kFarOff * 100);
  out += far_off_rows(cases) + "\n";
  out += serving_rows_section(cases, kFarOff);
  out += fmt::format("Unmapped rows ({}), with the reason:\n", s.total - s.mapped - s.serving.rows) +
         unmapped_rows(cases) + "\n";
  out += "MAPE per source (judged rows):\n" + groups(s.per_source, 100) + "\n";
  out += "MAPE per metric (judged rows):\n" + groups(s.per_metric, 24) + "\n";
  out += "MAPE per runtime profile (judged rows):\n" + groups(s.per_runtime, 24) + "\n";
  out += serving_groups_section(s);
  out += coverage(s);
  out += fmt::format("Batch-1 decode MAPE: {:.1f}% over {} rows (target <= {:g}%: {})\n",
                     s.batch1_decode.mape * 100.0, s.batch1_decode.rows, kBatch1DecodeTarget * 100.0,
                     met(s.batch1_decode.mape <= kBatch1DecodeTarget));
  out += fmt::format(
      "All judged rows MAPE: {:.1f}% over {} rows (one configuration each, in the published "
      "metric's unit)\n",
      s.mape * 100.0, s.judged);
  out += fmt::format("Exit status: 3 when the all-judged-rows MAPE is above --threshold {:g}%: {}\n",
                     threshold * 100.0, s.mape > threshold ? "above" : "not above");
  out += serving_summary_lines(s, serving_threshold);
  return out;
}

namespace {

// " batch >= 32 (-12.9%); phase TPOT (decode) (+10.2%)\n": the regimes named, one after another.
std::string named_regimes(const std::vector<RegimeError>& leaning) {
  std::string out;
  for (const RegimeError& r : leaning)
    out += fmt::format(" {} {} ({:+.1f}%);", r.axis, r.regime, r.signed_mean * 100.0);
  if (out.empty()) return "\n";
  out.back() = '\n';
  return out;
}

// Whether the regimes of at least `min_rows` rows all lean within kRegimeLeanTarget, naming those that do
// not.
std::string regime_target_line(const std::vector<RegimeError>& regimes, int min_rows) {
  const std::vector<RegimeError> leaning = leaning_regimes(regimes, min_rows, kRegimeLeanTarget);
  const std::string out = fmt::format(
      "Target: every regime of >= {} rows within {:g}% either way: ", min_rows, kRegimeLeanTarget * 100.0);
  return out + (leaning.empty() ? std::string("met\n") : "NOT met by" + named_regimes(leaning));
}

std::string regime_rows(const std::vector<RegimeError>& regimes) {
  std::string out =
      fmt::format("  {:<16} {:<24} {:>5} {:>12} {:>8}\n", "axis", "regime", "rows", "signed mean", "MAPE");
  for (const RegimeError& r : regimes) {
    if (r.rows == 0) {
      out += fmt::format("  {:<16} {:<24} {:>5} {:>12} {:>8}\n", r.axis, r.regime, 0, "-", "-");
    } else {
      out += fmt::format("  {:<16} {:<24} {:>5} {:>11.1f}% {:>7.1f}%\n", r.axis, r.regime, r.rows,
                         r.signed_mean * 100.0, r.mape * 100.0);
    }
  }
  return out;
}

}  // namespace

std::string every_judged_section(const std::vector<RegimeError>& regimes, const RegimeError& all) {
  std::string out =
      "\nEvery judged row, one-configuration and serving together, by regime (time domain, as above; a "
      "serving\nrow's batch is its scheduler's; report only):\n";
  out += regime_rows(regimes);
  out += fmt::format(
      "Every judged row: {} rows, signed mean {:+.1f}%, MAPE {:.1f}% (time domain; target <= {:g}%: {})\n",
      all.rows, all.signed_mean * 100.0, all.mape * 100.0, kEveryJudgedTarget * 100.0,
      met(all.mape <= kEveryJudgedTarget));
  return out;
}

std::string time_class_section(const std::vector<TimeClassError>& groups) {
  // Short column heads for the breakdown's rows, in time_class_name's order.
  static const char* const kHeads[kTimeClasses] = {"GEMMs", "experts", "attention", "eltwise",
                                                   "comm",  "host",    "swaps"};
  std::string out =
      "\nWhere the predicted time goes (every judged row; docs/formulas.md#time_by_class): the rows grouped "
      "by the\nkind of work that takes most of their predicted time, with each kind's mean share of it "
      "(experts: the\nrouted experts' grouped GEMMs; eltwise: norms, activations, rotary, routing, permutes; "
      "comm: collectives\nand pipeline sends; host: the runtime's host terms; report only):\n";
  out += fmt::format("  {:<18} {:>5} {:>12} {:>8}", "mostly in", "rows", "signed mean", "MAPE");
  for (const char* h : kHeads) out += fmt::format(" {:>9}", h);
  out += "\n";
  for (const TimeClassError& g : groups) {
    const std::string name =
        g.time_class < kTimeClasses ? time_class_name(g.time_class) : std::string("every judged row");
    if (g.rows == 0) {
      out += fmt::format("  {:<18} {:>5} {:>12} {:>8}\n", name, 0, "-", "-");
      continue;
    }
    out += fmt::format("  {:<18} {:>5} {:>11.1f}% {:>7.1f}%", name, g.rows, g.signed_mean * 100.0,
                       g.mape * 100.0);
    for (const double x : g.share) out += fmt::format(" {:>8.0f}%", x * 100.0);
    out += "\n";
  }
  return out;
}

std::string regime_section(const std::vector<RegimeError>& regimes, std::optional<double> gate,
                           int gate_rows) {
  std::string out =
      "\nWhere the judged rows lean, by regime (time domain: error < 0 means predicted faster than "
      "measured;\n"
      "a rate's error inverted; speed-up and serving rows apart;";
  out += gate ? fmt::format("\ngate: a regime of >= {} rows leaning beyond {:g}% either way):\n", gate_rows,
                            *gate * 100.0)
              : std::string(" report only, no gate):\n");
  out += regime_rows(regimes);
  out += regime_target_line(regimes, gate_rows);
  if (!gate) return out;
  const std::vector<RegimeError> leaning = leaning_regimes(regimes, gate_rows, *gate);
  if (leaning.empty()) return out + "Exit status: 3 when a regime leans beyond the gate: none does\n";
  return out + "Exit status: 3: these regimes lean beyond the gate:" + named_regimes(leaning);
}

std::string published_csv(const std::vector<PublishedCase>& cases) {
  std::string out =
      std::string(kPublishedCsvHeader) +
      ",line,status,model_config,hardware_profile,runtime,tp,pp,dp,batch,input_tokens,output_tokens,"
      "weights,activations,kv,metric_kind,predicted,rel_error,";
  for (int i = 0; i < kTimeClasses; ++i) out += fmt::format("share_{},", time_class_key(i));
  out += "notes_or_reason\n";
  for (const PublishedCase& c : cases) {
    const PublishedRow& r = c.row;
    for (const std::string_view f : published_row_fields(r)) out += csv_field(f) + ",";
    out += fmt::format("{},", r.line);
    if (!c.mapping.config) {
      out += "unmapped,,,,,,,,,,,,,,,,,,,,,,," + csv_field(c.mapping.reason) + "\n";
      continue;
    }
    const MappedConfig& m = *c.mapping.config;
    const Scenario& sc = m.scenario;
    // A serving row's batch is the scheduler's: its load and limits lead its notes instead.
    const bool serving = m.load.has_value();
    const std::string notes = serving ? serving_run_text(c) + "; " + joined_notes(m) : joined_notes(m);
    // Each breakdown row's share of the predicted time (empty without a breakdown: speed-up rows).
    std::string shares;
    for (int i = 0; i < kTimeClasses; ++i) {
      const std::optional<double> share =
          c.time_by_class ? time_class_share(*c.time_by_class, i) : std::nullopt;
      shares += share ? fmt::format("{:.4f},", *share) : ",";
    }
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}{}\n",
                       c.fitted  ? "fit"
                       : serving ? "serving"
                                 : "judged",
                       csv_field(m.model), csv_field(m.hardware), csv_field(m.runtime), sc.layout.tp,
                       sc.layout.pp, sc.layout.dp, serving ? std::string() : std::to_string(sc.batch),
                       sc.input_tokens, sc.output_tokens, weights_name(sc.weights),
                       dtype_name(sc.activations), dtype_name(sc.kv), metric_kind_name(m.metric), c.predicted,
                       c.rel_error, shares, csv_field(notes));
  }
  return out;
}

}  // namespace infersim

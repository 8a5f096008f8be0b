#include "io/published/row_mapping.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/errors.hpp"

namespace infersim {

namespace {

// A plain non-negative integer, nothing else ("~1024" and "8 not verified" are not).
std::optional<long long> plain_count(const std::string& text) {
  long long v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || text.empty() || v < 0) return std::nullopt;
  return v;
}

std::optional<double> plain_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v) || v <= 0.0) return std::nullopt;
  return v;
}

std::string quoted(const std::string& text) {
  constexpr std::size_t kMax = 60;
  return "'" + (text.size() > kMax ? text.substr(0, kMax) + "..." : text) + "'";
}

template <class Entry>
const Entry* find(const std::map<std::string, Entry>& table, const std::string& key) {
  const auto it = table.find(key);
  return it == table.end() ? nullptr : &it->second;
}

// A row being mapped: the scenario values gathered so far (composed once every field is mapped) and
// the configuration's other parts.
struct RowMapping {
  const PublishedRow& row;
  MappedConfig config;
  ScenarioValues values;                   // batch, lengths, layout, precisions, KV
  std::optional<ScenarioValues> baseline;  // speedup rows: the baseline's precision

  void note(const std::string& text) {
    if (!text.empty()) config.notes.push_back(text);
  }

  // A number the row states exactly, as the scenario value `key`: parsed as estimate parses its flag,
  // so the bound is estimate's.
  void set(ScenarioKey key, long long value) {
    try {
      parse_scenario_value(values, key, std::to_string(value), column_name(key));
    } catch (const InputError& e) {
      throw InputError("published row at line " + std::to_string(row.line) + ": " + e.what());
    }
  }
};

// A length: a plain integer, or a text the lengths table fixes (with its note).
std::optional<long long> length(const std::string& text, const PublishedMapping& m, RowMapping& r) {
  if (auto v = plain_count(text)) return v;
  if (const LengthEntry* e = find(m.lengths, text)) {
    r.note(e->note);
    return e->tokens;
  }
  return std::nullopt;
}

// A serving row's length column: a plain integer (every request that long) or a dataset's distribution.
std::optional<serving::LengthDist> serving_length(const std::string& text, bool input,
                                                  const PublishedMapping& m, RowMapping& r) {
  if (auto v = plain_count(text); v && *v >= 1)
    return serving::LengthDist{serving::LengthDist::Kind::fixed, static_cast<double>(*v), 0.0};
  const DatasetEntry* d = find(m.datasets, text);
  if (!d) return std::nullopt;
  const std::optional<serving::LengthDist>& dist = input ? d->input : d->output;
  const auto& notes = r.config.notes;
  if (dist && std::find(notes.begin(), notes.end(), d->note) == notes.end())
    r.note(d->note);  // once a dataset
  return dist;
}

// A serving row's request lengths; the scenario's are their means.
std::string map_serving_lengths(const PublishedMapping& m, RowMapping& r) {
  const auto input = serving_length(r.row.input_len, true, m, r);
  if (!input) return "input length neither a number nor a dataset's (datasets): " + quoted(r.row.input_len);
  const auto output = serving_length(r.row.output_len, false, m, r);
  if (!output)
    return "output length neither a number nor a dataset's (datasets): " + quoted(r.row.output_len);
  r.config.load->input = *input;
  r.config.load->output = *output;
  r.set(ScenarioKey::input_tokens, mean_tokens(*input));
  r.set(ScenarioKey::output_tokens, mean_tokens(*output));
  return "";
}

// Input and output lengths; a prefill metric does not depend on the output, a decode one from an
// empty context starts from one token.
std::string map_lengths(const PublishedMapping& m, RowMapping& r) {
  if (r.config.load) return map_serving_lengths(m, r);
  const PublishedRow& row = r.row;
  const MetricKind metric = r.config.metric;
  const bool prefill_only = metric == MetricKind::prefill_tok_s || metric == MetricKind::ttft_ms;
  // A prefill rate is a function of the prompt length: an assumed length (the lengths table) would make
  // the row say what the assumption says. A decode rate at batch 1 depends on it only through the KV reads.
  if (prefill_only && !plain_count(row.input_len))
    return "prefill metric with a prompt length not stated exactly (" + quoted(row.input_len) +
           "): the prefill rate depends on it";
  const auto input = length(row.input_len, m, r);
  if (!input) return "input length not stated exactly: " + quoted(row.input_len);
  const auto output = prefill_only ? std::optional<long long>(1) : length(row.output_len, m, r);
  if (!output) return "output length not stated exactly: " + quoted(row.output_len);
  if (prefill_only) r.note("prefill metric: output length not used");
  if (*input == 0) r.note("empty prompt: decode starts from 1 token");
  if (is_decode_metric(metric) && *output < 2) return "a decode metric needs at least 2 output tokens";
  if (*output < 1) return "non-positive lengths";
  r.set(ScenarioKey::input_tokens, std::max(1LL, *input));
  r.set(ScenarioKey::output_tokens, *output);
  return "";
}

std::string map_layout(RowMapping& r) {
  const PublishedRow& row = r.row;
  const auto devices = plain_count(row.num_devices);
  const auto tp = plain_count(row.tp);
  const auto pp = plain_count(row.pp);
  if (!devices || !tp || !pp || *tp < 1 || *pp < 1)
    return "layout not stated exactly (devices " + quoted(row.num_devices) + ", tp " + quoted(row.tp) +
           ", pp " + quoted(row.pp) + ")";
  if (*devices % (*tp * *pp) != 0) return "devices not a multiple of tp x pp";
  r.set(ScenarioKey::tp, *tp);
  r.set(ScenarioKey::pp, *pp);
  r.set(ScenarioKey::dp, *devices / (*tp * *pp));
  return "";
}

std::string map_precisions(const PublishedMapping& m, RowMapping& r) {
  const WeightsEntry* w = find(m.weights, r.row.precision_weights);
  if (!w) return "weight precision not mapped: " + quoted(r.row.precision_weights);
  const KvEntry* kv = find(m.kv, r.row.precision_kv);
  if (!kv) return "KV precision not mapped: " + quoted(r.row.precision_kv);
  overlay(r.values, kv->kv);
  if (r.config.metric == MetricKind::speedup) {
    if (!w->baseline) return "a speedup row needs a weights entry with baseline_weights";
    r.baseline = w->baseline;
  }
  overlay(r.values, w->precision);
  r.note(w->note);
  if (w->kv) {
    overlay(r.values, *w->kv);  // the weights path sets the KV cache's dtype
  } else {
    r.note(kv->note);
  }
  return "";
}

std::string map_names(const PublishedMapping& m, RowMapping& r) {
  const PublishedRow& row = r.row;
  const NamedTarget* model = find(m.models, row.model);
  if (!model) return "model not shipped or not mapped: " + quoted(row.model);
  r.config.model = model->to;
  r.note(model->note);
  const auto batch = plain_count(row.batch);
  const LoadEntry* load = find(m.loads, row.batch);
  if ((!batch || *batch < 1) && !load)
    return "batch not a fixed number (" + quoted(row.batch) + "): the runtime or the load chooses it";
  if (load) {  // the scheduler chooses the batch: the scenario's is one request
    r.config.load = load->load;
    r.note(load->note);
  }
  r.set(ScenarioKey::batch, load ? 1 : *batch);
  if (std::string why = map_lengths(m, r); !why.empty()) return why;
  const NamedTarget* hw = find(m.hardware, row.hardware);
  if (!hw) return "hardware profile not shipped or not mapped: " + quoted(row.hardware);
  r.config.hardware = hw->to;
  r.note(hw->note);
  return "";
}

// The row's mapped fields, or the reason the first one that is not fails.
std::string map_fields(const PublishedMapping& m, RowMapping& r) {
  if (std::string why = map_names(m, r); !why.empty()) return why;
  if (std::string why = map_precisions(m, r); !why.empty()) return why;
  if (std::string why = map_layout(r); !why.empty()) return why;
  const NamedTarget* runtime = find(m.frameworks, r.row.framework);
  if (!runtime) return "framework not mapped to a runtime profile: " + quoted(r.row.framework);
  r.config.runtime = runtime->to;
  r.note(runtime->note);
  if (m.attention_dp_frameworks.contains(r.row.framework)) {  // the tp devices are attention ranks
    r.set(ScenarioKey::attention_dp, r.values.tp.value_or(1));
    if (m.moe_tp_frameworks.contains(r.row.framework)) r.set(ScenarioKey::moe_tp, r.values.tp.value_or(1));
    r.set(ScenarioKey::tp, 1);
  }
  if (r.config.load) {  // the framework's stated limits, for the load's scenario, then the load's
    const auto framework = m.framework_limits.find(r.row.framework);
    r.config.load->limits = limits_under(
        framework != m.framework_limits.end() ? framework->second : FrameworkLimits{}, *r.config.load);
  }
  const auto value = plain_number(r.row.value);
  if (!value) return "value is not one positive number: " + quoted(r.row.value);
  r.config.published = *value;
  return "";
}

}  // namespace

bool in_fit_subset(const std::vector<FitSubsetEntry>& subset, const PublishedRow& row) {
  return std::any_of(subset.begin(), subset.end(), [&row](const FitSubsetEntry& e) {
    return e.source == row.source &&
           (e.lines.empty() || std::find(e.lines.begin(), e.lines.end(), row.line) != e.lines.end());
  });
}

MappingOutcome map_row(const PublishedRow& row, const PublishedMapping& m) {
  const MetricEntry* metric = find(m.metrics, row.metric);
  if (!metric) return {std::nullopt, "metric not mapped: " + quoted(row.metric)};
  if (metric->kind == MetricKind::none) return {std::nullopt, metric->reason};
  RowMapping r{row, {}, {}, {}};
  r.config.metric = metric->kind;
  r.note(metric->note);
  if (std::string why = map_fields(m, r); !why.empty()) return {std::nullopt, why};
  // Runtime terms stay at none: the judge loads the runtime profile the framework names.
  r.config.scenario = compose_scenario(r.values, RuntimeTerms{});
  if (r.baseline) {
    // The same batch, lengths, layout and KV cache at the baseline's precision.
    ScenarioValues base = r.values;
    base.group_size.reset();
    base.scale_bits.reset();
    base.zero_point_bits.reset();
    overlay(base, *r.baseline);
    r.config.baseline = compose_scenario(base, RuntimeTerms{});
  }
  return {std::move(r.config), ""};
}

std::vector<PublishedCase> map_published(const std::vector<PublishedRow>& rows, const PublishedMapping& m) {
  std::vector<PublishedCase> cases;
  cases.reserve(rows.size());
  for (const PublishedRow& row : rows) {
    PublishedCase c;
    c.row = row;
    c.mapping = map_row(row, m);
    c.fitted = in_fit_subset(m.fit_subset, row);
    cases.push_back(std::move(c));
  }
  return cases;
}

}  // namespace infersim

#include "validation/published.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace infersim {

const char* metric_kind_name(MetricKind k) {
  switch (k) {
    case MetricKind::decode_tok_s:
      return "decode_tok_s";
    case MetricKind::prefill_tok_s:
      return "prefill_tok_s";
    case MetricKind::output_tok_s:
      return "output_tok_s";
    case MetricKind::output_tok_s_per_device:
      return "output_tok_s_per_device";
    case MetricKind::tpot_ms:
      return "tpot_ms";
    case MetricKind::ttft_ms:
      return "ttft_ms";
    case MetricKind::speedup:
      return "speedup";
    case MetricKind::none:
      return "none";
  }
  return "none";
}

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

void note(MappedConfig& c, const std::string& text) {
  if (!text.empty()) c.notes.push_back(text);
}

// A length: a plain integer, or a text the lengths table fixes (with its note).
std::optional<long long> length(const std::string& text, const PublishedMapping& m, MappedConfig& c) {
  if (auto v = plain_count(text)) return v;
  if (const LengthEntry* e = find(m.lengths, text)) {
    note(c, e->note);
    return e->tokens;
  }
  return std::nullopt;
}

bool is_decode(MetricKind k) { return k == MetricKind::decode_tok_s || k == MetricKind::tpot_ms; }

// Input and output lengths; a prefill metric does not depend on the output, a decode one from an
// empty context starts from one token.
std::string map_lengths(const PublishedRow& row, const PublishedMapping& m, MappedConfig& c) {
  const bool prefill_only = c.metric == MetricKind::prefill_tok_s || c.metric == MetricKind::ttft_ms;
  // A prefill rate is a function of the prompt length: an assumed length (the lengths table) would make
  // the row say what the assumption says. A decode rate at batch 1 depends on it only through the KV reads.
  if (prefill_only && !plain_count(row.input_len))
    return "prefill metric with a prompt length not stated exactly (" + quoted(row.input_len) +
           "): the prefill rate depends on it";
  const auto input = length(row.input_len, m, c);
  if (!input) return "input length not stated exactly: " + quoted(row.input_len);
  const auto output = prefill_only ? std::optional<long long>(1) : length(row.output_len, m, c);
  if (!output) return "output length not stated exactly: " + quoted(row.output_len);
  if (prefill_only) note(c, "prefill metric: output length not used");
  c.scenario.input_tokens = std::max(1LL, *input);
  if (*input == 0) note(c, "empty prompt: decode starts from 1 token");
  c.scenario.output_tokens = *output;
  if (is_decode(c.metric) && *output < 2) return "a decode metric needs at least 2 output tokens";
  return c.scenario.input_tokens >= 1 && c.scenario.output_tokens >= 1 ? "" : "non-positive lengths";
}

std::string map_layout(const PublishedRow& row, MappedConfig& c) {
  const auto devices = plain_count(row.num_devices);
  const auto tp = plain_count(row.tp);
  const auto pp = plain_count(row.pp);
  if (!devices || !tp || !pp || *tp < 1 || *pp < 1)
    return "layout not stated exactly (devices " + quoted(row.num_devices) + ", tp " + quoted(row.tp) +
           ", pp " + quoted(row.pp) + ")";
  if (*devices % (*tp * *pp) != 0) return "devices not a multiple of tp x pp";
  c.scenario.layout.tp = static_cast<int>(*tp);
  c.scenario.layout.pp = static_cast<int>(*pp);
  c.scenario.layout.dp = static_cast<int>(*devices / (*tp * *pp));
  return "";
}

std::string map_precisions(const PublishedRow& row, const PublishedMapping& m, MappedConfig& c) {
  const WeightsEntry* w = find(m.weights, row.precision_weights);
  if (!w) return "weight precision not mapped: " + quoted(row.precision_weights);
  const KvEntry* kv = find(m.kv, row.precision_kv);
  if (!kv) return "KV precision not mapped: " + quoted(row.precision_kv);
  c.scenario.weights = w->weights;
  c.scenario.activations = w->activations;
  c.scenario.quantize_embeddings = w->quantize_embeddings;
  c.scenario.kv = kv->kv;
  if (c.metric == MetricKind::speedup) {
    if (!w->baseline_weights) return "a speedup row needs a weights entry with baseline_weights";
    Scenario base = c.scenario;
    base.weights = default_storage_format(*w->baseline_weights);
    base.activations = w->baseline_activations;
    base.quantize_embeddings = false;
    c.baseline = base;
  }
  note(c, w->note);
  note(c, kv->note);
  return "";
}

std::string map_names(const PublishedRow& row, const PublishedMapping& m, MappedConfig& c) {
  const NamedTarget* model = find(m.models, row.model);
  if (!model) return "model not shipped or not mapped: " + quoted(row.model);
  c.model = model->to;
  note(c, model->note);
  const auto batch = plain_count(row.batch);
  if (!batch || *batch < 1)
    return "batch not a fixed number (" + quoted(row.batch) + "): the runtime or the load chooses it";
  c.scenario.batch = *batch;
  if (std::string why = map_lengths(row, m, c); !why.empty()) return why;
  const NamedTarget* hw = find(m.hardware, row.hardware);
  if (!hw) return "hardware profile not shipped or not mapped: " + quoted(row.hardware);
  c.hardware = hw->to;
  note(c, hw->note);
  return "";
}

}  // namespace

MappingOutcome map_row(const PublishedRow& row, const PublishedMapping& m) {
  MappingOutcome out;
  const MetricEntry* metric = find(m.metrics, row.metric);
  if (!metric) return {std::nullopt, "metric not mapped: " + quoted(row.metric)};
  if (metric->kind == MetricKind::none) return {std::nullopt, metric->reason};
  MappedConfig c;
  c.metric = metric->kind;
  note(c, metric->note);
  for (auto step : {&map_names, &map_precisions}) {
    if (std::string why = step(row, m, c); !why.empty()) return {std::nullopt, why};
  }
  if (std::string why = map_layout(row, c); !why.empty()) return {std::nullopt, why};
  if (c.baseline) c.baseline->layout = c.scenario.layout;
  const NamedTarget* runtime = find(m.frameworks, row.framework);
  if (!runtime) return {std::nullopt, "framework not mapped to a runtime profile: " + quoted(row.framework)};
  c.runtime = runtime->to;
  note(c, runtime->note);
  const auto value = plain_number(row.value);
  if (!value) return {std::nullopt, "value is not one positive number: " + quoted(row.value)};
  c.published = *value;
  out.config = std::move(c);
  return out;
}

bool in_fit_subset(const std::vector<FitSubsetEntry>& subset, const PublishedRow& row) {
  return std::any_of(subset.begin(), subset.end(), [&row](const FitSubsetEntry& e) {
    return e.source == row.source &&
           (e.lines.empty() || std::find(e.lines.begin(), e.lines.end(), row.line) != e.lines.end());
  });
}

double predicted_metric(MetricKind kind, const Estimate& e, const Scenario& sc) {
  const double replicas_x_batch = static_cast<double>(sc.layout.dp) * static_cast<double>(sc.batch);
  switch (kind) {
    case MetricKind::decode_tok_s:
      return replicas_x_batch / e.tpot_s;
    case MetricKind::prefill_tok_s:
      return replicas_x_batch * static_cast<double>(sc.input_tokens) / e.ttft_s;
    case MetricKind::output_tok_s:
      return e.output_throughput_tok_s;
    case MetricKind::output_tok_s_per_device:
      return e.output_throughput_tok_s / e.devices;
    case MetricKind::tpot_ms:
      return e.tpot_s * 1e3;
    case MetricKind::ttft_ms:
      return e.ttft_s * 1e3;
    case MetricKind::speedup:
    case MetricKind::none:
      break;
  }
  return 0.0;
}

double predicted_speedup(const Estimate& baseline, const Estimate& e) {
  return baseline.e2e_latency_s / e.e2e_latency_s;
}

namespace {

void add_to(std::vector<GroupError>& groups, const std::string& name, double abs_error) {
  auto it =
      std::find_if(groups.begin(), groups.end(), [&name](const GroupError& g) { return g.name == name; });
  if (it == groups.end()) it = groups.insert(groups.end(), GroupError{name, 0, 0.0});
  it->mape += abs_error;  // a sum until finish()
  ++it->rows;
}

void finish(GroupError& g) {
  if (g.rows > 0) g.mape /= g.rows;
}

}  // namespace

PublishedSummary summarize(const std::vector<PublishedCase>& cases) {
  PublishedSummary s;
  s.total = static_cast<int>(cases.size());
  s.batch1_decode.name = "batch-1 decode";
  for (const PublishedCase& c : cases) {
    if (!c.mapping.config) continue;
    ++s.mapped;
    if (c.fitted) {
      ++s.fitted;
      continue;
    }
    const double err = std::fabs(c.rel_error);
    ++s.judged;
    s.mape += err;
    add_to(s.per_source, c.row.source, err);
    add_to(s.per_metric, metric_kind_name(c.mapping.config->metric), err);
    add_to(s.per_runtime, c.mapping.config->runtime, err);
    if (is_decode(c.mapping.config->metric) && c.mapping.config->scenario.batch == 1) {
      s.batch1_decode.mape += err;
      ++s.batch1_decode.rows;
    }
  }
  if (s.judged > 0) s.mape /= s.judged;
  finish(s.batch1_decode);
  for (GroupError& g : s.per_source) finish(g);
  for (GroupError& g : s.per_metric) finish(g);
  for (GroupError& g : s.per_runtime) finish(g);
  return s;
}

}  // namespace infersim

#include "validation/published.hpp"

#include <algorithm>
#include <cmath>

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
    case MetricKind::e2e_latency_s:
      return "e2e_latency_s";
    case MetricKind::speedup:
      return "speedup";
    case MetricKind::none:
      return "none";
  }
  return "none";
}

bool is_decode_metric(MetricKind k) { return k == MetricKind::decode_tok_s || k == MetricKind::tpot_ms; }

double predicted_metric(MetricKind kind, const Estimate& e, const Scenario& sc) {
  const double replicas_x_batch = static_cast<double>(batch_ranks(sc.layout)) * static_cast<double>(sc.batch);
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
    case MetricKind::e2e_latency_s:
      return e.e2e_latency_s;
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

void add_to(GroupError& g, double rel_error) {
  g.mape += std::fabs(rel_error);  // sums until finish()
  g.mean_error += rel_error;
  ++g.rows;
}

void add_to(std::vector<GroupError>& groups, const std::string& name, double rel_error) {
  auto it =
      std::find_if(groups.begin(), groups.end(), [&name](const GroupError& g) { return g.name == name; });
  if (it == groups.end()) it = groups.insert(groups.end(), GroupError{name, 0, 0.0, 0.0});
  add_to(*it, rel_error);
}

void finish(GroupError& g) {
  if (g.rows == 0) return;
  g.mape /= g.rows;
  g.mean_error /= g.rows;
}

}  // namespace

PublishedSummary summarize(const std::vector<PublishedCase>& cases) {
  PublishedSummary s;
  s.total = static_cast<int>(cases.size());
  s.batch1_decode.name = "batch-1 decode";
  for (const PublishedCase& c : cases) {
    if (!c.mapping.config) continue;
    if (c.mapping.config->load) {
      if (c.fitted) {
        ++s.serving_fitted;
        continue;
      }
      add_to(s.serving, c.rel_error);
      add_to(s.serving_per_source, c.row.source, c.rel_error);
      add_to(s.serving_per_metric, metric_kind_name(c.mapping.config->metric), c.rel_error);
      continue;
    }
    ++s.mapped;
    if (c.fitted) {
      ++s.fitted;
      continue;
    }
    ++s.judged;
    s.mape += std::fabs(c.rel_error);
    add_to(s.per_source, c.row.source, c.rel_error);
    add_to(s.per_metric, metric_kind_name(c.mapping.config->metric), c.rel_error);
    add_to(s.per_runtime, c.mapping.config->runtime, c.rel_error);
    if (is_decode_metric(c.mapping.config->metric) && c.mapping.config->scenario.batch == 1)
      add_to(s.batch1_decode, c.rel_error);
  }
  if (s.judged > 0) s.mape /= s.judged;
  finish(s.batch1_decode);
  finish(s.serving);
  for (GroupError& g : s.serving_per_source) finish(g);
  for (GroupError& g : s.serving_per_metric) finish(g);
  for (GroupError& g : s.per_source) finish(g);
  for (GroupError& g : s.per_metric) finish(g);
  for (GroupError& g : s.per_runtime) finish(g);
  return s;
}

}  // namespace infersim

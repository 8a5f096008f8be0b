#include "validation/published_regimes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

namespace infersim {

namespace {

bool is_rate(MetricKind k) {
  return k == MetricKind::decode_tok_s || k == MetricKind::prefill_tok_s || k == MetricKind::output_tok_s ||
         k == MetricKind::output_tok_s_per_device;
}

const char* batch_regime(long long batch) { return batch == 1 ? "1" : batch < 32 ? "2-31" : ">= 32"; }

bool is_narrow(Dtype d) { return bits_per_element(d) <= 8.0; }

const char* phase_regime(MetricKind k) {
  switch (k) {
    case MetricKind::ttft_ms:
    case MetricKind::prefill_tok_s:
      return "TTFT (prefill)";
    case MetricKind::tpot_ms:
    case MetricKind::decode_tok_s:
      return "TPOT (decode)";
    default:
      return "throughput (end to end)";
  }
}

}  // namespace

std::optional<double> time_domain_error(const PublishedCase& c) {
  if (!c.mapping.config) return std::nullopt;
  const MetricKind k = c.mapping.config->metric;
  if (k == MetricKind::speedup || k == MetricKind::none) return std::nullopt;
  if (is_rate(k)) return 1.0 / (1.0 + c.rel_error) - 1.0;
  return c.rel_error;
}

namespace {

bool is_serving(const PublishedCase& c) { return c.mapping.config && c.mapping.config->load; }

// The rows a table takes: judged, with a time-domain error; serving rows only when asked for.
std::optional<double> taken(const PublishedCase& c, RegimeRows rows) {
  if (c.fitted || (is_serving(c) && rows == RegimeRows::one_configuration)) return std::nullopt;
  return time_domain_error(c);
}

// A row's error into a group's sums (a RegimeError or a TimeClassError: rows, signed_mean, mape); mean_of
// turns the sums into the means.
template <class Group>
void accumulate(Group& r, double err) {
  ++r.rows;
  r.signed_mean += err;
  r.mape += std::fabs(err);
}

template <class Group>
void mean_of(Group& r) {
  if (r.rows == 0) return;
  r.signed_mean /= r.rows;
  r.mape /= r.rows;
}

}  // namespace

RegimeError all_judged_error(const std::vector<PublishedCase>& cases) {
  RegimeError all{"all", "every judged row"};
  for (const PublishedCase& c : cases) {
    if (const std::optional<double> err = taken(c, RegimeRows::every_judged)) accumulate(all, *err);
  }
  mean_of(all);
  return all;
}

std::vector<RegimeError> regime_errors(const std::vector<PublishedCase>& cases,
                                       const std::function<bool(const std::string&)>& is_moe,
                                       RegimeRows rows) {
  std::vector<RegimeError> out = {
      {"batch", "1"},
      {"batch", "2-31"},
      {"batch", ">= 32"},
      {"precision", "16-bit"},
      {"precision", "8-bit or narrower"},
      {"experts", "dense"},
      {"experts", "MoE"},
      {"tensor parallel", "tp 1"},
      {"tensor parallel", "tp > 1"},
      {"phase", "TTFT (prefill)"},
      {"phase", "TPOT (decode)"},
      {"phase", "throughput (end to end)"},
  };
  if (rows == RegimeRows::every_judged) {
    out.insert(out.begin() + 3, {"batch", "scheduler's (serving)"});
    // Pipeline stages, beside tensor parallelism: report only, not one of the gated table's regimes.
    const auto after_tp = std::find_if(out.begin(), out.end(),
                                       [](const RegimeError& r) {
                                         return r.axis == "tensor parallel" && r.regime == "tp > 1";
                                       }) +
                          1;
    out.insert(after_tp, {{"pipeline", "pp 1"}, {"pipeline", "pp > 1"}});
  }
  const auto add = [&out](const char* axis, const std::string& regime, double err) {
    for (RegimeError& r : out) {
      if (r.axis == axis && r.regime == regime) accumulate(r, err);
    }
  };
  // The every-judged table also groups the rows by hardware profile, one regime per profile in name order.
  std::map<std::string, RegimeError> devices;
  for (const PublishedCase& c : cases) {
    const std::optional<double> err = taken(c, rows);
    if (!err) continue;
    const MappedConfig& m = *c.mapping.config;
    const Scenario& sc = m.scenario;
    add("batch", is_serving(c) ? "scheduler's (serving)" : batch_regime(sc.batch), *err);
    add("precision",
        is_narrow(sc.weights.dtype) || is_narrow(sc.activations) ? "8-bit or narrower" : "16-bit", *err);
    add("experts", is_moe(m.model) ? "MoE" : "dense", *err);
    // Attention data-parallel ranks split the model's experts as tensor parallelism does: a run over
    // them stays in the multi-device regime it was in.
    add("tensor parallel", sc.layout.tp * sc.layout.attention_dp == 1 ? "tp 1" : "tp > 1", *err);
    add("phase", phase_regime(m.metric), *err);
    if (rows == RegimeRows::every_judged) {
      add("pipeline", sc.layout.pp == 1 ? "pp 1" : "pp > 1", *err);
      accumulate(devices.try_emplace(m.hardware, RegimeError{"device", m.hardware}).first->second, *err);
    }
  }
  for (const auto& device : devices) out.push_back(device.second);
  for (RegimeError& r : out) mean_of(r);
  return out;
}

std::vector<TimeClassError> time_class_errors(const std::vector<PublishedCase>& cases) {
  std::vector<TimeClassError> out(kTimeClasses + 1);
  for (int i = 0; i <= kTimeClasses; ++i) out[static_cast<std::size_t>(i)].time_class = i;
  const auto add = [](TimeClassError& g, double err, const TimeByClass& t) {
    accumulate(g, err);
    for (int i = 0; i < kTimeClasses; ++i)
      g.share[static_cast<std::size_t>(i)] += time_class_share(t, i).value_or(0.0);
  };
  for (const PublishedCase& c : cases) {
    const std::optional<double> err = taken(c, RegimeRows::every_judged);
    if (!err || !c.time_by_class) continue;
    const std::optional<int> most = dominant_class(*c.time_by_class);
    if (!most) continue;
    add(out[static_cast<std::size_t>(*most)], *err, *c.time_by_class);
    add(out.back(), *err, *c.time_by_class);
  }
  for (TimeClassError& g : out) {
    if (g.rows == 0) continue;
    mean_of(g);
    for (double& x : g.share) x /= g.rows;
  }
  return out;
}

std::vector<RegimeError> leaning_regimes(const std::vector<RegimeError>& regimes, int min_rows,
                                         double max_lean) {
  std::vector<RegimeError> out;
  for (const RegimeError& r : regimes) {
    if (r.rows >= min_rows && std::fabs(r.signed_mean) > max_lean) out.push_back(r);
  }
  return out;
}

}  // namespace infersim

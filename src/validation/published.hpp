#pragma once
// Published end-to-end measurements against the engine (the validation suite, `infersim validate
// --published`). A row of validation/published/published_measurements.csv maps to one exact configuration
// only through the explicit tables of validation/published/mapping.yaml (PublishedMapping): every string that
// matters (model, hardware, framework, precisions, lengths, metric) must be listed there, else the row stays
// unmapped with the reason. Pure: the loaders live in io/, the judging loop in
// validation/published_judge.hpp.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/estimate.hpp"

namespace infersim {

// Published rows a runtime-profile term was fitted on: every row of `source`, or only its `lines`.
struct FitSubsetEntry {
  std::string source;
  std::vector<int> lines;  // empty: the whole source
};

// One line of the published CSV, every field as written.
struct PublishedRow {
  int line = 0;  // 1-based line in the file
  std::string source, hardware, num_devices, tp, pp, framework, model, precision_weights, precision_kv, batch,
      input_len, output_len, metric, value, unit, notes;
};

// Whether the row is in the fit subset.
[[nodiscard]] bool in_fit_subset(const std::vector<FitSubsetEntry>& subset, const PublishedRow& row);

// What a published number measures, in the unit it is published in.
enum class MetricKind {
  decode_tok_s,             // batch / TPOT: tokens per second per sequence times the batch
  prefill_tok_s,            // batch * input / TTFT
  output_tok_s,             // batch * output / end-to-end latency (static batch), all replicas
  output_tok_s_per_device,  // the same divided by the devices
  tpot_ms,
  ttft_ms,
  speedup,  // end-to-end time of the baseline precision / that of the row's precision, same configuration
  none,     // not comparable with one configuration (the entry's reason says why)
};

[[nodiscard]] const char* metric_kind_name(MetricKind k);

// A mapping-table entry naming a shipped file (model config, hardware profile, runtime profile).
struct NamedTarget {
  std::string to;
  std::string note;  // an assumption or a caveat, printed with the rows that use it
};

struct WeightsEntry {
  StorageFormat weights;
  Dtype activations = Dtype::bf16;
  bool quantize_embeddings = false;
  std::optional<Dtype> baseline_weights;  // a "X vs Y" row: the precision the speedup is against
  Dtype baseline_activations = Dtype::bf16;
  std::string note;
};

struct KvEntry {
  Dtype kv = Dtype::bf16;
  std::string note;
};

struct MetricEntry {
  MetricKind kind = MetricKind::none;
  std::string reason;  // for kind none: why no configuration reproduces it
  std::string note;
};

struct LengthEntry {
  long long tokens = 0;
  std::string note;
};

struct PublishedMapping {
  std::map<std::string, NamedTarget> models, hardware, frameworks;  // published text -> shipped name
  std::map<std::string, WeightsEntry> weights;                      // precision_weights text
  std::map<std::string, KvEntry> kv;                                // precision_kv text
  std::map<std::string, MetricEntry> metrics;
  std::map<std::string, LengthEntry> lengths;  // length texts that are not plain integers
  std::vector<FitSubsetEntry> fit_subset;      // rows a runtime term was fitted on
};

struct MappedConfig {
  std::string model, hardware, runtime;  // shipped names, resolved by the caller
  Scenario scenario;                     // runtime terms left at none: the caller loads them
  std::optional<Scenario> baseline;      // speedup rows: the same configuration at the baseline precision
  MetricKind metric = MetricKind::none;
  double published = 0.0;
  std::vector<std::string> notes;  // the notes of every table entry used
};

struct MappingOutcome {
  std::optional<MappedConfig> config;
  std::string reason;  // when not mapped
};

// Maps one row, or says why it cannot: the first missing or non-exact field, in the order metric,
// model, batch, lengths, hardware, layout, precisions, framework, value.
[[nodiscard]] MappingOutcome map_row(const PublishedRow& row, const PublishedMapping& mapping);

// The engine's figure for `kind`, in the published unit (see MetricKind); not for speedup.
[[nodiscard]] double predicted_metric(MetricKind kind, const Estimate& e, const Scenario& sc);
// Speedup of a precision over its baseline, same batch and lengths: t_e2e(baseline) / t_e2e(row).
[[nodiscard]] double predicted_speedup(const Estimate& baseline, const Estimate& e);

struct PublishedCase {
  PublishedRow row;
  MappingOutcome mapping;
  bool fitted = false;     // in the fit subset: judged apart from the rest
  double predicted = 0.0;  // when mapped
  double rel_error = 0.0;  // predicted / published - 1
  bool fits = true;        // the configuration fits the device's memory
};

struct GroupError {
  std::string name;
  int rows = 0;
  double mape = 0.0;
};

struct PublishedSummary {
  int total = 0;
  int mapped = 0;
  int fitted = 0;  // mapped rows in the fit subset
  int judged = 0;  // mapped rows not in the fit subset: every figure below is over these
  double mape = 0.0;
  GroupError batch1_decode;  // decode_tok_s and tpot_ms rows at batch 1
  std::vector<GroupError> per_source;
  std::vector<GroupError> per_metric;
  std::vector<GroupError> per_runtime;
};

[[nodiscard]] PublishedSummary summarize(const std::vector<PublishedCase>& cases);

}  // namespace infersim

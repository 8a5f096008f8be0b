#pragma once
// Published end-to-end measurements against the engine (the validation suite, `infersim validate
// --published`). A row of validation/published/published_measurements.csv maps to one exact configuration
// only through the explicit tables of validation/published/mapping.yaml: every string that matters
// (model, hardware, framework, precisions, lengths, metric) must be listed there, else the row stays
// unmapped with the reason. That mapping is text to a scenario, so it lives in io/
// (io/published/row_mapping.hpp); here are its results, the engine's figure in the published unit, and
// the summary. Pure: the judging loop is validation/published_judge.hpp.
#include <optional>
#include <string>
#include <vector>

#include "core/estimate.hpp"
#include "core/time_by_class.hpp"
#include "validation/published_serving.hpp"

namespace infersim {

// One line of the published CSV, every field as written.
struct PublishedRow {
  int line = 0;  // 1-based line in the file
  std::string source, hardware, num_devices, tp, pp, framework, model, precision_weights, precision_kv, batch,
      input_len, output_len, metric, value, unit, notes;
};

// What a published number measures, in the unit it is published in.
enum class MetricKind {
  decode_tok_s,             // batch / TPOT: tokens per second per sequence times the batch
  prefill_tok_s,            // batch * input / TTFT
  output_tok_s,             // batch * output / end-to-end latency (static batch), all replicas
  output_tok_s_per_device,  // the same divided by the devices
  tpot_ms,
  ttft_ms,
  e2e_latency_s,  // one static batch's whole run (prefill and every decode step), seconds
  speedup,  // end-to-end time of the baseline precision / that of the row's precision, same configuration
  none,     // not comparable with one configuration (the entry's reason says why)
};

[[nodiscard]] const char* metric_kind_name(MetricKind k);
// decode_tok_s and tpot_ms: the metrics of the decode steps alone.
[[nodiscard]] bool is_decode_metric(MetricKind k);

struct MappedConfig {
  std::string model, hardware, runtime;  // shipped names, resolved by the caller
  Scenario scenario;                     // runtime terms left at none: the caller loads them
  std::optional<Scenario> baseline;      // speedup rows: the same configuration at the baseline precision
  // Rows measured under a load the runtime batches: run through the serving simulator
  // (validation/published_serving.hpp) and judged as a group of their own; the scenario's batch is 1
  // and its lengths the requests' mean.
  std::optional<ServingLoad> load;
  MetricKind metric = MetricKind::none;
  double published = 0.0;
  std::vector<std::string> notes;  // the notes of every table entry used
};

struct MappingOutcome {
  std::optional<MappedConfig> config;
  std::string reason;  // when not mapped
};

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
  // A serving row's run: the scheduler limits, KV blocks per replica, Poisson rate and capacity it used.
  std::optional<ServingPrediction> serving;
  // Where the predicted time goes (docs/formulas.md#time_by_class): the serving run's iterations, or the
  // span of the estimate the metric times (prefill, a decode step, the request); none for speed-ups.
  std::optional<TimeByClass> time_by_class;
};

struct GroupError {
  std::string name;
  int rows = 0;
  double mape = 0.0;
  double mean_error = 0.0;  // the mean signed rel_error: which way the group leans
};

struct PublishedSummary {
  int total = 0;
  int mapped = 0;  // to one configuration (estimate); the serving rows are counted in serving.rows
  int fitted = 0;  // mapped rows in the fit subset
  int judged = 0;  // mapped rows not in the fit subset: every figure below is over these
  double mape = 0.0;
  GroupError batch1_decode;  // decode_tok_s and tpot_ms rows at batch 1
  std::vector<GroupError> per_source;
  std::vector<GroupError> per_metric;
  std::vector<GroupError> per_runtime;
  // The rows run through the serving simulator, judged apart from every figure above (their own MAPE
  // and threshold): all of them, and per source and per metric.
  GroupError serving{"serving", 0, 0.0, 0.0};
  int serving_fitted = 0;  // serving rows in the fit subset, left out of serving
  std::vector<GroupError> serving_per_source;
  std::vector<GroupError> serving_per_metric;
};

[[nodiscard]] PublishedSummary summarize(const std::vector<PublishedCase>& cases);

}  // namespace infersim

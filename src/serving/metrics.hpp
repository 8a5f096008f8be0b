#pragma once
// The summary of a serving run, as vLLM's benchmark_serving.py defines its metrics: the simulator
// reports each finished request, each iteration and each preemption or rejection, and the collector
// keeps streaming histograms, so memory stays flat in the number of requests. Every key and its
// definition: docs/output-keys.md, section serve.
#include <optional>

#include "serving/histogram.hpp"

namespace infersim::serving {

// One finished request, times in seconds from the start of the run.
struct RequestRecord {
  long long id = 0;
  double arrival_s = 0.0;
  double first_scheduled_s = 0.0;  // the start of the first iteration that ran any of its prefill
  double first_token_s = 0.0;      // when its first output token was produced (the end of its prefill)
  double finish_s = 0.0;           // when its last output token was produced
  long long input_tokens = 0;
  long long output_tokens = 0;
  long long preemptions = 0;
};

struct ServeSummary {
  long long requests = 0;  // completed
  double duration_s = 0.0;
  double request_throughput_rps = 0.0;
  double output_throughput_tok_s = 0.0;
  double total_throughput_tok_s = 0.0;
  double ttft_mean_s = 0.0, ttft_p50_s = 0.0, ttft_p90_s = 0.0, ttft_p99_s = 0.0;
  double tpot_mean_s = 0.0, tpot_p50_s = 0.0, tpot_p90_s = 0.0, tpot_p99_s = 0.0;
  double itl_mean_s = 0.0, itl_p50_s = 0.0, itl_p90_s = 0.0, itl_p99_s = 0.0;
  double e2e_mean_s = 0.0, e2e_p50_s = 0.0, e2e_p90_s = 0.0, e2e_p99_s = 0.0;
  // TTFT and TPOT at the targets' percentile (SloTargets::percentile: the one a max-rate search holds to).
  double slo_percentile = 99.0, ttft_at_slo_percentile_s = 0.0, tpot_at_slo_percentile_s = 0.0;
  double queue_mean_s = 0.0;
  double batch_mean = 0.0;
  long long batch_max = 0;
  long long kv_blocks_total = 0;  // of one replica; under pipeline parallelism of each virtual engine
  int virtual_engines = 1;        // a replica's: its pipeline stages (the text report's own)
  int devices = 1;                // the deployment's: replicas x each replica's tp x pp devices
  double kv_utilization_peak = 0.0;
  long long preemptions = 0;
  long long rejected = 0;
  bool overloaded = false;  // queue_grows() over the arrival window's second half
  // Present when a TTFT or TPOT target was given: finished requests meeting every target given, per
  // second of duration_s, and as a share of all requests, finished or rejected.
  std::optional<double> goodput_rps;
  std::optional<double> slo_attainment;
  // Present when the runtime pads decode batches to CUDA graphs: of the decode rows computed, the share that
  // were dummy rows (docs/formulas.md#cuda_graph_padding).
  std::optional<double> graph_padding_share;
};

// The output throughput of each of the deployment's devices (trtllm-bench's "Per GPU Output Throughput").
[[nodiscard]] inline double output_throughput_per_device_tok_s(const ServeSummary& s) {
  return s.output_throughput_tok_s / s.devices;
}

// Whether the requests waiting (arrived, not yet scheduled) grew over part of the arrival window by more
// than a server that keeps up allows: `waiting_end - waiting_start` above 5 % of the `arrivals` in it
// plus two standard deviations of that difference, taking the two counts as independent Poisson variables
// (variance waiting_start + waiting_end). docs/formulas.md#overload_test
[[nodiscard]] bool queue_grows(double arrivals, double waiting_start, double waiting_end);

// Latency targets in seconds; a request meets them when it meets every one given.
struct SloTargets {
  std::optional<double> ttft_s;
  std::optional<double> tpot_s;
  // The percentile of TTFT and of TPOT a run is held to (MLPerf Server: 99), in (0, 100]; the summary
  // reports both at it.
  double percentile = 99.0;

  friend bool operator==(const SloTargets&, const SloTargets&) = default;
};

class MetricsCollector {
 public:
  // The targets and the percentile (slo.percentile, in (0, 100]) that percentile_slo_met() checks
  // (MLPerf Server's rule); std::invalid_argument for a percentile outside it.
  explicit MetricsCollector(SloTargets slo);

  // Contract for the callers below: times finite, >= 0 and in order (arrival <= first scheduled <=
  // first token <= finish), token counts >= 1; std::invalid_argument otherwise (a simulator bug).
  // TTFT = first_token - arrival; e2e = finish - arrival; queue = first_scheduled - arrival;
  // TPOT = (e2e - TTFT) / (output - 1), left out for a single output token.
  void on_request_done(const RequestRecord& r);
  // ITL: `count` gaps of `gap_s` between consecutive tokens (every decode row of one iteration).
  void on_token_gaps(double gap_s, long long count);
  void on_rejected();
  void on_preemption();
  // One iteration of one replica: its length and the sequences it ran, the KV blocks in use in it.
  void on_step(double start_s, double step_s, long long running, long long kv_blocks_used);
  // Under CUDA-graph padding, one iteration's decode rows: the real ones and the dummy rows its graph adds.
  void on_graph_rows(long long decode_rows, long long padding_rows);

  // kv_blocks_total: the KV blocks of one replica; arrival_window_end_s: the last arrival;
  // offered_rate_rps: the arrival rate asked for, 0 where there is none (offline, closed loop: then
  // overloaded is false); otherwise overloaded is queue_grows() over the second half of the window.
  [[nodiscard]] ServeSummary summary(long long kv_blocks_total, double arrival_window_end_s,
                                     double offered_rate_rps) const;

  // Whether the percentile_for_slo-th percentile of TTFT and of TPOT each meets its given target
  // (true for a target not given, or with no request measured for it).
  [[nodiscard]] bool percentile_slo_met() const;

  [[nodiscard]] const Histogram& ttft() const { return ttft_; }
  [[nodiscard]] const Histogram& tpot() const { return tpot_; }
  [[nodiscard]] const Histogram& itl() const { return itl_; }
  [[nodiscard]] const Histogram& e2e() const { return e2e_; }

 private:
  SloTargets slo_;
  double percentile_for_slo_;
  Histogram ttft_, tpot_, itl_, e2e_;
  double queue_sum_s_ = 0.0;
  long long completed_ = 0;
  long long met_slo_ = 0;
  long long rejected_ = 0;
  long long preemptions_ = 0;
  double input_tokens_ = 0.0;
  double output_tokens_ = 0.0;
  double first_arrival_s_ = 0.0;
  double last_finish_s_ = 0.0;
  // The requests waiting during the arrival window are counted only in summary(), when its end is
  // known: the arrival and first-scheduled times are kept in histograms (O(1) in the request count, exact
  // but within 0.05 % of the instants counted at).
  Histogram arrival_times_, scheduled_times_;
  double busy_s_ = 0.0;
  double running_time_ = 0.0;  // sum of running x step_s
  long long batch_max_ = 0;
  long long kv_blocks_peak_ = 0;
  bool graph_padding_ = false;  // on_graph_rows was called
  double graph_rows_ = 0.0;     // decode rows computed under padding, dummies included
  double padding_rows_ = 0.0;
};

}  // namespace infersim::serving

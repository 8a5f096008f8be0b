#pragma once
// Published rows measured under a load the runtime batches: offline max-load throughput (trtllm-bench),
// MLPerf Offline and Server, serving benchmarks. The row's configuration runs through the serving
// simulator (serving/simulator.hpp) with the load, the request lengths and the scheduler limits its
// source states, and the simulator's figure is the prediction (docs/formulas.md#published_serving).
// Pure: the loads and lengths arrive as data from io/published/row_mapping.hpp.
#include <optional>
#include <string>
#include <vector>

#include "core/hardware_spec.hpp"
#include "core/model_spec.hpp"
#include "core/runtime_profile.hpp"
#include "core/scenario.hpp"
#include "core/time_by_class.hpp"
#include "serving/metrics.hpp"
#include "serving/workload.hpp"

namespace infersim {

// Scheduler limits a source states, laid over the runtime profile's scheduler (absent: the profile's).
struct SchedulerOverrides {
  std::optional<long long> max_num_seqs;
  std::optional<long long> max_num_batched_tokens;
  std::optional<bool> chunked_prefill;
  // The admission policy: true, a request only when its whole sequence's blocks are free (TensorRT-LLM's
  // GUARANTEED_NO_EVICT); false, while the next step's blocks fit, pausing the newest when they run out
  // (its MAX_UTILIZATION, vLLM's on-demand blocks). The scheduler's reserve_full_sequence.
  std::optional<bool> reserve_full_sequence;
  // TensorRT-LLM's kv_cache_free_gpu_mem_fraction: the share of the memory left after the weights, a
  // step's activations and the runtime reserve that holds the KV cache; absent: the hardware profile's
  // usable fraction of the whole memory (vLLM's gpu_memory_utilization).
  std::optional<double> kv_free_fraction;
  // vLLM's gpu_memory_utilization: the share of each device's whole memory the engine may use (weights,
  // activations, reserve and KV cache together), in place of the hardware profile's usable fraction.
  // Setting it clears kv_free_fraction and the other way round: a source sizes its cache one way.
  std::optional<double> memory_fraction;
  // A static cache of this many tokens per decode slot (JetStream): the scheduler's static_cache_tokens,
  // which also sizes the cache (max_num_seqs x this).
  std::optional<long long> static_cache_tokens;
  // The CUDA-graph batch sizes the source's runtime pads a decode batch to: the scheduler's
  // graph_padding_sizes (docs/formulas.md#cuda_graph_padding).
  std::optional<std::vector<long long>> graph_padding_sizes;
  // A harness that batches the requests before the engine sees them (serving/harness_batcher.hpp).
  std::optional<serving::HarnessBatcherSpec> harness_batcher;
  // max_num_seqs and max_num_batched_tokens as trtllm-bench derives them (trtllm_bench_limits).
  bool trtllm_bench = false;

  friend bool operator==(const SchedulerOverrides&, const SchedulerOverrides&) = default;
};

// `over`'s given values replace `base`'s.
void overlay(SchedulerOverrides& base, const SchedulerOverrides& over);

// A framework entry's limits: those for every load, then those its source states for one scenario only
// (an MLPerf harness runs Offline and Server with different settings).
struct FrameworkLimits {
  SchedulerOverrides all;
  SchedulerOverrides offline;  // offline loads
  SchedulerOverrides server;   // poisson and max_rate loads
};

enum class LoadKind {
  offline,   // every request at t = 0 (trtllm-bench throughput, MLPerf Offline)
  poisson,   // Poisson arrivals at rate_rps (MLPerf Server at its target QPS)
  max_rate,  // the highest Poisson rate whose percentile TTFT and TPOT meet the targets (MLPerf Server)
};

struct ServingLoad {
  LoadKind kind = LoadKind::offline;
  long long requests = 1;
  double rate_rps = 0.0;     // poisson
  double percentile = 99.0;  // max_rate
  serving::SloTargets slo;   // max_rate
  serving::LengthDist input{serving::LengthDist::Kind::fixed, 1.0, 0.0};
  serving::LengthDist output{serving::LengthDist::Kind::fixed, 1.0, 0.0};
  SchedulerOverrides limits;  // the framework's, then the load's
  // Poisson and max_rate: every run issues at least rate x min_duration_s requests (MLPerf's minimum
  // duration of a performance run, the log's min_duration); 0: `requests` alone.
  double min_duration_s = 0.0;

  friend bool operator==(const ServingLoad&, const ServingLoad&) = default;
};

// The limits a load runs under: the framework's for every load, its own for the load's scenario, then the
// load's own.
[[nodiscard]] SchedulerOverrides limits_under(const FrameworkLimits& framework, const ServingLoad& load);

// "offline 30000", "poisson 75/s", "max-rate p99" for the report.
[[nodiscard]] std::string load_label(const ServingLoad& load);

// trtllm-bench's choice of max_batch_size and max_num_tokens when none is given
// (docs/formulas.md#trtllm_bench_limits).
struct TrtllmBenchInput {
  double params = 0.0;        // the model's parameters
  double weight_bytes = 2.0;  // per parameter: 1 for fp8, 0.5 for nvfp4, else 2
  double kv_bytes = 2.0;      // per KV element: 1 for fp8, else 2
  int layers = 0, kv_heads = 0, head_dim = 0;
  int tp = 1, pp = 1;
  double device_memory_GiB = 0.0;  // each device's total memory
  double mean_input = 0.0, mean_output = 0.0;
  long long max_input = 0;
  double kv_free_fraction = 0.9;
};
struct TrtllmBenchLimits {
  long long max_batch_size = 0;
  long long max_num_tokens = 0;
};
[[nodiscard]] TrtllmBenchLimits trtllm_bench_limits(const TrtllmBenchInput& in);

// What a serving row's run predicts: the figure in the metric's unit (output_tok_s: output tokens per
// second of the whole system; output_tok_s_per_device: that over the layout's devices; ttft_ms, tpot_ms:
// the mean), or why the run cannot be made.
struct ServingPrediction {
  std::optional<double> value;
  std::string reason;       // when no value
  SchedulerLimits limits;   // the limits the run used
  long long kv_blocks = 0;  // per replica
  double rate_rps = 0.0;    // the Poisson rate run (max_rate: the one found)
  // Poisson and max_rate loads: the request throughput of the same configuration offline (every request
  // at t = 0, ramp and drain included), the scale a rate is read against; 0 for an offline load.
  double capacity_rps = 0.0;
  serving::ServeSummary summary;
  TimeByClass time_by_class;  // where that run's iterations spent their time
};

// output_tok_s_per_device: the whole system's output tokens per second over its devices (trtllm-bench's
// "Per GPU Output Throughput").
enum class ServingMetric { output_tok_s, output_tok_s_per_device, ttft_ms, tpot_ms };

// A run's figure in the metric's unit (output tokens per second, of the whole system or per device of its
// devices; ms for the mean TTFT and TPOT).
[[nodiscard]] double serving_metric_value(const serving::ServeSummary& s, ServingMetric metric);

// Runs `load` through `dp` replicas of the configuration `sc` (its runtime terms set) with `profile`'s
// scheduler overlaid by the load's limits.
[[nodiscard]] ServingPrediction predict_serving(const ModelSpec& model, const HardwareSpec& hw,
                                                const RuntimeProfile& profile, const Scenario& sc,
                                                const ServingLoad& load, ServingMetric metric);

}  // namespace infersim

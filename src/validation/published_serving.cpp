#include "validation/published_serving.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/errors.hpp"
#include "core/formulas/params.hpp"
#include "core/step.hpp"
#include "serving/max_rate.hpp"
#include "serving/simulator.hpp"

namespace infersim {

void overlay(SchedulerOverrides& base, const SchedulerOverrides& over) {
  if (over.max_num_seqs) base.max_num_seqs = over.max_num_seqs;
  if (over.max_num_batched_tokens) base.max_num_batched_tokens = over.max_num_batched_tokens;
  if (over.chunked_prefill) base.chunked_prefill = over.chunked_prefill;
  if (over.reserve_full_sequence) base.reserve_full_sequence = over.reserve_full_sequence;
  if (over.kv_free_fraction) {
    base.kv_free_fraction = over.kv_free_fraction;
    base.memory_fraction.reset();
  }
  if (over.memory_fraction) {
    base.memory_fraction = over.memory_fraction;
    base.kv_free_fraction.reset();
  }
  if (over.static_cache_tokens) base.static_cache_tokens = over.static_cache_tokens;
  if (over.graph_padding_sizes) base.graph_padding_sizes = over.graph_padding_sizes;
  if (over.harness_batcher) base.harness_batcher = over.harness_batcher;
  base.trtllm_bench = base.trtllm_bench || over.trtllm_bench;
}

SchedulerOverrides limits_under(const FrameworkLimits& framework, const ServingLoad& load) {
  SchedulerOverrides limits = framework.all;
  overlay(limits, load.kind == LoadKind::offline ? framework.offline : framework.server);
  overlay(limits, load.limits);
  return limits;
}

std::string load_label(const ServingLoad& load) {
  switch (load.kind) {
    case LoadKind::offline:
      return "offline " + std::to_string(load.requests);
    case LoadKind::poisson: {
      std::string rate = std::to_string(load.rate_rps);
      rate.erase(rate.find_last_not_of('0') + 1);
      if (rate.back() == '.') rate.pop_back();
      return "poisson " + rate + "/s";
    }
    case LoadKind::max_rate:
      return "max-rate p" + std::to_string(static_cast<int>(load.percentile));
  }
  return "";
}

// Source: NVIDIA/TensorRT-LLM tensorrt_llm/bench/build/tuning.py @ 04cba882 (calc_engine_setting,
// finetune_setting) and tensorrt_llm/bench/benchmark/utils/general.py @ 0171265e (get_settings: without
// chunked prefill, max_num_tokens is raised to max ISL + max_batch_size).
TrtllmBenchLimits trtllm_bench_limits(const TrtllmBenchInput& in) {
  constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
  const double kv_heads = std::max(in.tp, in.kv_heads);
  const double per_token_GiB = 2.0 * in.layers * kv_heads * in.head_dim * in.kv_bytes / kGiB;
  const double engine_GiB = in.params * in.weight_bytes / kGiB;
  const double cache_GiB = (in.device_memory_GiB * in.tp * in.pp - engine_GiB) * in.kv_free_fraction;
  const double max_requests = cache_GiB / (per_token_GiB * (in.mean_input + in.mean_output));
  const double raw_bs = std::min(max_requests, 4096.0) / in.pp;
  const double raw_tokens = std::min(raw_bs * (1.0 + in.mean_input / in.mean_output), 32768.0);
  const auto up = [](double x, double step) { return static_cast<long long>(step * std::ceil(x / step)); };
  TrtllmBenchLimits l;
  l.max_batch_size = raw_bs < 256    ? std::max(64LL, up(raw_bs, 32))
                     : raw_bs < 1024 ? up(raw_bs, 128)
                                     : up(raw_bs, 256);
  l.max_num_tokens = raw_tokens < 4096   ? std::max(2048LL, up(raw_tokens, 256))
                     : raw_tokens < 8192 ? up(raw_tokens, 512)
                                         : up(raw_tokens, 1024);
  l.max_num_tokens = std::max(l.max_num_tokens, in.max_input + l.max_batch_size);
  return l;
}

namespace {

class WorkloadSource : public serving::RequestSource {
 public:
  explicit WorkloadSource(const serving::WorkloadSpec& w) : w_(w) {}
  std::optional<serving::Request> next() override { return w_.next(); }

 private:
  serving::SyntheticWorkload w_;
};

// TensorRT-LLM and vLLM size their batches by the requests' bytes as they store them.
double bytes_per_stored_element(Dtype d) { return d == Dtype::fp8 || d == Dtype::fp8_e5m2 ? 1.0 : 2.0; }

double weight_bytes_per_param(const StorageFormat& w) {
  if (w.dtype == Dtype::fp8 || w.dtype == Dtype::fp8_e5m2) return 1.0;
  if (w.dtype == Dtype::nvfp4) return 0.5;
  return 2.0;
}

SchedulerLimits limits_for(const ModelSpec& m, const HardwareSpec& hw, const SchedulerLimits& profile,
                           const Scenario& sc, const ServingLoad& load) {
  SchedulerLimits l = profile;
  const SchedulerOverrides& o = load.limits;
  if (o.trtllm_bench) {
    TrtllmBenchInput in;
    in.params = params_total(m);
    in.weight_bytes = weight_bytes_per_param(sc.weights);
    in.kv_bytes = bytes_per_stored_element(sc.kv);
    in.layers = m.layers;
    in.kv_heads = m.kv_heads;
    in.head_dim = m.head_dim;
    in.tp =
        sc.layout.tp * sc.layout.attention_dp;  // the command's --tp: attention data-parallel ranks included
    in.pp = sc.layout.pp;
    in.device_memory_GiB = hw.memory_capacity_B / (1024.0 * 1024.0 * 1024.0);
    // trtllm-bench reads the dataset's mean and longest lengths; fixed lengths are both.
    in.mean_input = static_cast<double>(sc.input_tokens);
    in.mean_output = static_cast<double>(sc.output_tokens);
    in.max_input = sc.input_tokens;
    in.kv_free_fraction = o.kv_free_fraction.value_or(0.9);
    const TrtllmBenchLimits t = trtllm_bench_limits(in);
    l.max_num_seqs = t.max_batch_size;
    l.max_num_batched_tokens = t.max_num_tokens;
  }
  if (o.max_num_seqs) l.max_num_seqs = *o.max_num_seqs;
  if (o.max_num_batched_tokens) l.max_num_batched_tokens = *o.max_num_batched_tokens;
  if (o.chunked_prefill) l.chunked_prefill = *o.chunked_prefill;
  if (o.reserve_full_sequence) l.reserve_full_sequence = *o.reserve_full_sequence;
  if (o.static_cache_tokens) l.static_cache_tokens = *o.static_cache_tokens;
  if (o.graph_padding_sizes) l.graph_padding_sizes = *o.graph_padding_sizes;
  return l;
}

// The KV blocks of one replica where the source sizes its cache otherwise than the hardware profile's
// usable fraction: a share of what the weights, a step's activations and the reserve leave (a static cache
// is sized by the engine itself: every slot's whole length).
std::optional<long long> kv_blocks_for(StepTimer& timer, const HardwareSpec& hw, const SchedulerLimits& l,
                                       const SchedulerOverrides& o) {
  if (!o.kv_free_fraction) return std::nullopt;
  const StepMemory mem = timer.memory(static_cast<double>(l.max_num_batched_tokens));
  const double free_B = hw.memory_capacity_B - mem.weight_bytes_per_device - mem.activation_bytes_per_device -
                        mem.runtime_reserve_bytes;
  const double block_B = static_cast<double>(l.block_tokens) * mem.kv_bytes_per_token_per_device;
  return static_cast<long long>(std::floor(std::max(0.0, free_B * *o.kv_free_fraction) / block_B));
}

class Runner {
 public:
  Runner(StepTimer& timer, serving::ServeConfig cfg, serving::WorkloadSpec w)
      : timer_(timer), cfg_(std::move(cfg)), w_(std::move(w)) {}

  serving::ServeResult run(serving::Arrivals arrivals, double rate_rps) {
    serving::WorkloadSpec w = w_;
    w.arrivals = arrivals;
    w.rate_rps = rate_rps > 0.0 ? rate_rps : 1.0;
    WorkloadSource source(w);
    return serving::simulate(timer_, cfg_, source, serving::requests_to_issue(w), {}, rate_rps);
  }

  // MLPerf Server's rule, by the search `serve --find-max-rate` runs (docs/formulas.md#serving_max_rate).
  serving::MaxRateResult max_rate(const ServingLoad& load) {
    return serving::find_max_rate(timer_, cfg_, w_, load.slo, load.percentile);
  }

 private:
  StepTimer& timer_;
  serving::ServeConfig cfg_;
  serving::WorkloadSpec w_;
};

}  // namespace

double serving_metric_value(const serving::ServeSummary& s, ServingMetric metric) {
  switch (metric) {
    case ServingMetric::output_tok_s:
      return s.output_throughput_tok_s;
    case ServingMetric::output_tok_s_per_device:
      return serving::output_throughput_per_device_tok_s(s);
    case ServingMetric::ttft_ms:
      return s.ttft_mean_s * 1e3;
    case ServingMetric::tpot_ms:
      return s.tpot_mean_s * 1e3;
  }
  return 0.0;
}

ServingPrediction predict_serving(const ModelSpec& model, const HardwareSpec& hw,
                                  const RuntimeProfile& profile, const Scenario& sc, const ServingLoad& load,
                                  ServingMetric metric) {
  ServingPrediction p;
  if (!profile.scheduler) {
    p.reason =
        "runtime profile '" + profile.terms.name + "' has no scheduler: it does not batch continuously";
    return p;
  }
  HardwareSpec device = hw;  // the engine's share of the memory, where the source states it
  if (load.limits.memory_fraction) device.usable_fraction = *load.limits.memory_fraction;
  if (auto why = why_step_invalid(model, device, sc)) {
    p.reason = "the serving simulator rejects the configuration: " + *why;
    return p;
  }
  StepTimer timer(model, device, sc);
  serving::ServeConfig cfg;
  cfg.limits = limits_for(model, device, *profile.scheduler, sc, load);
  cfg.replicas = batch_ranks(sc.layout);
  cfg.kv_blocks = kv_blocks_for(timer, device, cfg.limits, load.limits);
  cfg.host_link_Bps = device.interconnect.host_link_bandwidth_per_direction_Bps;
  cfg.harness_batcher = load.limits.harness_batcher;
  p.limits = cfg.limits;
  if (auto why = serving::limits_problem(cfg.limits)) {
    p.reason = "scheduler limits: " + *why;
    return p;
  }
  serving::WorkloadSpec w;
  w.input = load.input;
  w.output = load.output;
  w.requests = load.requests;
  w.min_duration_s = load.min_duration_s;
  w.max_context = model.max_context;
  Runner runner(timer, cfg, w);
  try {
    // The rate a Poisson load offers is read against what the configuration can serve at all.
    if (load.kind == LoadKind::poisson)
      p.capacity_rps = runner.run(serving::Arrivals::offline, 0.0).summary.request_throughput_rps;
    if (load.kind == LoadKind::max_rate) {
      serving::MaxRateResult found = runner.max_rate(load);
      p.capacity_rps = found.offline_rps;
      if (!found.rate_rps) {
        p.reason = "no Poisson rate meets the targets, down to 1% of the offline throughput";
        return p;
      }
      p.rate_rps = *found.rate_rps;
      p.summary = found.at_rate.summary;
      p.time_by_class = found.at_rate.time_by_class;
    } else {
      const bool offline = load.kind == LoadKind::offline;
      p.rate_rps = offline ? 0.0 : load.rate_rps;
      const serving::ServeResult r =
          runner.run(offline ? serving::Arrivals::offline : serving::Arrivals::poisson, p.rate_rps);
      p.summary = r.summary;
      p.time_by_class = r.time_by_class;
    }
  } catch (const InputError& e) {
    p.reason = std::string("the serving simulator rejects the configuration: ") + e.what();
    return p;
  }
  p.kv_blocks = p.summary.kv_blocks_total;
  if (p.summary.requests == 0) {
    p.reason = "every request was rejected (longer than the context, the KV cache or the token budget)";
    return p;
  }
  p.value = serving_metric_value(p.summary, metric);
  return p;
}

}  // namespace infersim

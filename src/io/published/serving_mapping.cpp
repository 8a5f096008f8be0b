#include "io/published/serving_mapping.hpp"

#include <fmt/format.h>

#include <cmath>
#include <utility>

#include "core/errors.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/serving/length_text.hpp"

namespace infersim {

namespace {

constexpr long long kMaxLimit = 10'000'000;     // as serve's --max-num-seqs / --max-num-batched-tokens
constexpr long long kMaxRequests = 10'000'000;  // simulated requests of one row
constexpr double kMaxRate = 1e6;                // requests per second
constexpr double kMaxDuration = 1e5;            // seconds a Poisson load lasts at least (a day and more)
constexpr double kMaxLatencyTarget = 3600.0;    // seconds
constexpr long long kMaxSlotTokens = 1'000'000'000;

constexpr const char* kArrivals[] = {"offline", "poisson", "max_rate"};

const std::vector<std::string_view> kSchedulerKeys = {
    "max_num_seqs",     "max_num_batched_tokens", "chunked_prefill",
    "kv_free_fraction", "gpu_memory_utilization", "static_cache_tokens",
    "limits",           "graph_padding_sizes",    "harness_batcher",
    "admission"};

std::vector<std::string_view> with_scheduler(std::vector<std::string_view> keys) {
  keys.insert(keys.end(), kSchedulerKeys.begin(), kSchedulerKeys.end());
  return keys;
}

serving::LengthDist length_at(YamlMap& y, std::string_view key) {
  const std::string text = y.text(key);
  try {
    return parse_length_dist(text, fmt::format("'{}'", key));
  } catch (const InputError& e) {
    throw ConfigError(y.file(), y.mark(key), e.what());
  }
}

}  // namespace

std::vector<std::string_view> load_keys() {
  return with_scheduler({"arrivals", "requests", "min_duration_s", "rate_rps", "percentile", "ttft_slo_s",
                         "tpot_slo_s", "note"});
}

std::vector<std::string_view> framework_keys() {
  return with_scheduler({"to", "note", "offline", "server", "attention_dp", "moe_tensor_parallel"});
}

std::vector<std::string_view> dataset_keys() { return {"input", "output", "note"}; }

SchedulerOverrides scheduler_overrides(YamlMap& y) {
  SchedulerOverrides o;
  o.max_num_seqs = y.optional_integer("max_num_seqs", 1, kMaxLimit);
  o.max_num_batched_tokens = y.optional_integer("max_num_batched_tokens", 1, kMaxLimit);
  if (y.has("chunked_prefill")) o.chunked_prefill = y.boolean("chunked_prefill");
  // As a runtime profile's scheduler.admission (docs/formats.md).
  if (y.has("admission")) o.reserve_full_sequence = y.choice("admission", {"on_demand", "guaranteed"}) == 1;
  o.kv_free_fraction = y.optional_real("kv_free_fraction", 0.0, 1.0);
  o.memory_fraction = y.optional_real("gpu_memory_utilization", 0.0, 1.0);
  if (o.kv_free_fraction && o.memory_fraction)
    throw ConfigError(y.file(), y.mark("gpu_memory_utilization"),
                      fmt::format("give '{}' or '{}', not both: a source sizes its KV cache one way",
                                  y.qualified("kv_free_fraction"), y.qualified("gpu_memory_utilization")));
  o.static_cache_tokens = y.optional_integer("static_cache_tokens", 1, kMaxSlotTokens);
  if (y.has("graph_padding_sizes")) o.graph_padding_sizes = graph_padding_sizes(y, "graph_padding_sizes");
  if (y.has("harness_batcher")) {
    YamlMap b = y.mapping("harness_batcher", {"max_queries", "window_s"});
    o.harness_batcher = serving::HarnessBatcherSpec{b.integer("max_queries", 1, kMaxLimit),
                                                    b.real("window_s", 0.0, kMaxLatencyTarget)};
  }
  if (y.has("limits")) o.trtllm_bench = y.choice("limits", {"trtllm-bench"}) == 0;
  return o;
}

FrameworkLimits framework_limits(YamlMap& y) {
  FrameworkLimits f;
  f.all = scheduler_overrides(y);
  for (const auto& [scenario, into] : {std::pair{"offline", &f.offline}, std::pair{"server", &f.server}}) {
    if (!y.has(scenario)) continue;
    YamlMap sub = y.mapping(scenario, kSchedulerKeys);
    *into = scheduler_overrides(sub);
  }
  return f;
}

LoadEntry load_entry(YamlMap& y) {
  LoadEntry e;
  ServingLoad& l = e.load;
  const int kind = y.choice("arrivals", {"offline", "poisson", "max_rate"});
  l.kind = static_cast<LoadKind>(kind);
  l.requests = y.integer("requests", 1, kMaxRequests);
  if (l.kind == LoadKind::poisson) l.rate_rps = y.real("rate_rps", 0.0, kMaxRate);
  if (l.kind != LoadKind::offline)
    l.min_duration_s = y.optional_real("min_duration_s", 0.0, kMaxDuration).value_or(0.0);
  if (l.kind == LoadKind::max_rate) {
    const int p = y.choice("percentile", {"50", "90", "99"});
    l.percentile = p == 0 ? 50.0 : p == 1 ? 90.0 : 99.0;
    l.slo.ttft_s = y.optional_real("ttft_slo_s", 0.0, kMaxLatencyTarget);
    l.slo.tpot_s = y.optional_real("tpot_slo_s", 0.0, kMaxLatencyTarget);
    if (!l.slo.ttft_s && !l.slo.tpot_s)
      throw ConfigError(y.file(), y.mark(), "a max_rate load needs 'ttft_slo_s' or 'tpot_slo_s'");
  }
  for (std::string_view key : {"rate_rps", "percentile", "ttft_slo_s", "tpot_slo_s", "min_duration_s"}) {
    const bool belongs = key == "min_duration_s" ? l.kind != LoadKind::offline
                         : key == "rate_rps"     ? l.kind == LoadKind::poisson
                                                 : l.kind == LoadKind::max_rate;
    if (y.has(key) && !belongs)
      throw ConfigError(
          y.file(), y.mark(key),
          fmt::format("'{}' does not apply to arrivals '{}'", y.qualified(key), kArrivals[kind]));
  }
  l.limits = scheduler_overrides(y);
  e.note = y.has("note") ? y.text("note") : std::string();
  return e;
}

DatasetEntry dataset_entry(YamlMap& y) {
  DatasetEntry d;
  if (y.has("input")) d.input = length_at(y, "input");
  if (y.has("output")) d.output = length_at(y, "output");
  if (!d.input && !d.output)
    throw ConfigError(y.file(), y.mark(), "a dataset entry needs 'input' or 'output'");
  d.note = y.text("note");
  return d;
}

long long mean_tokens(const serving::LengthDist& d) {
  const double mean = d.kind == serving::LengthDist::Kind::uniform ? 0.5 * (d.a + d.b) : d.a;
  return std::max(1LL, std::llround(mean));
}

}  // namespace infersim

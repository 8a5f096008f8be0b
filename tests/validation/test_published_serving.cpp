// The published rows measured under load (validation/published_serving.hpp): rows of the shipped CSV
// mapped field by field to their load, lengths, limits and scenario; trtllm-bench's batch choice by hand;
// the group judged apart from the rows estimated as one configuration; MLPerf Server's rate search; the
// serving tables of mapping.yaml refused where malformed, naming file, line and key.
#include <catch2/catch.hpp>

#include "io/config/config_error.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/published/published_csv.hpp"
#include "io/published/published_mapping.hpp"
#include "io/published/row_mapping.hpp"
#include "io/published/serving_report.hpp"
#include "support/fixtures.hpp"
#include "support/scenario_check.hpp"
#include "validation/published.hpp"

using namespace infersim;

namespace {

const PublishedRow& row_at_line(int line) {
  static const auto rows =
      read_published_csv(test::source_path("validation/published/published_measurements.csv"));
  for (const PublishedRow& r : rows) {
    if (r.line == line) return r;
  }
  FAIL("no row at line " << line);
  return rows.front();
}

const PublishedMapping& mapping() {
  static const auto m = load_published_mapping(test::source_path("validation/published/mapping.yaml"));
  return m;
}

using Kind = serving::LengthDist::Kind;

// Llama-3-8B on one H100 SXM under the shipped vLLM profile, every request of the given fixed lengths.
struct VllmRig {
  ModelSpec model = load_model(test::source_path("model_configs/llama-3-8b.yaml"));
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  RuntimeProfile vllm = load_runtime(test::source_path("runtime_profiles/vllm.yaml"));
  Scenario sc;
  ServingLoad load;
  [[nodiscard]] ServingPrediction predict() const {
    return predict_serving(model, hw, vllm, sc, load, ServingMetric::output_tok_s);
  }
};

VllmRig llama3_8b_on_h100(long long input, long long output) {
  VllmRig r;
  r.sc.input_tokens = input;
  r.sc.output_tokens = output;
  r.sc.runtime = r.vllm.terms;
  r.load.input = {Kind::fixed, static_cast<double>(input), 0.0};
  r.load.output = {Kind::fixed, static_cast<double>(output), 0.0};
  return r;
}

}  // namespace

TEST_CASE("serving rows: a trtllm-bench offline row maps to its load, lengths, limits and scenario") {
  // Line 2: TensorRT-LLM perf overview, Llama-3.1-8B-Instruct FP8 on one H200, "offline max-load (30000
  // requests queued at once ...)", ISL/OSL 128/128, total output throughput 27911 tok/s.
  const MappingOutcome m = map_row(row_at_line(2), mapping());
  REQUIRE(m.config);
  const MappedConfig& c = *m.config;
  CHECK(c.model == "llama-3.1-8b");
  CHECK(c.hardware == "h200-sxm");
  CHECK(c.runtime == "trtllm-pytorch");  // the PyTorch backend the row's framework names
  CHECK(c.metric == MetricKind::output_tok_s);
  CHECK(c.published == 27911.0);
  REQUIRE(c.load);
  CHECK(c.load->kind == LoadKind::offline);
  CHECK(c.load->requests == 30000);  // the overview's $num_requests for 128/128
  CHECK(c.load->input.kind == Kind::fixed);
  CHECK(c.load->input.a == 128.0);
  CHECK(c.load->output.kind == Kind::fixed);
  CHECK(c.load->output.a == 128.0);
  // The framework entry: trtllm-bench's own batch choice, 0.95 of the free memory for the KV cache.
  CHECK(c.load->limits.trtllm_bench);
  CHECK(c.load->limits.kv_free_fraction == Approx(0.95));
  CHECK_FALSE(c.load->limits.max_num_seqs);
  // The overview's llm_options.yml: cuda_graph_config with enable_padding and these batch_sizes
  // (perf-overview.md @ 00f37686, "Running the Benchmark"; docs/formulas.md#cuda_graph_padding).
  REQUIRE(c.load->limits.graph_padding_sizes);
  CHECK(*c.load->limits.graph_padding_sizes ==
        std::vector<long long>{1, 2, 4, 8, 16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192});
  // The scheduler chooses the batch: the scenario is one request of the row's lengths, as
  // `estimate -b 1 --input 128 --output 128 --weights fp8 --activations fp8 --kv fp8` composes it.
  test::check_same_scenario(c.scenario, test::scenario_from_flags({{ScenarioKey::batch, "1"},
                                                                   {ScenarioKey::input_tokens, "128"},
                                                                   {ScenarioKey::output_tokens, "128"},
                                                                   {ScenarioKey::weights, "fp8"},
                                                                   {ScenarioKey::activations, "fp8"},
                                                                   {ScenarioKey::kv, "fp8"}}));
}

TEST_CASE("serving rows: an MLPerf Server row maps to a max-rate search over OpenOrca's lengths") {
  // Line 74: MLPerf v4.1 DGX-H100, Llama-2-70B-chat fp8, 8 GPUs as TP 2 x 4, "Server, Poisson arrivals at
  // 75 QPS target ...", server_output_throughput 21605.79 tok/s over the 8 GPUs.
  const MappingOutcome m = map_row(row_at_line(74), mapping());
  REQUIRE(m.config);
  const MappedConfig& c = *m.config;
  CHECK(c.model == "llama-2-70b");
  CHECK(c.hardware == "h100-sxm");
  CHECK(c.runtime == "trtllm");  // NVIDIA's MLPerf harness: the C++ executor
  CHECK(c.metric == MetricKind::output_tok_s);
  CHECK(c.published == Approx(21605.79));
  REQUIRE(c.load);
  CHECK(c.load->kind == LoadKind::max_rate);
  CHECK(c.load->requests == 24576);
  CHECK(c.load->percentile == 99.0);
  CHECK(c.load->slo.ttft_s == Approx(2.0));  // MLPerf's Llama2 Server constraints
  CHECK(c.load->slo.tpot_s == Approx(0.2));
  // The log's min_duration (ms): 2400000 ("Test Parameters Used").
  CHECK(c.load->min_duration_s == 2400.0);
  // The Server config's 1024 sequences per engine (the load) over the framework's 896 (Offline's);
  // the framework's KV share stays.
  CHECK(c.load->limits.max_num_seqs == 1024);
  CHECK(c.load->limits.kv_free_fraction == Approx(0.90));
  // Every NVIDIA llama2-70b engine's max_num_tokens (configs/llama2-70b/__init__.py GPUBaseConfig: 4096).
  CHECK(c.load->limits.max_num_batched_tokens == 4096);
  CHECK_FALSE(c.load->limits.trtllm_bench);
  // The harness's MAX_UTILIZATION capacity scheduler (harness_llm's --trtllm_batch_sched_policy default,
  // max_util): admission on demand, not TensorRT-LLM's GUARANTEED_NO_EVICT.
  REQUIRE(c.load->limits.reserve_full_sequence);
  CHECK(*c.load->limits.reserve_full_sequence == false);
  // OpenOrca: the outputs' published mean 294.45; the prompts' mean 5,463,976 / 24,576 = 222.33 tokens
  // (the sum of the dataset's tok_input_length, as the mapping's comment cites it).
  CHECK(c.load->input.kind == Kind::fixed);
  CHECK(c.load->input.a == 222.0);
  CHECK(c.load->output.a == 294.0);
  CHECK(c.scenario.layout.tp == 2);
  CHECK(c.scenario.layout.dp == 4);
  CHECK(c.scenario.batch == 1);
  CHECK(c.scenario.input_tokens == 222);
  // Line 75: the same submission's mean TTFT at the 75 QPS it ran, its highest passing rate: judged at
  // the search's rate, the same load as line 74's.
  const MappingOutcome ttft = map_row(row_at_line(75), mapping());
  REQUIRE(ttft.config);
  REQUIRE(ttft.config->load);
  CHECK(ttft.config->metric == MetricKind::ttft_ms);
  CHECK(*ttft.config->load == *c.load);
  CHECK(ttft.config->scenario == c.scenario);
  // AMD's Server log: min_duration (ms): 600000.
  const MappingOutcome amd = map_row(row_at_line(84), mapping());
  REQUIRE(amd.config);
  REQUIRE(amd.config->load);
  CHECK(amd.config->metric == MetricKind::tpot_ms);
  CHECK(amd.config->load->kind == LoadKind::max_rate);
  CHECK(amd.config->load->min_duration_s == 600.0);
}

TEST_CASE("serving rows: a JetStream row maps to its decode slots, static cache and ShareGPT's means") {
  // Line 88: jetstream-pytorch's Llama-2-7B bf16 on a TPU v5e-8 (model parallel over 8 chips), "96 decode
  // slots; 2000 ShareGPT prompts via JetStream benchmark_serving.py", ShareGPT lengths, 3663 tok/s.
  const MappingOutcome m = map_row(row_at_line(88), mapping());
  REQUIRE(m.config);
  const MappedConfig& c = *m.config;
  CHECK(c.model == "llama-2-7b");
  CHECK(c.hardware == "tpu-v5e");
  CHECK(c.runtime == "jetstream");
  CHECK(c.scenario.layout.tp == 8);
  CHECK(c.scenario.layout.dp == 1);
  REQUIRE(c.load);
  CHECK(c.load->kind == LoadKind::offline);  // benchmark_serving.py's --request-rate inf
  CHECK(c.load->requests == 2000);
  CHECK(c.load->limits.max_num_seqs == 96);           // the load's slots
  CHECK(c.load->limits.static_cache_tokens == 2048);  // the framework's cache length
  CHECK(c.load->input.a == 161.0);                    // ShareGPT's published means (PagedAttention, Fig. 11a)
  CHECK(c.load->output.a == 338.0);
  CHECK(c.scenario.input_tokens == 161);
  CHECK(c.scenario.output_tokens == 338);
  CHECK(c.scenario.weights.dtype == Dtype::bf16);
  CHECK(c.scenario.kv == Dtype::bf16);
  // The dataset's note once, though both length columns name it.
  int shared = 0;
  for (const std::string& n : c.notes) shared += n.rfind("ShareGPT:", 0) == 0 ? 1 : 0;
  CHECK(shared == 1);
}

TEST_CASE("serving rows: AMD's MLPerf harness runs Offline and Server with settings of their own") {
  // Lines 81 and 82: MLPerf v4.1, 8x MI300X, Llama-2-70B-chat fp8 through vLLM. The harness's settings
  // (closed/AMD/code/llama2-70b-99.9/VllmFp8 @ a2f5d66d): mainVllmFp8_Offline.py's DefaultEngineInput,
  // 2048 sequences and 65536 tokens a step, with the perf script's --gpu-memory-utilization 0.99;
  // mainVllmFp8_SyncServer.py's argument defaults, 1024 sequences, 49152 tokens and 0.97. Neither enables
  // chunked prefill (the framework entry's, for both).
  const MappingOutcome offline = map_row(row_at_line(81), mapping());
  REQUIRE(offline.config);
  REQUIRE(offline.config->load);
  const SchedulerOverrides& o = offline.config->load->limits;
  CHECK(offline.config->runtime == "vllm");
  CHECK(offline.config->load->kind == LoadKind::offline);
  CHECK(o.max_num_seqs == 2048);
  CHECK(o.max_num_batched_tokens == 65536);
  CHECK(o.memory_fraction == Approx(0.99));
  CHECK(o.chunked_prefill == false);
  CHECK_FALSE(o.kv_free_fraction);
  const MappingOutcome server = map_row(row_at_line(82), mapping());
  REQUIRE(server.config);
  REQUIRE(server.config->load);
  const SchedulerOverrides& s = server.config->load->limits;
  CHECK(server.config->load->kind == LoadKind::max_rate);
  CHECK(s.max_num_seqs == 1024);
  CHECK(s.max_num_batched_tokens == 49152);
  CHECK(s.memory_fraction == Approx(0.97));
  CHECK(s.chunked_prefill == false);
  // Server alone runs the harness's batcher (test_VllmFp8_SyncServer_perf.sh --enable-batcher, with
  // sync_sut.py's defaults --gpu-batch-size 96 and --batcher-threshold 0.3).
  REQUIRE(s.harness_batcher);
  CHECK(s.harness_batcher->max_queries == 96);
  CHECK(s.harness_batcher->window_s == 0.3);
  CHECK_FALSE(o.harness_batcher);
}

TEST_CASE("a framework's settings for one scenario come between its own and the load's") {
  FrameworkLimits f;
  f.all.max_num_seqs = 256;
  f.all.chunked_prefill = false;
  f.all.kv_free_fraction = 0.9;
  f.offline.max_num_seqs = 2048;
  f.server.max_num_seqs = 1024;
  f.server.memory_fraction = 0.97;
  ServingLoad load;
  load.kind = LoadKind::offline;
  SchedulerOverrides l = limits_under(f, load);
  CHECK(l.max_num_seqs == 2048);      // the offline setting over the framework's own
  CHECK(l.chunked_prefill == false);  // the framework's, for every load
  CHECK(l.kv_free_fraction == Approx(0.9));
  CHECK_FALSE(l.memory_fraction);
  for (LoadKind server_kind : {LoadKind::poisson, LoadKind::max_rate}) {
    load.kind = server_kind;
    l = limits_under(f, load);
    CHECK(l.max_num_seqs == 1024);
    // One way of sizing the cache: the server's share of the whole memory replaces the free-memory share.
    CHECK(l.memory_fraction == Approx(0.97));
    CHECK_FALSE(l.kv_free_fraction);
  }
  load.limits.max_num_seqs = 896;  // the load's own setting last
  CHECK(limits_under(f, load).max_num_seqs == 896);
  // No framework entry: the load's alone.
  CHECK(limits_under(FrameworkLimits{}, load).max_num_seqs == 896);
  CHECK_FALSE(limits_under(FrameworkLimits{}, load).chunked_prefill);
}

TEST_CASE("vLLM's gpu_memory_utilization sizes the KV cache from the device's whole memory") {
  // Llama-3-8B, bf16 KV: 2 x 32 layers x 8 KV heads x 128 x 2 B = 131072 B a token, 2 MiB a 16-token
  // block. One H100 SXM holds 80 GiB: raising the engine's share from 0.90 to 0.99 adds 0.09 x 80 GiB =
  // 7372.8 MiB of cache and nothing else (weights, activations and reserve stay), 3686.4 blocks: 3686 or
  // 3687 whole blocks more, as the floors fall.
  VllmRig rig = llama3_8b_on_h100(512, 16);
  rig.load.requests = 4;
  rig.load.limits.memory_fraction = 0.90;
  const ServingPrediction low = rig.predict();
  rig.load.limits.memory_fraction = 0.99;
  const ServingPrediction high = rig.predict();
  REQUIRE(low.value);
  REQUIRE(high.value);
  const long long added = high.kv_blocks - low.kv_blocks;
  CHECK((added == 3686 || added == 3687));
  // 0.90 is the H100 profile's own usable fraction: the same cache as stating nothing.
  rig.load.limits.memory_fraction.reset();
  const ServingPrediction profile = rig.predict();
  CHECK(profile.kv_blocks == low.kv_blocks);
}

TEST_CASE("trtllm-bench's batch choice, by hand") {
  // Llama-3.1-8B fp8 on one H200 (141 GiB), ISL/OSL 128/2048, KV fraction 0.95:
  //   engine = 8,030,261,248 x 1 B / 2^30 = 7.479 GiB; cache = (141 - 7.479) x 0.95 = 126.845 GiB
  //   per token = 2 x 32 layers x 8 heads x 128 x 1 B / 2^30 = 6.1035e-5 GiB
  //   requests = 126.845 / (6.1035e-5 x 2176) = 955.1 -> 128 x ceil(955.1 / 128) = 1024
  //   tokens = 955.1 x (1 + 128 / 2048) = 1014.8 -> max(2048, 256 x 4) = 2048; 128 + 1024 < 2048
  TrtllmBenchInput in;
  in.params = 8'030'261'248.0;
  in.weight_bytes = 1.0;
  in.kv_bytes = 1.0;
  in.layers = 32;
  in.kv_heads = 8;
  in.head_dim = 128;
  in.device_memory_GiB = 141.0;
  in.mean_input = 128.0;
  in.mean_output = 2048.0;
  in.max_input = 128;
  in.kv_free_fraction = 0.95;
  const TrtllmBenchLimits long_out = trtllm_bench_limits(in);
  CHECK(long_out.max_batch_size == 1024);
  CHECK(long_out.max_num_tokens == 2048);
  // 128/128: requests = 126.845 / (6.1035e-5 x 256) = 8118 -> capped at 4096 (a multiple of 256);
  // tokens = 4096 x 2 = 8192 -> 1024 x 8.
  in.mean_output = 128.0;
  const TrtllmBenchLimits short_out = trtllm_bench_limits(in);
  CHECK(short_out.max_batch_size == 4096);
  CHECK(short_out.max_num_tokens == 8192);
  // 20000/2000: requests = 126.845 / (6.1035e-5 x 22000) = 94.5 -> 32 x 3 = 96; tokens 94.5 x 11 = 1039
  // -> 2048, then raised to hold the longest prompt without chunking: 20000 + 96.
  in.mean_input = 20000.0;
  in.mean_output = 2000.0;
  in.max_input = 20000;
  const TrtllmBenchLimits long_in = trtllm_bench_limits(in);
  CHECK(long_in.max_batch_size == 96);
  CHECK(long_in.max_num_tokens == 20096);
}

TEST_CASE("serving rows are judged as a group of their own, apart from the rows above and their gate") {
  auto mapped = [](double rel, bool serving) {
    PublishedCase c;
    c.row.source = serving ? "S" : "E";
    c.mapping.config = MappedConfig{};
    c.mapping.config->metric = serving ? MetricKind::output_tok_s : MetricKind::decode_tok_s;
    if (serving) c.mapping.config->load = ServingLoad{};
    c.rel_error = rel;
    return c;
  };
  const PublishedSummary s =
      summarize({mapped(0.1, false), mapped(-0.3, false), mapped(0.5, true), mapped(-0.7, true)});
  CHECK(s.mapped == 2);  // to one configuration
  CHECK(s.judged == 2);
  CHECK(s.mape == Approx(0.2));  // the serving rows move nothing of it
  REQUIRE(s.per_source.size() == 1);
  CHECK(s.per_source[0].name == "E");
  CHECK(s.serving.rows == 2);
  CHECK(s.serving.mape == Approx(0.6));
  CHECK(s.serving.mean_error == Approx(-0.1));
  REQUIRE(s.serving_per_source.size() == 1);
  CHECK(s.serving_per_source[0].name == "S");
  REQUIRE(s.serving_per_metric.size() == 1);
  CHECK(s.serving_per_metric[0].name == "output_tok_s");
}

TEST_CASE("MLPerf Server's rule: the rate found meets the p99 targets") {
  VllmRig rig = llama3_8b_on_h100(512, 128);
  rig.load.kind = LoadKind::max_rate;
  rig.load.requests = 400;
  rig.load.slo = {0.5, 0.03};
  const ServingPrediction p = rig.predict();
  REQUIRE(p.value);
  CHECK(p.rate_rps > 0.0);
  CHECK(p.summary.ttft_p99_s <= 0.5);
  CHECK(p.summary.tpot_p99_s <= 0.03);
  CHECK(*p.value == Approx(p.summary.output_throughput_tok_s));
  // Offline, the same requests: no rate meeting the targets delivers more than everything at once.
  rig.load.kind = LoadKind::offline;
  const ServingPrediction offline = rig.predict();
  REQUIRE(offline.value);
  CHECK(*offline.value >= *p.value);
  // A profile without a scheduler cannot serve: the reason, no figure.
  const RuntimeProfile cpp = load_runtime(test::source_path("runtime_profiles/llama.cpp.yaml"));
  const ServingPrediction none =
      predict_serving(rig.model, rig.hw, cpp, rig.sc, rig.load, ServingMetric::output_tok_s);
  CHECK_FALSE(none.value);
  CHECK(none.reason.find("has no scheduler") != std::string::npos);
}

TEST_CASE("a Poisson row's rate is read against its configuration's offline capacity") {
  VllmRig rig = llama3_8b_on_h100(512, 128);
  rig.load.requests = 300;
  const ServingPrediction offline = rig.predict();
  REQUIRE(offline.value);
  CHECK(offline.capacity_rps == 0.0);  // an offline row is its own capacity
  rig.load.kind = LoadKind::poisson;
  rig.load.rate_rps = 5.0;
  const ServingPrediction poisson = rig.predict();
  REQUIRE(poisson.value);
  // The capacity is the offline run of the same requests under the same limits.
  CHECK(poisson.capacity_rps == Approx(offline.summary.request_throughput_rps));
  CHECK(poisson.rate_rps == 5.0);

  // The report states the share, by hand: 75 of 100 requests/s is 75%.
  PublishedCase c;
  c.mapping.config = MappedConfig{};
  c.mapping.config->load = ServingLoad{LoadKind::poisson, 1000, 75.0};
  c.serving = ServingPrediction{};
  c.serving->rate_rps = 75.0;
  c.serving->capacity_rps = 100.0;
  CHECK_THAT(serving_run_text(c), Catch::Contains("; offered 75/s = 75% of the predicted capacity 100/s"));
  c.serving->capacity_rps = 0.0;  // not run: nothing said
  CHECK_THAT(serving_run_text(c), !Catch::Contains("offered"));
}

TEST_CASE("mapping: the serving tables refuse malformed entries, naming file, line and key") {
  const std::string head =
      "description: x\nfit_subset: []\nmodels: {}\nhardware: {}\nkv: {}\nweights: {}\n"
      "metrics: {}\nlengths: {}\n";
  const std::string frameworks = "frameworks: {}\n";
  // Line 11 is the entry, `  "x": {arrivals: offline, requests: 5, rate_rps: 2}`: rate_rps's value at
  // column 51.
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + frameworks + "loads:\n  \"x\": {arrivals: offline, requests: 5, rate_rps: 2}\n", "m.yaml"),
      Catch::StartsWith("m.yaml:11:51: error: 'loads['x'].rate_rps' does not apply to arrivals 'offline'"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + frameworks + "loads:\n  \"x\": {arrivals: max_rate, requests: 5, percentile: 99}\n",
          "m.yaml"),
      Catch::Contains("a max_rate load needs 'ttft_slo_s' or 'tpot_slo_s'"));
  CHECK_THROWS_WITH(load_published_mapping_text(
                        head + frameworks + "loads:\n  \"x\": {arrivals: offline, requests: 0}\n", "m.yaml"),
                    Catch::StartsWith("m.yaml:11:"));
  // A minimum duration is a rate's: offline issues its requests at once. Column 51 is its value.
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + frameworks + "loads:\n  \"x\": {arrivals: offline, requests: 5, min_duration_s: 60}\n",
          "m.yaml"),
      Catch::StartsWith("m.yaml:11:") &&
          Catch::Contains("'loads['x'].min_duration_s' does not apply to arrivals 'offline'"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + frameworks +
              "loads:\n  \"x\": {arrivals: poisson, requests: 5, rate_rps: 2, min_duration_s: 0}\n",
          "m.yaml"),
      Catch::StartsWith("m.yaml:11:") && Catch::Contains("min_duration_s"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + frameworks + "datasets:\n  \"x\": {input: \"uniform:9:2\", note: n}\n", "m.yaml"),
      Catch::StartsWith("m.yaml:11:") && Catch::Contains("'input' must be uniform:LO:HI"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(head + frameworks + "datasets:\n  \"x\": {note: n}\n", "m.yaml"),
      Catch::Contains("a dataset entry needs 'input' or 'output'"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(head + "frameworks:\n  \"f\": {to: trtllm, limits: vllm}\n", "m.yaml"),
      Catch::StartsWith("m.yaml:10:") && Catch::Contains("'frameworks['f'].limits' must be one of"));
  // A source sizes its KV cache one way: TensorRT-LLM's share of the free memory or vLLM's of the whole.
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + "frameworks:\n  \"f\": {to: vllm, kv_free_fraction: 0.9, gpu_memory_utilization: 0.9}\n",
          "m.yaml"),
      Catch::StartsWith("m.yaml:10:") &&
          Catch::Contains("give 'frameworks['f'].kv_free_fraction' or "
                          "'frameworks['f'].gpu_memory_utilization', not both"));
  // The experts' tensor split is a split among attention data-parallel ranks; column 42 is the value.
  CHECK_THROWS_WITH(
      load_published_mapping_text(head + "frameworks:\n  \"f\": {to: trtllm, moe_tensor_parallel: true}\n",
                                  "m.yaml"),
      Catch::StartsWith("m.yaml:10:42: error:") && Catch::Contains("it needs attention_dp: true beside it"));
  CHECK_NOTHROW(load_published_mapping_text(
      head + "frameworks:\n  \"f\": {to: trtllm, attention_dp: true, moe_tensor_parallel: true}\n",
      "m.yaml"));
  // A scenario's settings are scheduler keys in a mapping.
  CHECK_THROWS_WITH(load_published_mapping_text(
                        head + "frameworks:\n  \"f\": {to: vllm, server: {max_seqs: 4}}\n", "m.yaml"),
                    Catch::StartsWith("m.yaml:10:") && Catch::Contains("max_seqs"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(head + "frameworks:\n  \"f\": {to: vllm, offline: 2048}\n", "m.yaml"),
      Catch::StartsWith("m.yaml:10:") && Catch::Contains("'frameworks['f'].offline'"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + "frameworks:\n  \"f\": {to: vllm, offline: {gpu_memory_utilization: 1.5}}\n", "m.yaml"),
      Catch::StartsWith("m.yaml:10:") && Catch::Contains("'frameworks['f'].offline.gpu_memory_utilization'"));
  CHECK_THROWS_WITH(load_published_mapping_text(
                        head + "frameworks:\n  \"f\": {to: trtllm, graph_padding_sizes: [8, 4]}\n", "m.yaml"),
                    Catch::StartsWith("m.yaml:10:") &&
                        Catch::Contains("'frameworks['f'].graph_padding_sizes' must list batch sizes"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + "frameworks:\n  \"f\": {to: vllm, server: {harness_batcher: {max_queries: 96}}}\n",
          "m.yaml"),
      Catch::StartsWith("m.yaml:10:") && Catch::Contains("window_s"));
  CHECK_THROWS_WITH(load_published_mapping_text(head + "frameworks:\n  \"f\": {to: vllm, harness_batcher: "
                                                       "{max_queries: 0, window_s: 0.3}}\n",
                                                "m.yaml"),
                    Catch::StartsWith("m.yaml:10:") && Catch::Contains("max_queries"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(head + "frameworks:\n  \"f\": {to: trtllm, admission: eager}\n", "m.yaml"),
      Catch::StartsWith("m.yaml:10:") &&
          Catch::Contains("'frameworks['f'].admission' must be one of on_demand, "
                          "guaranteed, got 'eager'"));
  CHECK_THROWS_WITH(load_published_mapping_text(
                        head + "frameworks:\n  \"f\": {to: trtllm, attention_dp: maybe}\n", "m.yaml"),
                    Catch::StartsWith("m.yaml:10:") && Catch::Contains("'frameworks['f'].attention_dp'"));
  // Both tables are optional; a framework entry states its limits.
  const PublishedMapping ok = load_published_mapping_text(
      head + "frameworks:\n  \"f\": {to: trtllm, max_num_seqs: 896, kv_free_fraction: 0.9}\n", "m.yaml");
  CHECK(ok.loads.empty());
  CHECK(ok.framework_limits.at("f").all.max_num_seqs == 896);
  CHECK(ok.framework_limits.at("f").all.kv_free_fraction == Approx(0.9));
  CHECK(ok.attention_dp_frameworks.empty());
}

TEST_CASE("serving rows: a run with enable_attention_dp maps its GPUs to attention data-parallel ranks") {
  // Line 174: TensorRT-LLM perf overview, Qwen3-235B-A22B FP8 on 8 H200 (--tp 8), the MoE command with
  // enable_attention_dp: true. The 8 GPUs are 8 attention ranks, tensor parallel 1, one engine.
  const MappingOutcome m = map_row(row_at_line(174), mapping());
  REQUIRE(m.config);
  const Layout& l = m.config->scenario.layout;
  CHECK(l.attention_dp == 8);
  CHECK(l.tp == 1);
  CHECK(l.dp == 1);
  CHECK(device_count(l) == 8);
  // No --ep given: TensorRT-LLM's default splits each expert's FFN among the 8 ranks (moe_tp_size = tp).
  CHECK(l.moe_tp == 8);
  // Line 213: Qwen3-30B-A3B on one B200, the same command: one rank, nothing to split.
  const MappingOutcome one = map_row(row_at_line(213), mapping());
  REQUIRE(one.config);
  CHECK(one.config->scenario.layout.attention_dp == 1);
  CHECK(one.config->scenario.layout.tp == 1);
  CHECK(one.config->scenario.layout.moe_tp == 1);
  // A dense row of the same overview keeps its tensor parallelism (line 164: Llama-3.1-405B, --tp 8).
  const MappingOutcome dense = map_row(row_at_line(164), mapping());
  REQUIRE(dense.config);
  CHECK(dense.config->scenario.layout.tp == 8);
  CHECK(dense.config->scenario.layout.attention_dp == 1);
  CHECK(dense.config->scenario.layout.moe_tp == 1);
}

TEST_CASE(
    "serving rows: the perf overview's later cells map to its request counts, checkpoints and layouts") {
  // Cells read by hand from perf-overview.md @ 00f37686 (its tables and "Preparing a Dataset"), lines
  // 692-829. Line 694: Llama 4 Scout, B200 TP1 (FP4), ISL/OSL 128/4096: 8,932 tok/s; 1500 requests for
  // 128/4096.
  const MappingOutcome scout = map_row(row_at_line(694), mapping());
  REQUIRE(scout.config);
  CHECK(scout.config->model == "llama-4-scout-17b-16e");
  CHECK(scout.config->hardware == "b200");
  CHECK(scout.config->published == 8932.0);
  REQUIRE(scout.config->load);
  CHECK(scout.config->load->requests == 1500);
  CHECK(scout.config->load->input.a == 128.0);
  CHECK(scout.config->load->output.a == 4096.0);
  CHECK(scout.config->scenario.weights.dtype == Dtype::nvfp4);
  // Line 742: Qwen3-235B-A22B, B200 TP8 (FP4), 128/128: 63,362 tok/s; 30000 requests; the MoE command, so the
  // 8 GPUs are attention ranks and each expert's FFN is split 8 ways.
  const MappingOutcome qwen = map_row(row_at_line(742), mapping());
  REQUIRE(qwen.config);
  CHECK(qwen.config->model == "qwen3-235b-a22b");
  CHECK(qwen.config->published == 63362.0);
  REQUIRE(qwen.config->load);
  CHECK(qwen.config->load->requests == 30000);
  CHECK(qwen.config->scenario.layout.attention_dp == 8);
  CHECK(qwen.config->scenario.layout.moe_tp == 8);
  CHECK(device_count(qwen.config->scenario.layout) == 8);
  // Line 790: Llama 3.1 405B, B200 TP4 (FP4), 128/128: 6,281 tok/s; dense, tensor parallel 4.
  const MappingOutcome big = map_row(row_at_line(790), mapping());
  REQUIRE(big.config);
  CHECK(big.config->model == "llama-3.1-405b");
  CHECK(big.config->published == 6281.0);
  CHECK(big.config->scenario.layout.tp == 4);
  CHECK(big.config->scenario.layout.attention_dp == 1);
  CHECK(big.config->scenario.weights.dtype == Dtype::nvfp4);
}

TEST_CASE("serving rows: the perf overview's RTX 6000 Pro tables map their pipeline stages") {
  // Lines 830-947: the overview's RTX 6000 Pro Blackwell Server Edition tables, "N GPUs TPx,PPy (FP4)".
  // Line 875: Llama 3.3 70B, 8 GPUs TP1,PP8, 128/128: 11,881 tok/s; eight pipeline stages, no tensor
  // parallelism.
  const MappingOutcome pp8 = map_row(row_at_line(875), mapping());
  REQUIRE(pp8.config);
  CHECK(pp8.config->model == "llama-3.3-70b");
  CHECK(pp8.config->hardware == "rtx-pro-6000");
  CHECK(pp8.config->published == 11881.0);
  CHECK(pp8.config->scenario.layout.pp == 8);
  CHECK(pp8.config->scenario.layout.tp == 1);
  CHECK(device_count(pp8.config->scenario.layout) == 8);
  // Line 830: Llama 4 Scout, 4 GPUs TP2,PP2, 128/128: 18,644 tok/s; the MoE command, so two attention ranks
  // in each of two stages (the serving simulator does not run attention ranks with stages: the report says
  // so).
  const MappingOutcome scout = map_row(row_at_line(830), mapping());
  REQUIRE(scout.config);
  CHECK(scout.config->published == 18644.0);
  CHECK(scout.config->scenario.layout.attention_dp == 2);
  CHECK(scout.config->scenario.layout.pp == 2);
  CHECK(device_count(scout.config->scenario.layout) == 4);
}

TEST_CASE("serving rows: the later overview's layouts (TPn, DEPn, DEPn,PPm) and its throughput per GPU") {
  // Cells read by hand from perf-overview.md @ 585c7565 (lines 1283-1388). Line 1284: DeepSeek R1 0528, B200
  // DEP4 (FP4), ISL/OSL 1024/1024: 6,430 output tokens a second per GPU; 3000 requests for 1024/1024. DEP4:
  // four attention data-parallel ranks with the experts split among them, each expert whole on one rank.
  const MappingOutcome ds = map_row(row_at_line(1284), mapping());
  REQUIRE(ds.config);
  CHECK(ds.config->model == "deepseek-v3");
  CHECK(ds.config->hardware == "b200");
  CHECK(ds.config->metric == MetricKind::output_tok_s_per_device);
  CHECK(ds.config->published == 6430.0);
  REQUIRE(ds.config->load);
  CHECK(ds.config->load->requests == 3000);
  CHECK(ds.config->scenario.weights.dtype == Dtype::nvfp4);
  CHECK(ds.config->scenario.kv == Dtype::fp8);
  const Layout& dep4 = ds.config->scenario.layout;
  CHECK(dep4.attention_dp == 4);
  CHECK(dep4.tp == 1);
  CHECK(dep4.moe_tp == 1);
  CHECK(device_count(dep4) == 4);
  // Line 1283: the same column at 1000/1000, which the overview's request table leaves out: 3000 requests.
  const MappingOutcome ds1000 = map_row(row_at_line(1283), mapping());
  REQUIRE(ds1000.config);
  REQUIRE(ds1000.config->load);
  CHECK(ds1000.config->load->requests == 3000);
  CHECK(ds1000.config->load->input.a == 1000.0);
  // Line 1357: Qwen3 235B A22B, RTX 6000 Pro, 4 GPUs DEP2,PP2 (FP4), 1000/1000: 1,731: two ranks in each of
  // two pipeline stages.
  const MappingOutcome rtx = map_row(row_at_line(1357), mapping());
  REQUIRE(rtx.config);
  CHECK(rtx.config->hardware == "rtx-pro-6000");
  CHECK(rtx.config->published == 1731.0);
  CHECK(rtx.config->scenario.layout.attention_dp == 2);
  CHECK(rtx.config->scenario.layout.pp == 2);
  CHECK(rtx.config->scenario.layout.moe_tp == 1);
  CHECK(device_count(rtx.config->scenario.layout) == 4);
  // Line 1313: Llama 3.3 70B, H100 TP2 (FP8), 8192/1024: 398; dense, tensor parallel 2; 1500 requests.
  const MappingOutcome dense = map_row(row_at_line(1313), mapping());
  REQUIRE(dense.config);
  CHECK(dense.config->hardware == "h100-sxm");
  CHECK(dense.config->scenario.layout.tp == 2);
  CHECK(dense.config->scenario.layout.attention_dp == 1);
  REQUIRE(dense.config->load);
  CHECK(dense.config->load->requests == 1500);
  // Line 1389: NVIDIA's DeepSeek-R1 recipe on eight B200s (--tp 8 --ep 8, attention data parallelism), its
  // own limits: 384 sequences and 1536 tokens a step a rank, KV 0.85 of the free memory, bf16 KV; 49152
  // requests of 1024/2048 at a concurrency that keeps the 8 x 384 slots full, simulated as all queued at
  // once.
  const MappingOutcome recipe = map_row(row_at_line(1389), mapping());
  REQUIRE(recipe.config);
  CHECK(recipe.config->model == "deepseek-v3");
  CHECK(recipe.config->published == 4548.0105);
  CHECK(recipe.config->scenario.layout.attention_dp == 8);
  CHECK(recipe.config->scenario.layout.moe_tp == 1);
  CHECK(recipe.config->scenario.kv == Dtype::bf16);
  REQUIRE(recipe.config->load);
  CHECK(recipe.config->load->kind == LoadKind::offline);
  CHECK(recipe.config->load->requests == 49152);
  CHECK(recipe.config->load->limits.max_num_seqs == 384);
  CHECK(recipe.config->load->limits.max_num_batched_tokens == 1536);
  CHECK(recipe.config->load->limits.kv_free_fraction == 0.85);
}

TEST_CASE("the throughput per device is the system's output throughput over the layout's devices") {
  // By hand: 1000 output tokens a second from 4 devices are 250 a device.
  serving::ServeSummary s;
  s.output_throughput_tok_s = 1000.0;
  s.devices = 4;
  CHECK(serving_metric_value(s, ServingMetric::output_tok_s) == 1000.0);
  CHECK(serving_metric_value(s, ServingMetric::output_tok_s_per_device) == 250.0);
  // A run of two tensor-parallel devices: the per-device figure is half the system's, from the same run.
  VllmRig rig = llama3_8b_on_h100(128, 128);
  rig.sc.layout.tp = 2;
  rig.load.requests = 200;
  const ServingPrediction whole =
      predict_serving(rig.model, rig.hw, rig.vllm, rig.sc, rig.load, ServingMetric::output_tok_s);
  const ServingPrediction per_device =
      predict_serving(rig.model, rig.hw, rig.vllm, rig.sc, rig.load, ServingMetric::output_tok_s_per_device);
  REQUIRE(whole.value);
  REQUIRE(per_device.value);
  CHECK(whole.summary.devices == 2);
  CHECK(*per_device.value == Approx(*whole.value / 2.0));
}

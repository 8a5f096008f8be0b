// The serving simulator under pipeline parallelism (src/serving/simulator.hpp: a replica runs pp virtual
// engines whose batches share the stages) against estimate()'s pipelined static batch, which is derived
// apart from it (GPipe: a micro-batch's step is max(path through the stages, M x the slowest stage)).
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/estimate.hpp"
#include "core/step.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "serving/simulator.hpp"
#include "support/fixtures.hpp"
#include "support/request_list.hpp"

using namespace infersim;
using namespace infersim::serving;

namespace {

struct PipelineRig {
  ModelSpec model = load_model(test::source_path("model_configs/llama-3-70b.yaml"));
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc;
  PipelineRig() {
    sc.layout.tp = 2;
    sc.layout.pp = 2;
  }
};

using test::at_zero;
using test::ListSource;

}  // namespace

TEST_CASE("Pipeline parallel, one request alone: TTFT and TPOT are estimate's at pp 2, batch 1") {
  // Alone, the request's batch is the only one in the pipeline: each iteration is its path through both
  // stages and the send between them, as estimate's single micro-batch (M = 1: max(path, 1 x stage)).
  PipelineRig r;
  r.sc.input_tokens = 1024;
  r.sc.output_tokens = 128;
  const Estimate e = estimate(r.model, r.hw, r.sc);
  StepTimer timer(r.model, r.hw, r.sc);
  REQUIRE(timer.stages() == 2);
  ServeConfig cfg;
  ListSource source(at_zero(1, 1024, 128));
  const ServeResult out = simulate(timer, cfg, source, 1, {}, 0.0);
  REQUIRE(out.summary.requests == 1);
  CHECK(out.summary.ttft_mean_s == Approx(e.ttft_s).epsilon(0.005));
  CHECK(out.summary.tpot_mean_s == Approx(e.tpot_s).epsilon(0.005));
}

namespace {

// 2N = 32 requests of 512 + 128 tokens at t = 0 on pp 2 under runtime `rt`: estimate's pipelined batch of
// 2N in M = 2 micro-batches, and the simulator's two virtual engines (the TPOT of each).
struct TwoEngines {
  Estimate e;
  ServeResult out;
};

TwoEngines two_engines(const RuntimeTerms& rt) {
  PipelineRig r;
  r.sc.batch = 32;
  r.sc.layout.micro_batches = 2;
  r.sc.input_tokens = 512;
  r.sc.output_tokens = 128;
  r.sc.runtime = rt;
  Scenario one = r.sc;
  one.batch = 1;
  one.layout.micro_batches = 1;
  StepTimer timer(r.model, r.hw, one);
  ServeConfig cfg;
  cfg.limits.chunked_prefill = false;
  cfg.limits.max_num_seqs = 64;
  cfg.limits.max_num_batched_tokens = 16 * 512;
  ListSource source(at_zero(32, 512, 128));
  return {estimate(r.model, r.hw, r.sc), simulate(timer, cfg, source, 32, {}, 0.0)};
}

}  // namespace

TEST_CASE(
    "Pipeline parallel, 2N requests at t = 0: two virtual engines decode like estimate's two micro-batches") {
  // The 2N requests split N and N between the replica's two virtual engines (the one with fewer unfinished
  // requests takes each); with both busy, every decode step of N rows takes max(path, 2 x the slowest
  // stage): estimate's pipelined batch of 2N in M = 2 micro-batches of N (GPipe, Huang et al. 2019).
  const TwoEngines t = two_engines(RuntimeTerms{});
  CHECK(t.out.summary.requests == 32);
  CHECK(t.out.summary.batch_max == 16);
  CHECK(t.out.summary.tpot_mean_s == Approx(t.e.tpot_s).epsilon(0.01));
}

TEST_CASE(
    "Pipeline parallel, 2N requests with host work per sequence: each iteration carries every batch's") {
  // As above, with a runtime whose host works 100 us per running sequence and 30 us per pass. estimate's
  // pipelined step adds the host's work for all 2N sequences once a step (runtime_overhead_s of the batch);
  // in the simulator each virtual engine's iteration spans the round in which the host serves both engines'
  // batches, so the host's work it carries is that of both (N + N sequences), not of its own N alone.
  RuntimeTerms rt;
  rt.step_overhead_s = 30e-6;
  rt.host_per_sequence_s = 100e-6;
  const TwoEngines t = two_engines(rt);
  // By hand: the host's share of estimate's TPOT is 30 us + 32 x 100 us = 3.23 ms.
  CHECK(t.e.runtime_overhead_per_step_s == Approx(30e-6 + 32 * 100e-6));
  CHECK(t.out.summary.requests == 32);
  CHECK(t.out.summary.batch_max == 16);
  CHECK(t.out.summary.tpot_mean_s == Approx(t.e.tpot_s).epsilon(0.01));
}

TEST_CASE(
    "Pipeline parallel, an overlap scheduler that does not run under pp: the host's work adds in full") {
  // As above, the runtime's overlap scheduler on but not under pipeline parallelism (TensorRT-LLM's PyTorch
  // executor, runtime_profiles/trtllm-pytorch.yaml): at pp 2 its 3.23 ms of host work a step add to the
  // device's time in estimate and in the simulator alike, as if it had no overlap scheduler.
  RuntimeTerms rt;
  rt.step_overhead_s = 30e-6;
  rt.host_per_sequence_s = 100e-6;
  rt.host_overlaps_device = true;
  rt.host_overlaps_under_pp = false;
  const TwoEngines t = two_engines(rt);
  CHECK(t.e.runtime_overhead_per_step_s == Approx(30e-6 + 32 * 100e-6));
  CHECK(t.out.summary.tpot_mean_s == Approx(t.e.tpot_s).epsilon(0.01));
  // Overlapped at pp 2 as well (the default), the same work hides behind the device's step where shorter.
  rt.host_overlaps_under_pp = true;
  const TwoEngines hidden = two_engines(rt);
  CHECK(hidden.e.runtime_overhead_per_step_s < t.e.runtime_overhead_per_step_s);
  CHECK(hidden.out.summary.tpot_mean_s == Approx(hidden.e.tpot_s).epsilon(0.01));
}

TEST_CASE("Pipeline parallel: each virtual engine gets 1/pp of the blocks, --micro-batches is refused") {
  PipelineRig r;
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig cfg;
  ListSource none({});
  const ServeResult two = simulate(timer, cfg, none, 0, {}, 0.0);
  // The blocks the binding stage's device holds, split between the two virtual engines (floor division).
  const StepMemory mem = timer.memory(static_cast<double>(cfg.limits.max_num_batched_tokens));
  const double device_blocks = std::floor(mem.kv_budget_bytes_per_device /
                                          (cfg.limits.block_tokens * mem.kv_bytes_per_token_per_device));
  CHECK(two.kv_blocks_per_replica == static_cast<long long>(std::floor(device_blocks / 2.0)));
  Scenario micro = r.sc;
  micro.layout.micro_batches = 2;
  micro.batch = 2;
  CHECK(why_step_invalid(r.model, r.hw, micro).has_value());
}

TEST_CASE("Pipeline parallel with attention data-parallel ranks: each rank's micro-batches as estimate's") {
  // Qwen3-30B-A3B on 2 attention ranks x 2 stages of H100s (4 GPUs). 4N = 64 requests of 512 + 128 tokens
  // at t = 0 go N to each virtual engine of each rank (fewest unfinished first); with all four busy, each
  // group step runs both ranks' micro-batch v of N rows together, the experts gathering 2N rows, and lasts
  // max(path, 2 x the slowest stage): estimate's pipelined batch of 2N per rank in M = 2 micro-batches
  // (docs/formulas.md#attention_data_parallel, #pipeline_bubble), derived apart from the simulator.
  const ModelSpec m = load_model(test::source_path("model_configs/qwen3-30b-a3b.yaml"));
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc;
  sc.layout.attention_dp = 2;
  sc.layout.pp = 2;
  sc.layout.micro_batches = 2;
  sc.batch = 32;  // per rank
  sc.input_tokens = 512;
  sc.output_tokens = 128;
  Scenario one = sc;
  one.batch = 1;
  one.layout.micro_batches = 1;
  StepTimer timer(m, hw, one);
  ServeConfig cfg;
  cfg.replicas = 2;  // the ranks
  cfg.limits.chunked_prefill = false;
  cfg.limits.max_num_seqs = 64;
  cfg.limits.max_num_batched_tokens = 16 * 512;
  ListSource source(at_zero(64, 512, 128));
  const ServeResult out = simulate(timer, cfg, source, 64, {}, 0.0);
  const Estimate e = estimate(m, hw, sc);
  CHECK(out.summary.requests == 64);
  CHECK(out.summary.batch_max == 16);
  CHECK(out.summary.tpot_mean_s == Approx(e.tpot_s).epsilon(0.01));
}

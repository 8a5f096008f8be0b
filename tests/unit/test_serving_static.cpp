// The serving simulator with static shapes (JetStream: SchedulerLimits::static_cache_tokens,
// max_prefill_seqs, pad_prefill_pow2; docs/formulas.md#static_decode). Each expectation is derived by
// hand from the rule: a generate step computes every slot over its whole static cache, so its time does
// not depend on how many slots are occupied or how long their contexts are; a padded prompt computes as
// its bucket; one prompt per iteration serialises the prefills.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "core/step.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "serving/scenario_serving.hpp"
#include "serving/simulator.hpp"
#include "serving/static_shapes.hpp"
#include "support/fixtures.hpp"
#include "support/request_list.hpp"

using namespace infersim;
using namespace infersim::serving;

namespace {

struct StaticRig {
  ModelSpec model = load_model(test::source_path("model_configs/llama-3-8b.yaml"));
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc;
  ServeConfig cfg;
  StaticRig() {
    cfg.limits.max_num_seqs = 8;
    cfg.limits.max_num_batched_tokens = 1024;
    cfg.limits.chunked_prefill = false;
    cfg.limits.prefix_caching = false;
    cfg.limits.static_cache_tokens = 2048;
  }
  ServeSummary run(const std::vector<Request>& requests) {
    StepTimer timer(model, hw, sc);
    test::ListSource source(requests);
    return simulate(timer, cfg, source, static_cast<long long>(requests.size()), {}, 0.0).summary;
  }
};

using test::at_zero;

}  // namespace

TEST_CASE("padded_prefill_tokens: the next power of two, 16 at least, cut at the largest prefill") {
  // JetStream's buckets 16, 32, 64, ..., with the server's max_prefill_length as the last.
  CHECK(padded_prefill_tokens(1, 1024) == 16);
  CHECK(padded_prefill_tokens(16, 1024) == 16);
  CHECK(padded_prefill_tokens(17, 1024) == 32);
  CHECK(padded_prefill_tokens(161, 1024) == 256);  // ShareGPT's mean prompt
  CHECK(padded_prefill_tokens(1000, 1024) == 1024);
  CHECK(padded_prefill_tokens(600, 768) == 768);  // a bucket list cut at 768 ends with 768
  CHECK(padded_prefill_tokens(2000, 1024) == 2000);
  CHECK(static_decode_keys(96, 2048) == 196608.0);  // 96 x 2048
}

TEST_CASE("Static cache: a generate step costs the same whether one slot or every slot is occupied") {
  // Every generate step computes the 8 slots over 2048 cached positions each: one request alone and eight
  // at once decode at the same TPOT. A paged cache decodes the lone request faster (one row, ~100 keys).
  StaticRig r;
  const ServeSummary one = r.run(at_zero(1, 100, 33));
  const ServeSummary eight = r.run(at_zero(8, 100, 33));
  REQUIRE(one.requests == 1);
  REQUIRE(eight.requests == 8);
  CHECK(one.tpot_mean_s == Approx(eight.tpot_mean_s).epsilon(1e-9));
  r.cfg.limits.static_cache_tokens = 0;
  const ServeSummary paged = r.run(at_zero(1, 100, 33));
  CHECK(paged.tpot_mean_s < one.tpot_mean_s);
}

TEST_CASE("Static cache: the step is the engine's step of every slot at the whole cache length") {
  StaticRig r;
  const ServeSummary one = r.run(at_zero(1, 100, 11));
  StepTimer timer(r.model, r.hw, r.sc);
  StepLoad load;
  load.span_count = timer.spans().count;
  load.decode_rows = 8.0;  // max_num_seqs
  load.sampled_rows = 8.0;
  for (int s = 0; s < load.span_count; ++s) {
    load.spans[static_cast<std::size_t>(s)].span = timer.spans().group[static_cast<std::size_t>(s)].span;
    load.spans[static_cast<std::size_t>(s)].decode_keys = 8.0 * 2048.0;
  }
  CHECK(one.tpot_mean_s == Approx(timer.step_s(load)).epsilon(1e-9));
}

TEST_CASE("Padded prefill: a 100-token prompt's first token comes as a 128-token prompt's does") {
  // Power-of-two padding: 100 tokens compute as the 128 of their bucket (the step has no decode rows yet).
  StaticRig r;
  r.cfg.limits.static_cache_tokens = 0;
  r.cfg.limits.pad_prefill_pow2 = true;
  const ServeSummary padded = r.run(at_zero(1, 100, 2));
  r.cfg.limits.pad_prefill_pow2 = false;
  const ServeSummary exact = r.run(at_zero(1, 128, 2));
  const ServeSummary unpadded = r.run(at_zero(1, 100, 2));
  CHECK(padded.ttft_mean_s == Approx(exact.ttft_mean_s).epsilon(1e-9));
  CHECK(unpadded.ttft_mean_s < padded.ttft_mean_s);
}

TEST_CASE("One prompt a step: four prompts at t = 0 finish one step apart") {
  // Output 1: each request is done when its prompt is. One prompt an iteration: the k-th first token
  // comes after k prefill steps of one prompt, so the mean TTFT is (1 + 2 + 3 + 4) / 4 = 2.5 times the
  // lone prompt's; no limit: all four in one step of 400 tokens.
  StaticRig r;
  r.cfg.limits.static_cache_tokens = 0;
  r.cfg.limits.max_prefill_seqs = 1;
  const ServeSummary alone = r.run(at_zero(1, 100, 1));
  const ServeSummary four = r.run(at_zero(4, 100, 1));
  REQUIRE(four.requests == 4);
  CHECK(four.ttft_mean_s == Approx(2.5 * alone.ttft_mean_s).epsilon(1e-9));
  r.cfg.limits.max_prefill_seqs = 0;
  const ServeSummary together = r.run(at_zero(4, 100, 1));
  CHECK(together.ttft_p99_s < four.ttft_p99_s);
}

TEST_CASE(
    "Static cache: a sequence longer than the cache is refused, a cache that does not fit is an error") {
  StaticRig r;
  const ServeSummary s = r.run({{0, 0.0, 1000, 1000}, {1, 0.0, 1000, 1049}});
  CHECK(s.requests == 1);  // 2000 tokens fit the 2048-token cache, 2049 do not
  CHECK(s.rejected == 1);
  // 8 slots x 2,000,000 tokens x 128 KiB a token (Llama-3-8B in bf16: 32 layers x 8 KV heads x 128 x 2 x 2
  // bytes) is about 2 TB: more than an 80 GB H100 holds.
  r.cfg.limits.static_cache_tokens = 2'000'000;
  CHECK_THROWS_WITH(r.run(at_zero(1, 100, 10)),
                    Catch::Contains("the static KV cache of 8 slots x 2000000 tokens"));
}

TEST_CASE(
    "Static cache: capacity and plan skip a candidate whose static cache does not fit, with the reason") {
  // 8 slots x 2,000,000 tokens do not fit an H100 (above); 8 x 2048 (16,384 tokens, 2 GiB) do.
  StaticRig r;
  CHECK_FALSE(why_not_servable(r.model, r.hw, r.sc, r.cfg.limits));
  r.cfg.limits.static_cache_tokens = 2'000'000;
  const std::optional<std::string> why = why_not_servable(r.model, r.hw, r.sc, r.cfg.limits);
  REQUIRE(why);
  CHECK(why->find("the static KV cache of 8 slots x 2000000 tokens needs") != std::string::npos);
}

TEST_CASE("Static shapes: a prompt cannot join the fixed generate step, it is a pass of its own beside it") {
  // A (10 tokens out) and B (1 token out) at t = 0, one prompt an iteration: iteration 1 prefills A alone
  // (t1); iteration 2 runs A's generate step (g, every slot over the whole cache) and B's prefill (t1) one
  // after the other, so B's first token comes at 2 t1 + g and the mean TTFT is (t1 + 2 t1 + g) / 2. t1 is a
  // lone prompt's TTFT, g a lone request's TPOT, both under the same static shapes.
  StaticRig r;
  r.cfg.limits.max_prefill_seqs = 1;
  const ServeSummary lone = r.run({{0, 0.0, 100, 10}});
  const double t1 = lone.ttft_mean_s;
  const double g = lone.tpot_mean_s;
  const ServeSummary two = r.run({{0, 0.0, 100, 10}, {1, 0.0, 100, 1}});
  REQUIRE(two.requests == 2);
  CHECK(two.ttft_mean_s == Approx((3.0 * t1 + g) / 2.0).epsilon(1e-9));
}

TEST_CASE("graph_padded_rows: the smallest captured batch size that holds the rows") {
  // TensorRT-LLM's perf-overview sizes 1, 2, 4, ..., 512, 1024, ..., 8192, captured up to the largest batch
  // a decode-only iteration can reach (the cap: min(max_batch_size, max_num_tokens)), and the cap itself
  // in place of the first size above it.
  const std::vector<long long> sizes = {1, 2, 4, 8, 16, 32, 64, 128, 256, 384, 512, 1024, 2048, 4096, 8192};
  CHECK(graph_padded_rows(1, sizes, 640) == 1);
  CHECK(graph_padded_rows(3, sizes, 640) == 4);
  CHECK(graph_padded_rows(300, sizes, 640) == 384);
  CHECK(graph_padded_rows(447, sizes, 640) == 512);
  CHECK(graph_padded_rows(608, sizes, 640) == 640);    // 1024 is above the cap: the cap is captured instead
  CHECK(graph_padded_rows(608, sizes, 1024) == 1024);  // a cap that is a size
  CHECK(graph_padded_rows(640, sizes, 640) == 640);
  // Sizes all below the cap: a batch above the largest runs without a graph, unpadded.
  const std::vector<long long> small = {1, 2, 4};
  CHECK(graph_padded_rows(4, small, 640) == 4);
  CHECK(graph_padded_rows(5, small, 640) == 5);
}

TEST_CASE("Graph padding: a lone decode row computes as four, the host works for one") {
  // Sizes {4}: the decode-only iteration of one sequence replays the graph of 4 rows, three of them dummy
  // sequences with no cache (so the keys are the real sequence's alone); the host's per-sequence work is
  // for the one real sequence. Output 2: the TPOT is the one decode step's time, at 101 keys (the
  // 100-token prompt and the first token). The prefill iteration (a prompt in it) runs no graph: the TTFT
  // is unchanged.
  StaticRig r;
  r.cfg.limits.static_cache_tokens = 0;
  r.sc.runtime.host_per_sequence_s = 1e-3;
  const ServeSummary unpadded = r.run(at_zero(1, 100, 2));
  r.cfg.limits.graph_padding_sizes = {4};
  const ServeSummary padded = r.run(at_zero(1, 100, 2));
  StepTimer timer(r.model, r.hw, r.sc);
  StepLoad four;  // four real sequences' rows, the keys of one
  four.span_count = timer.spans().count;
  four.decode_rows = 4.0;
  four.sampled_rows = 4.0;
  for (int s = 0; s < four.span_count; ++s) {
    four.spans[static_cast<std::size_t>(s)].span = timer.spans().group[static_cast<std::size_t>(s)].span;
    four.spans[static_cast<std::size_t>(s)].decode_keys = 101.0;
  }
  CHECK(padded.tpot_mean_s == Approx(timer.step_s(four) - 3 * 1e-3).epsilon(1e-9));
  CHECK(padded.tpot_mean_s > unpadded.tpot_mean_s);
  CHECK(padded.ttft_mean_s == Approx(unpadded.ttft_mean_s).epsilon(1e-12));
  // The summary's padding share: one decode iteration of 4 rows computed, 3 of them dummies.
  REQUIRE(padded.graph_padding_share);
  CHECK(*padded.graph_padding_share == Approx(0.75).epsilon(1e-12));
  CHECK_FALSE(unpadded.graph_padding_share);  // no padding configured: no share
  // Five rows: above every captured size (the cap, 8, is below no size given), no graph, no padding.
  const ServeSummary five_padded = r.run(at_zero(5, 100, 2));
  r.cfg.limits.graph_padding_sizes.clear();
  const ServeSummary five = r.run(at_zero(5, 100, 2));
  CHECK(five_padded.tpot_mean_s == Approx(five.tpot_mean_s).epsilon(1e-12));
  REQUIRE(five_padded.graph_padding_share);
  CHECK(*five_padded.graph_padding_share == 0.0);
}

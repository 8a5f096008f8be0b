// Per-layer key spans (docs/formulas.md#key_span): keys attended, tokens cached and causal pairs for
// full, sliding-window and chunked layers, counted by hand on small cases; the engine's exact decode sums
// against a step-by-step sum.
#include <catch2/catch.hpp>

#include "core/formulas/kv_cache.hpp"
#include "core/hardware_spec.hpp"
#include "core/key_span.hpp"
#include "core/layout.hpp"
#include "core/operators.hpp"
#include "core/phase.hpp"
#include "core/roofs.hpp"
#include "core/scenario.hpp"
#include "core/weights.hpp"

using namespace infersim;

namespace {
constexpr KeySpan kFull{};
constexpr KeySpan kSliding4{KeySpanKind::sliding, 4};
constexpr KeySpan kChunked4{KeySpanKind::chunked, 4};
constexpr KeySpan kChunked2{KeySpanKind::chunked, 2};
}  // namespace

TEST_CASE("Keys one query attends: full t, sliding min(t, W), chunked its place in its chunk") {
  CHECK(attended_keys(kFull, 10) == 10);
  CHECK(attended_keys(kSliding4, 10) == 4);
  CHECK(attended_keys(kSliding4, 3) == 3);
  // C = 4: positions 1..4 are chunk 1 (keys 1..4), 5..8 chunk 2, 9..12 chunk 3: position 10 sees 9, 10.
  CHECK(attended_keys(kChunked4, 1) == 1);
  CHECK(attended_keys(kChunked4, 4) == 4);
  CHECK(attended_keys(kChunked4, 5) == 1);
  CHECK(attended_keys(kChunked4, 10) == 2);
}

TEST_CASE("Tokens cached per layer: a sliding layer at most W, a chunked one at most C") {
  CHECK(span_cached_tokens(kFull, 10) == 10);
  CHECK(span_cached_tokens(kSliding4, 10) == 4);
  CHECK(span_cached_tokens(kChunked4, 10) == 4);
  CHECK(span_cached_tokens(kChunked4, 3) == 3);
}

TEST_CASE("Causal pairs of s = 5 tokens, summed by hand over the queries") {
  CHECK(span_pairs(kFull, 5) == 15);                            // 1+2+3+4+5
  CHECK(span_pairs(KeySpan{KeySpanKind::sliding, 2}, 5) == 9);  // 1+2+2+2+2
  CHECK(span_pairs(kChunked2, 5) == 7);                         // 1+2 | 1+2 | 1
  CHECK(span_pairs(kChunked4, 3) == 6);                         // within the first chunk: as full
}

TEST_CASE("The KV cache of a patterned model sums its layer groups") {
  // 6 layers, pattern [sliding 4, sliding 4, full]: layers 0, 1, 3, 4 slide, 2 and 5 are full. One KV
  // head of dim 1 at 1 byte: 2 bytes per token and layer (K and V).
  ModelSpec m;
  m.layers = 6;
  m.kv_heads = 1;
  m.head_dim = 1;
  m.attention_pattern = {kSliding4, kSliding4, kFull};
  const SpanGroups groups = span_groups(m);
  REQUIRE(groups.count == 2);
  CHECK(groups.group[0].span == kSliding4);
  CHECK(groups.group[0].layers == 4);
  CHECK(groups.group[1].layers == 2);
  CHECK(model_kv_cache_bytes(m, 1, 10, 1.0, ChunkedCache::chunk) == 4 * 4 * 2 + 2 * 10 * 2);  // 32 + 40
  CHECK(model_kv_cache_bytes(m, 1, 3, 1.0, ChunkedCache::chunk) ==
        6 * 3 * 2);  // below the window: every layer
  CHECK(model_kv_cache_bytes(m, 3, 10, 1.0, ChunkedCache::chunk) == 3 * 72.0);
}

TEST_CASE("A cache that keeps the whole sequence holds every token of a chunked layer, and only there") {
  CHECK(cached_span(kChunked4, ChunkedCache::chunk) == kChunked4);
  CHECK(cached_span(kChunked4, ChunkedCache::whole) == kFull);
  CHECK(cached_span(kSliding4, ChunkedCache::whole) == kSliding4);  // a sliding layer keeps its window
  CHECK(cached_span(kFull, ChunkedCache::whole) == kFull);
  // 4 layers, pattern [chunked 4, chunked 4, chunked 4, full] (Llama 4's three to one); one KV head of
  // dim 1 at 1 byte: 2 bytes per token and layer. At t = 10 the chunk cache holds 3 x 4 + 10 = 22 tokens
  // (44 bytes), the whole cache 4 x 10 = 40 (80 bytes).
  ModelSpec m;
  m.layers = 4;
  m.kv_heads = 1;
  m.head_dim = 1;
  m.attention_pattern = {kChunked4, kChunked4, kChunked4, kFull};
  CHECK(model_kv_cache_bytes(m, 1, 10, 1.0, ChunkedCache::chunk) == 44.0);
  CHECK(model_kv_cache_bytes(m, 1, 10, 1.0, ChunkedCache::whole) == 80.0);
  CHECK(model_kv_cache_bytes(m, 1, 3, 1.0, ChunkedCache::chunk) == 24.0);  // under the chunk: the same
  CHECK(model_kv_cache_bytes(m, 1, 3, 1.0, ChunkedCache::whole) == 24.0);
}

TEST_CASE("A pipeline stage's shard starts the pattern at its first layer") {
  ModelSpec m;
  m.layers = 3;
  m.attention_heads = 1;
  m.kv_heads = 1;
  m.attention_pattern = {kSliding4, kSliding4, kFull};
  // Stage of layers 1..2: layer 1 slides, layer 2 is full.
  const ModelSpec shard = stage_shard(m, Stage{1, 2, false, true}, Layout{});
  CHECK(layer_key_span(shard, 0) == kSliding4);
  CHECK(layer_key_span(shard, 1) == kFull);
  CHECK(span_groups(shard).count == 2);
}

TEST_CASE("The exact decode-time sum equals the step-by-step sum under every span") {
  ModelSpec m;
  m.name = "span-test";
  m.layers = 4;
  m.hidden_size = 256;
  m.attention_heads = 4;
  m.kv_heads = 2;
  m.head_dim = 64;
  m.intermediate_size = 512;
  m.vocab_size = 1000;
  m.max_context = 100000;
  HardwareSpec hw;
  hw.peak_flops[static_cast<std::size_t>(index_of(PeakSlot::bf16))] = 1e12;
  hw.peak_flops[static_cast<std::size_t>(index_of(PeakSlot::fp32))] = 1e11;
  hw.memory_bandwidth_Bps = 1e11;
  hw.memory_capacity_B = 1e10;
  const Scenario sc;
  const Roofs roofs = decode_step_roofs(roofs_for(hw, sc), 8.0);
  PassShape shape;
  shape.batch = 8.0;
  shape.formats = {weight_formats(sc.weights, false), 2.0, 2.0};
  for (const KeySpan span : {kFull, KeySpan{KeySpanKind::sliding, 300}, KeySpan{KeySpanKind::chunked, 64}}) {
    m.attention_pattern = {span, kFull};
    const std::vector<Operator> ops = decode_operators(m, shape);
    for (const auto& [lo, hi] : {std::pair{1LL, 1LL}, {60LL, 70LL}, {1LL, 640LL}, {250LL, 1000LL}}) {
      double stepwise = 0.0;
      for (long long t = lo; t <= hi; ++t) {
        PhaseResult step;
        detail::add_ops(step, ops, static_cast<double>(t), roofs, false);
        stepwise += step.time_s;
      }
      CHECK(detail::decode_time_sum_s(ops, roofs, lo, hi) == Approx(stepwise).epsilon(1e-9));
    }
  }
}

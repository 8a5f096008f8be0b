// StreamingLLM (Xiao et al. 2023; docs/formulas.md#streaming_llm): --kv-window W --kv-sinks S caps every
// layer's key span at S + W tokens, in the cache, the attention work, estimate, sweep, capacity and the
// serving step.
#include <catch2/catch.hpp>
#include <string>

#include "core/capacity.hpp"
#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/formulas/kv_cache.hpp"
#include "core/step.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/scenario_text.hpp"
#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using namespace infersim;

namespace {

ModelSpec shipped_model(const std::string& name) {
  return load_model(test::source_path("model_configs/" + name + ".yaml"));
}

HardwareSpec h100() { return load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml")); }

Scenario streaming(long long batch, long long input, long long output, long long window, long long sinks) {
  Scenario sc = test::scenario(batch, input, output);
  sc.kv_window = window;
  sc.kv_sinks = sinks;
  return sc;
}

const std::string kData = "--config-dir " + test::source_path("");

}  // namespace

TEST_CASE("streaming_span caps each span at S + W tokens") {
  constexpr long long kCache = 4 + 4096;
  CHECK(streaming_span({}, kCache) == KeySpan{KeySpanKind::sliding, 4100});
  CHECK(streaming_span({KeySpanKind::sliding, 128}, kCache) == KeySpan{KeySpanKind::sliding, 128});
  CHECK(streaming_span({KeySpanKind::sliding, 8192}, kCache) == KeySpan{KeySpanKind::sliding, 4100});
  CHECK(streaming_span({KeySpanKind::chunked, 1024}, kCache) == KeySpan{KeySpanKind::chunked, 1024});
  CHECK_FALSE(streaming_span({KeySpanKind::chunked, 8192}, kCache));
  // A whole model: gpt-oss alternates sliding-128 and full layers; the full ones become sliding S + W.
  const ModelSpec oss = streaming_model(shipped_model("gpt-oss-20b"), kCache);
  REQUIRE(oss.attention_pattern.size() == 2);
  CHECK(oss.attention_pattern[0] == KeySpan{KeySpanKind::sliding, 128});
  CHECK(oss.attention_pattern[1] == KeySpan{KeySpanKind::sliding, 4100});
}

TEST_CASE(
    "StreamingLLM with a window of 4,096 and 4 sinks caps Llama-3-8B's KV cache at 4,100 tokens a sequence") {
  // Llama-3-8B (config.json): 32 layers, 8 KV heads of 128, bf16: 2 * 32 * 8 * 128 * 2 = 131,072 B a
  // token. Batch 2 at 7,000 + 100 tokens keeps 4 + 4,096 of them: 2 * 4,100 * 131,072 = 1,074,790,400 B.
  const ModelSpec m = shipped_model("llama-3-8b");
  const HardwareSpec hw = h100();
  const Estimate e = estimate(m, hw, streaming(2, 7000, 100, 4096, 4), false);
  CHECK(e.kv_bytes_per_token == 131'072.0);
  CHECK(e.kv_cache_bytes == 2.0 * 4100.0 * 131'072.0);
  CHECK(e.kv_cache_bytes == 1'074'790'400.0);
  // Below the cache the context is all kept: 2 * (1,000 + 100) tokens.
  CHECK(estimate(m, hw, streaming(2, 1000, 100, 4096, 4), false).kv_cache_bytes == 2.0 * 1100.0 * 131'072.0);
  CHECK(estimate(m, hw, test::scenario(2, 7000, 100), false).kv_cache_bytes == 2.0 * 7100.0 * 131'072.0);
}

TEST_CASE("Decode time is flat in the context beyond the StreamingLLM cache, and grows without it") {
  const ModelSpec m = shipped_model("llama-3-8b");
  const HardwareSpec hw = h100();
  EstimateScratch scratch;  // one scratch for all: the pass cache must tell the window apart
  const Estimate at_5k = estimate(m, hw, streaming(8, 5000, 64, 4096, 4), false, scratch);
  const Estimate at_8k = estimate(m, hw, streaming(8, 8000, 64, 4096, 4), false, scratch);
  const Estimate full_5k = estimate(m, hw, test::scenario(8, 5000, 64), false, scratch);
  const Estimate full_8k = estimate(m, hw, test::scenario(8, 8000, 64), false, scratch);
  CHECK(at_8k.tpot_s == Approx(at_5k.tpot_s).epsilon(1e-12));
  CHECK(full_8k.tpot_s > full_5k.tpot_s);
  CHECK(at_5k.tpot_s < full_5k.tpot_s);
  CHECK(estimate(m, hw, streaming(8, 8000, 64, 4096, 4), false).tpot_s == at_8k.tpot_s);
  // A window past the context changes nothing.
  CHECK(estimate(m, hw, streaming(8, 1000, 64, 4096, 4), false, scratch).tpot_s ==
        estimate(m, hw, test::scenario(8, 1000, 64), false, scratch).tpot_s);
}

TEST_CASE("StreamingLLM: the serving step and capacity take the same spans") {
  const ModelSpec m = shipped_model("llama-3-8b");
  const HardwareSpec hw = h100();
  const StepTimer timer(m, hw, streaming(1, 1024, 256, 4096, 4));
  REQUIRE(timer.spans().count == 1);
  CHECK(timer.spans().group[0].span == KeySpan{KeySpanKind::sliding, 4100});
  // More sequences of 8,000 tokens fit when each keeps 4,100 of them.
  const auto batch = [&](const Scenario& sc) {
    return largest_batch_where(
        m, hw, sc, [](const Estimate& e, long long) { return e.fits; }, 1'000'000);
  };
  const auto windowed = batch(streaming(1, 7900, 100, 4096, 4));
  const auto full = batch(test::scenario(1, 7900, 100));
  REQUIRE(windowed);
  REQUIRE(full);
  CHECK(*windowed > *full);
}

TEST_CASE("StreamingLLM refuses what it does not model, with the reason") {
  const HardwareSpec hw = h100();
  // Llama 4's chunked layers (8,192) would need tokens a 4,100-token cache has dropped.
  const ModelSpec scout = shipped_model("llama-4-scout-17b-16e");
  Scenario sc = streaming(1, 1024, 16, 4096, 4);
  sc.layout.tp = 8;
  const auto why = why_invalid(scout, hw, sc);
  REQUIRE(why);
  CHECK(why->find("chunked attention of 8192 tokens, more than the StreamingLLM cache of window + sinks = "
                  "4100") != std::string::npos);
  sc.kv_window = 8188;  // a cache of 8,192 holds a whole chunk
  CHECK_FALSE(why_invalid(scout, hw, sc));
  // Sinks without a window.
  CHECK(why_invalid(shipped_model("llama-3-8b"), hw, streaming(1, 1024, 16, 0, 4)));
}

TEST_CASE("StreamingLLM as text (--kv-window, --kv-sinks): bounds, and sinks only beside a window") {
  ScenarioValues v;
  parse_scenario_value(v, ScenarioKey::kv_window, "4096", "--kv-window");
  parse_scenario_value(v, ScenarioKey::kv_sinks, "0", "--kv-sinks");
  CHECK(compose_scenario(v, RuntimeTerms{}).kv_window == 4096);
  CHECK_THROWS_WITH(parse_scenario_value(v, ScenarioKey::kv_sinks, "-1", "--kv-sinks"),
                    "--kv-sinks must be an integer in [0, 1000000000], got '-1'");
  CHECK_THROWS_WITH(parse_scenario_value(v, ScenarioKey::kv_window, "4k", "--kv-window"),
                    "--kv-window must be an integer in [0, 1000000000], got '4k'");
  ScenarioValues sinks_only;
  parse_scenario_value(sinks_only, ScenarioKey::kv_sinks, "4", "--kv-sinks");
  CHECK_THROWS_AS(compose_scenario(sinks_only, RuntimeTerms{}), InputError);

  const auto r = test::run_infersim(kData + " estimate -m llama-3-8b -g h100-sxm --kv-sinks 4");
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--kv-sinks (kv_sinks) needs --kv-window (kv_window)") != std::string::npos);
  const auto ok = test::run_infersim(kData +
                                     " estimate -m llama-3-8b -g h100-sxm -b 2 --input 7000 "
                                     "--output 100 --kv-window 4096 --kv-sinks 4 --format json");
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("\"kv_cache_bytes\": 1074790400") != std::string::npos);
}

TEST_CASE("sweep: kv_window and kv_sinks columns appear only when the axes are given") {
  const auto plain = test::run_infersim(kData + " sweep -m llama-3-8b -g h100-sxm --quiet");
  REQUIRE(plain.exit_code == 0);
  CHECK(plain.out.find("kv_window") == std::string::npos);
  const auto axes = test::run_infersim(kData +
                                       " sweep -m llama-3-8b -g h100-sxm --input 7000 --output 100 "
                                       "--kv-window 0,4096 --kv-sinks 0,4 --quiet");
  REQUIRE(axes.exit_code == 0);
  const std::string header = axes.out.substr(0, axes.out.find('\n'));
  CHECK(header.size() >= 18);
  CHECK(header.substr(header.size() - 18) == "kv_window,kv_sinks");
  // Window 0 with 4 sinks is no configuration (skipped); the others: off, 4,096 and 4,100 tokens.
  CHECK(std::count(axes.out.begin(), axes.out.end(), '\n') == 4);
  const auto sinks_only = test::run_infersim(kData + " sweep -m llama-3-8b -g h100-sxm --kv-sinks 4 --quiet");
  CHECK(sinks_only.exit_code == 2);
  CHECK(sinks_only.err.find("needs --kv-window") != std::string::npos);
}

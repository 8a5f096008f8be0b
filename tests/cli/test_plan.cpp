// infersim capacity and plan on the command line: keys, exit codes (3: no plan meets the targets).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using infersim::test::run_infersim;
using infersim::test::source_path;

namespace {
const std::string kData = "--config-dir " + source_path("");
}

TEST_CASE("capacity --format json names min_devices and max_batch") {
  const auto r = run_infersim(kData + " capacity -m llama-2-70b -g h100-sxm --format json");
  REQUIRE(r.exit_code == 0);  // TP 1 does not fit, but two devices do: an answer, not "none"
  CHECK(r.out.find("\"min_devices\": 2,") != std::string::npos);
  CHECK(r.out.find("\"max_batch\": 0,") != std::string::npos);  // TP1: not even batch 1 fits
}

TEST_CASE("plan: a ranked table when targets can be met, exit 3 when they cannot, exit 2 on bad prices") {
  const std::string base = kData +
                           " plan -m llama-3-70b -g a100-80gb-sxm,h100-sxm,h200-sxm,mi300x --input 2048 "
                           "--output 256 --rate 10 --tpot-slo 0.05";
  const auto ok = run_infersim(base + " --ttft-slo 1");
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("   1 ") != std::string::npos);
  const auto none = run_infersim(base + " --ttft-slo 0.001");
  CHECK(none.exit_code == 3);
  CHECK(none.out.find("no candidate meets the targets") != std::string::npos);
  CHECK(run_infersim(base + " --ttft-slo 1 --price h100-sxm=2.5").exit_code == 2);  // prices for some only
  CHECK(run_infersim(base + " --ttft-slo 1 --price nope=1").exit_code == 2);
}

TEST_CASE("plan takes --runtime like estimate: named in the output, its step overhead in every TPOT") {
  const std::string base = kData +
                           " plan -m llama-3-70b -g h100-sxm --input 2048 --output 256 --rate 10 "
                           "--ttft-slo 1 --tpot-slo 0.05 --format json --top 1";
  const auto optimized = run_infersim(base);
  REQUIRE(optimized.exit_code == 0);
  CHECK(optimized.out.find("\"runtime\": \"optimized\"") != std::string::npos);
  const auto eager = run_infersim(base + " --runtime eager");
  REQUIRE(eager.exit_code == 0);
  CHECK(eager.out.find("\"runtime\": \"eager\"") != std::string::npos);
  // A runtime that spends 60 ms of host work on every pass: no TPOT can be under 50 ms, whatever the
  // device, layout or batch, so nothing meets the target (exit 3).
  const auto dir =
      std::filesystem::temp_directory_path() / ("infersim_plan_runtime_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto slow = dir / "slow-host.yaml";
  std::ofstream(slow)
      << "description: \"test: 60 ms of host work a pass\"\nsource: \"made up for this test\"\n"
         "step_overhead_us: 60000\nhost_launch_us: 0\n";
  const auto none = run_infersim(base + " --runtime " + slow.string());
  CHECK(none.exit_code == 3);
  CHECK(run_infersim(base + " --runtime nope").exit_code == 2);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Latency targets take units; a target must be positive; none is said as none with exit 3") {
  // 500ms and 0.5 are the same target: the same output.
  const auto ms = run_infersim(kData + " capacity -m llama-2-7b -g l40s --ttft-slo 500ms --tpot-slo 50ms");
  const auto s = run_infersim(kData + " capacity -m llama-2-7b -g l40s --ttft-slo 0.5 --tpot-slo 0.05");
  REQUIRE(ms.exit_code == 0);
  CHECK(ms.out == s.out);
  // A bare number far above any real target is still seconds, with a warning.
  const auto bare = run_infersim(kData + " capacity -m llama-2-7b -g l40s --ttft-slo 500 --tpot-slo 30");
  CHECK(bare.err.find("warning: --ttft-slo 500 is read as 500 seconds") != std::string::npos);
  CHECK(bare.err.find("warning: --tpot-slo 30 is read as 30 seconds") != std::string::npos);
  // 0 is not "no target": it is refused (exit 2), with the range.
  const auto zero = run_infersim(kData + " capacity --ttft-slo 0");
  CHECK(zero.exit_code == 2);
  CHECK(zero.err.find("--ttft-slo must be a time in (0, 86400] seconds") != std::string::npos);
  // No batch meets a 1 us TTFT: said as none, exit 3.
  const auto none = run_infersim(kData + " capacity -m llama-2-7b -g l40s --ttft-slo 1us");
  CHECK(none.exit_code == 3);
  CHECK(none.out.find("largest batch meeting the SLOs     none: no batch meets the targets") !=
        std::string::npos);
  // No layout of the example CPU host searched holds DeepSeek-V3 at bf16: none, exit 3.
  const auto nothing = run_infersim(kData + " capacity -m deepseek-v3 -g host-example");
  CHECK(nothing.exit_code == 3);
  CHECK(nothing.out.find("none: no layout searched holds the model") != std::string::npos);
}

TEST_CASE("plan: ceilings on price and rate; a tiny rate still needs one replica") {
  const std::string base = kData + " plan -m llama-2-7b -g l40s --ttft-slo 1 --tpot-slo 50ms";
  const auto price = run_infersim(base + " --rate 1 --price l40s=1.7e308");
  CHECK(price.exit_code == 2);
  CHECK(price.err.find("USD in (0, 10000]") != std::string::npos);
  CHECK(run_infersim(base + " --rate 0").exit_code == 2);
  CHECK(run_infersim(base + " --rate 1e7").exit_code == 2);
  const auto tiny = run_infersim(base + " --rate 1e-9 --format json");
  REQUIRE(tiny.exit_code == 0);
  CHECK(tiny.out.find("\"replicas\": 1,") != std::string::npos);
  CHECK(tiny.out.find("\"replicas\": 0,") == std::string::npos);
}

TEST_CASE("plan: the quantization column says which dtype is which, KV included") {
  const auto r =
      run_infersim(kData + " plan -m llama-2-7b -g h100-sxm --rate 1 --ttft-slo 1 --tpot-slo 50ms");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("weights/act/kv") != std::string::npos);
  // The default KV cache is bf16: every candidate's cell ends in it (bf16/bf16/bf16, int4/bf16/bf16 ...).
  CHECK(r.out.find("/bf16/bf16 ") != std::string::npos);
}

TEST_CASE("plan --format json gives each candidate's KV-cache dtype, as the table's weights/act/kv column") {
  // plan keeps the KV cache at its bf16 default (it varies weights and activations only); on an H100 the
  // cheapest candidate is fp8 (one device, the smallest TPOT): "fp8/fp8/bf16" in the table, "kv": "bf16"
  // in JSON, after activations.
  const std::string base = kData +
                           " plan -m llama-2-7b -g h100-sxm --input 1024 --output 128 --rate 1 "
                           "--ttft-slo 1 --tpot-slo 0.05 --top 1";
  const auto json = run_infersim(base + " --format json");
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find("\"weights\": \"fp8\", \"activations\": \"fp8\", \"kv\": \"bf16\", \"batch\": ") !=
        std::string::npos);
  const auto table = run_infersim(base);
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("weights/act/kv") != std::string::npos);
  CHECK(table.out.find(" fp8/fp8/bf16 ") != std::string::npos);
}

TEST_CASE("capacity with targets: the static batch and the serving rate side by side, --static-only skips") {
  const std::string base =
      kData + " capacity -m llama-2-70b -g h100-sxm --tp 8 --input 2048 --output 256 --tpot-slo 50ms";
  const auto table = run_infersim(base + " --ttft-slo 1");
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("  static batch meeting the SLOs      12 (all started together") != std::string::npos);
  CHECK(table.out.find("  serving rate meeting the SLOs      ") != std::string::npos);
  CHECK(table.out.find("500 Poisson requests, vllm's scheduler") != std::string::npos);
  const auto json = run_infersim(base + " --ttft-slo 1 --format json");
  REQUIRE(json.exit_code == 0);
  for (const char* key :
       {"\"serving_scheduler\": \"vllm\"", "\"serving_requests\": 500", "\"serving_percentile\": 99",
        "\"serving_max_rate_rps\": ", "\"serving_next_rate_rps\": ", "\"serving_ttft_s\": ",
        "\"serving_throughput_per_device_tok_s\": "}) {
    CHECK(json.out.find(key) != std::string::npos);
  }
  CHECK(json.out.find("\"serving_max_rate_rps\": null") == std::string::npos);
  const auto skipped = run_infersim(base + " --ttft-slo 1 --format json --static-only");
  CHECK(skipped.exit_code == 0);
  CHECK(skipped.out.find("serving_") == std::string::npos);
  // A TTFT below one prefill alone: no static batch, no rate (exit 3); unfused attention is not simulated.
  const auto none = run_infersim(base + " --ttft-slo 1ms");
  CHECK(none.exit_code == 3);
  CHECK(none.out.find("none: even ") != std::string::npos);
  const auto unfused =
      run_infersim(kData + " capacity -m llama-2-70b -g h100-sxm --tp 4 --attention unfused --ttft-slo 1");
  CHECK(unfused.out.find("serving rate meeting the SLOs      not simulated: ") != std::string::npos);
  // A pipeline is simulated: its virtual engines share the stages.
  const auto piped = run_infersim(kData + " capacity -m llama-2-70b -g h100-sxm --tp 4 --pp 2 --ttft-slo 1");
  CHECK(piped.exit_code == 0);
  CHECK(piped.out.find("serving rate meeting the SLOs      not simulated: ") == std::string::npos);
}

TEST_CASE("plan simulates the cheapest candidates: p99 columns and keys; --simulate 0 is the static screen") {
  const std::string base =
      kData + " plan -m llama-2-7b -g l40s,a100-80gb-pcie --rate 3 --ttft-slo 2 --tpot-slo 0.05";
  const auto table = run_infersim(base);
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find(" p99 TTFT  p99 TPOT ") != std::string::npos);
  CHECK(table.out.find("500 Poisson requests, vllm's scheduler") != std::string::npos);
  const auto json = run_infersim(base + " --format json");
  REQUIRE(json.exit_code == 0);
  for (const char* key :
       {"\"simulated_candidates\": 3,", "\"sim_requests\": 500,", "\"sim_scheduler\": \"vllm\",",
        "\"simulated\": true, \"sim_rate_per_replica_rps\": ", "\"sim_ttft_p99_s\": ",
        "\"replicas_added\": "}) {
    CHECK(json.out.find(key) != std::string::npos);
  }
  const auto static_only = run_infersim(base + " --simulate 0");
  CHECK(static_only.exit_code == 0);
  CHECK(static_only.out.find("p99") == std::string::npos);
  CHECK(
      static_only.out.find("(steady-state continuous batching; TTFT excludes queueing; runtime optimized)") !=
      std::string::npos);
  CHECK(run_infersim(base + " --simulate 0 --format json").out.find("simulated") == std::string::npos);
  const auto bad = run_infersim(base + " --simulate -1");
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("--simulate must be an integer in [0, 100], got '-1'") != std::string::npos);
}

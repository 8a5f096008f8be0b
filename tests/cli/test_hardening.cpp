// Hardening of the command line: every bad value exits 2 naming its flag; unknown names
// get close matches; a non-finite result is a bug (exit 1), never printed; output is deterministic.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

#include "cli/guarded_main.hpp"
#include "core/estimate.hpp"
#include "io/config/config_error.hpp"
#include "io/report/report.hpp"
#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using infersim::test::run_infersim;
using infersim::test::source_path;

namespace {

const std::string kEstimate = "--config-dir " + source_path("") + " estimate ";

struct BadFlag {
  const char* args;
  const char* names;  // what the one-line message must contain: the flag, or the name looked up
};

// One defect each; defaults fill in the rest (llama-2-7b on a100-80gb-sxm).
const BadFlag kBadFlags[] = {
    {"-b 0", "--batch must be a positive integer"},
    {"-b -1", "--batch"},
    {"-b abc", "--batch must be a positive integer no larger than 1000000, got 'abc'"},
    {"-b 1000000000000000", "--batch"},  // 10^15: reported, not wrapped
    {"-b 1e3", "--batch"},
    {"-b 99999999999999999999999", "--batch"},  // beyond long long
    {"--input 1000000000000", "--input"},       // 10^12 tokens of context
    {"--input 0", "--input"},
    {"--input ''", "--input"},
    {"--output -5", "--output"},
    {"--output 2.5", "--output"},
    {"--kv fp12", "--kv must be one of"},
    {"--weights int3", "--weights must be one of"},
    {"--activations fp64", "--activations must be one of"},
    {"--tp 0", "--tp"},
    {"--pp -2", "--pp"},
    {"--dp abc", "--dp"},
    {"--micro-batches 0", "--micro-batches"},
    {"--comm-overlap 1.5", "--comm-overlap"},
    {"--comm-overlap nan", "--comm-overlap"},
    {"--moe-skew -1", "--moe-skew"},
    {"--moe-routing balanced --moe-skew 1", "takes no skew"},
    {"--group-size 0", "--group-size"},
    {"--scale-dtype fp64", "--scale-dtype"},
    {"--tp 3", "--tp 3 must divide"},
    {"-b 4 --micro-batches 3", "--micro-batches 3 must divide --batch 4"},
    {"--dp 1000000 --tp 8", "--dp x --tp x --pp must be at most 1000000 devices"},  // int devices overflowed
    // CLI11's own parse errors (exit 2 too).
    {"--format xml", "--format"},
    {"--attention maybe", "--attention"},
    {"--moe-routing even", "--moe-routing"},
    {"--zero-point yes", "--zero-point"},
    {"--quant w2a16", "--quant"},
    {"--no-such-flag", "--no-such-flag"},
    {"-b", "--batch"},
    // Names and paths.
    {"-m llama-2-7", "unknown model 'llama-2-7': did you mean llama-2-7b"},
    {"-g h100", "unknown hardware 'h100': did you mean h100-pcie, h100-sxm, b200?"},
    {"-m /no/such/dir/model.yaml", "/no/such/dir/model.yaml: error: no such file"},
};

}  // namespace

TEST_CASE("Every bad command-line value exits 2 with one line naming the flag") {
  for (const BadFlag& c : kBadFlags) {
    const auto r = run_infersim(kEstimate + c.args);
    INFO(c.args << " -> " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(c.names) != std::string::npos);
    CHECK(r.err.rfind("infersim: error: ", 0) == 0);
    CHECK(r.out.empty());
  }
}

TEST_CASE("Exceptions map to exit codes: bad input 2, anything else a bug 1") {
  std::ostringstream err;
  CHECK(infersim::run_guarded([] { return 0; }, err) == 0);
  CHECK(infersim::run_guarded([]() -> int { throw infersim::InputError("--batch must be positive"); }, err) ==
        2);
  CHECK(infersim::run_guarded(
            []() -> int {
              throw infersim::ConfigError("m.yaml", {2, 0}, "bad");
            },
            err) == 2);
  CHECK(err.str() == "infersim: error: --batch must be positive\ninfersim: error: m.yaml:3:1: error: bad\n");
  std::ostringstream bug;
  CHECK(infersim::run_guarded([]() -> int { throw std::logic_error("a result is not a finite number"); },
                              bug) == 1);
  CHECK(bug.str().rfind("infersim: internal error", 0) == 0);
  CHECK(infersim::run_guarded([]() -> int { throw 7; }, bug) == 1);
}

TEST_CASE("A non-finite number never reaches the output: the writers throw logic_error (exit 1)") {
  const infersim::ModelSpec m = infersim::test::llama2_7b();
  const infersim::HardwareSpec hw = infersim::test::ideal_a100();
  const infersim::Scenario sc = infersim::test::scenario(1, 128, 16);
  infersim::Estimate e = infersim::estimate(m, hw, sc);
  const infersim::EstimateReport report{m, hw, sc, e};
  CHECK_NOTHROW(infersim::to_json(report, false));
  for (const double bad : {std::nan(""), std::numeric_limits<double>::infinity()}) {
    e.ttft_s = bad;
    CHECK_THROWS_AS(infersim::to_json(report, false), std::logic_error);
    CHECK_THROWS_AS(infersim::to_csv(report, false), std::logic_error);
    CHECK_THROWS_AS(infersim::to_table(report, false), std::logic_error);
    CHECK_THROWS_AS(infersim::format_number(bad), std::logic_error);
  }
  e.ttft_s = -1.0;  // finite but impossible: caught too, by name
  CHECK_THROWS_WITH(infersim::to_json(report, false), Catch::Contains("'ttft_s'"));
  e.ttft_s = 0.5;
  e.prefill_flops = 0.0;
  CHECK_THROWS_WITH(infersim::to_csv(report, false), Catch::Contains("'prefill_flops'"));
}

TEST_CASE("The extremes of every accepted range still give finite numbers (exit 0 or 2, never 1)") {
  const auto dir = std::filesystem::temp_directory_path() / ("infersim_extreme_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "huge.yaml")
      << "source: x\ndescription: x\nlayers: 10000\nhidden_size: 1000000\n"
         "attention_heads: 100\nkv_heads: 100\nhead_dim: 1000000\n"
         "intermediate_size: 10000000\nmlp: gated\nactivation: silu\nnorm: rmsnorm\n"
         "linear_bias: all\nparallel_blocks: false\nposition_embedding: learned\n"
         "vocab_size: 100000000\ntied_embeddings: false\nmax_context: 1000000000\n";
  std::ofstream(dir / "slow.yaml")
      << "description: x\nsource: x\npeak_dense_TFLOPS:\n  fp32: 0.000001001\n"
         "  bf16: 0.000001001\nmemory_GiB: 0.000001001\nmemory_bandwidth_TBps: 0.000001001\n"
         "efficiency:\n  compute: 0.001001\n  memory: 0.001001\n"
         "kernel_launch_overhead_us: 1000000\ninterconnect:\n"
         "  link_bandwidth_per_direction_GBps: 0.001001\n  link_latency_us: 1000000\n"
         "  devices_per_node: 1\n  inter_node_bandwidth_per_direction_GBps: 0.001001\n"
         "  inter_node_latency_us: 1000000\n";
  const std::string files = "-m " + (dir / "huge.yaml").string() + " -g " + (dir / "slow.yaml").string();
  for (const std::string extra : {"", " -b 1000000 --input 1000000000 --output 1000000000 --format json",
                                  " --output 1 --attention unfused --breakdown --format csv",
                                  " --tp 100 --pp 10000 --dp 1 --micro-batches 1 --format json"}) {
    const auto r = run_infersim(kEstimate + files + extra);
    INFO(extra << " -> " << r.err);
    CHECK((r.exit_code == 0 || r.exit_code == 2));
    CHECK(r.out.find("nan") == std::string::npos);
    CHECK(r.out.find("inf") == std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("The same input gives byte-identical output across runs") {
  for (const char* args : {"-m llama-2-70b -g h200-sxm -b 16 --input 2048 --output 512 --format json",
                           "-m mixtral-8x7b -g h100-sxm --tp 2 --breakdown --format csv"}) {
    const auto first = run_infersim(kEstimate + args);
    const auto second = run_infersim(kEstimate + args);
    INFO(args);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out == second.out);
    CHECK(!first.out.empty());
  }
}

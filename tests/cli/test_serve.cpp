// infersim serve on the command line: the summary's keys, refusals with exit 2, determinism, outputs.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using infersim::test::run_infersim;
using infersim::test::source_path;

namespace {
const std::string kData = "--config-dir " + source_path("");
const std::string kServe = kData + " serve -m llama-3-8b -g h100-sxm --quiet ";

// The lines of a command's output (a CSV's header first).
std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + std::to_string(getpid()))).string();
}
}  // namespace

TEST_CASE("serve --format json prints every summary key") {
  const auto r =
      run_infersim(kData +
                   " serve -m llama-3-70b -g h100-sxm --tp 4 --rate 5 --requests 2000 --input 1024 "
                   "--output 256 --format json --quiet");
  REQUIRE(r.exit_code == 0);
  for (const char* key : {"requests",
                          "duration_s",
                          "request_throughput_rps",
                          "output_throughput_tok_s",
                          "total_throughput_tok_s",
                          "devices",
                          "output_throughput_per_device_tok_s",
                          "ttft_mean_s",
                          "ttft_p50_s",
                          "ttft_p90_s",
                          "ttft_p99_s",
                          "tpot_mean_s",
                          "tpot_p50_s",
                          "tpot_p90_s",
                          "tpot_p99_s",
                          "itl_mean_s",
                          "itl_p50_s",
                          "itl_p90_s",
                          "itl_p99_s",
                          "e2e_mean_s",
                          "e2e_p50_s",
                          "e2e_p90_s",
                          "e2e_p99_s",
                          "queue_mean_s",
                          "batch_mean",
                          "batch_max",
                          "kv_blocks_total",
                          "kv_utilization_peak",
                          "preemptions",
                          "rejected",
                          "overloaded"}) {
    CHECK(r.out.find(std::string("\"") + key + "\":") != std::string::npos);
  }
  // tp 4: four devices, the output over them each.
  CHECK(r.out.find("\"devices\": 4,") != std::string::npos);
  CHECK(r.out.find("\"goodput_rps\"") == std::string::npos);  // only with SLO targets
  const auto slo =
      run_infersim(kServe + "--rate 5 --requests 200 --ttft-slo 500ms --tpot-slo 50ms --format json");
  REQUIRE(slo.exit_code == 0);
  CHECK(slo.out.find("\"goodput_rps\"") != std::string::npos);
  CHECK(slo.out.find("\"slo_attainment\"") != std::string::npos);
}

TEST_CASE("serve refuses what it cannot simulate, with exit 2 and a message") {
  const auto batch = run_infersim(kServe + "--rate 5 -b 8");
  CHECK(batch.exit_code == 2);
  CHECK(batch.err.find("scheduler forms the batch") != std::string::npos);
  const auto one = run_infersim(kServe + "--rate 5 -b 1");  // given at all, even the default
  CHECK(one.exit_code == 2);
  const auto static_runtime = run_infersim(kServe + "--rate 5 --runtime gpt-fast");
  CHECK(static_runtime.exit_code == 2);
  CHECK(static_runtime.err.find("batches statically") != std::string::npos);
  const auto no_load = run_infersim(kServe);
  CHECK(no_load.exit_code == 2);
  CHECK(no_load.err.find("--rate") != std::string::npos);
  const auto two_loads = run_infersim(kServe + "--rate 5 --offline");
  CHECK(two_loads.exit_code == 2);
  const auto piped = run_infersim(kServe + "--rate 5 --pp 2 --requests 50");  // pp's virtual engines
  CHECK(piped.exit_code == 0);
  const auto micro = run_infersim(kServe + "--rate 5 --pp 2 --micro-batches 2");
  CHECK(micro.exit_code == 2);
  CHECK(micro.err.find("--micro-batches") != std::string::npos);
  const auto budget = run_infersim(kServe + "--rate 5 --max-num-seqs 512 --max-num-batched-tokens 256");
  CHECK(budget.exit_code == 2);
  CHECK(budget.err.find("--max-num-batched-tokens") != std::string::npos);
  const auto trace = run_infersim(kServe + "--trace " + source_path("tests/serving/bad_not_a_number.csv"));
  CHECK(trace.exit_code == 2);
  CHECK(trace.err.find("bad_not_a_number.csv:") != std::string::npos);
}

TEST_CASE("serve --min-duration: a run at a rate lasts at least that long, the requests it takes") {
  // By hand: 5 requests a second for 60 s is 300 requests, more than the 100 asked.
  const auto r = run_infersim(kServe + "--rate 5 --requests 100 --min-duration 60s --format json");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\"requests\": 300,") != std::string::npos);
  // 1000 asked: the count stands (5 x 60 is fewer).
  const auto more = run_infersim(kServe + "--rate 5 --requests 1000 --min-duration 60 --format json");
  REQUIRE(more.exit_code == 0);
  CHECK(more.out.find("\"requests\": 1000,") != std::string::npos);
  // A load without a rate has no duration to fill; a time is a time.
  for (const char* load : {"--offline", "--concurrency 4"}) {
    const auto refused = run_infersim(kServe + load + " --min-duration 60");
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("--min-duration lasts an open-loop load") != std::string::npos);
  }
  const auto zero = run_infersim(kServe + "--rate 5 --min-duration 0");
  CHECK(zero.exit_code == 2);
  CHECK(zero.err.find("--min-duration must be a time") != std::string::npos);
}

TEST_CASE("serve without chunked prefill: requests whose recomputed prompts outgrow a step are dropped") {
  // 100 blocks of 16 tokens for 40 sequences of 100 + 300: admitted on demand, they are preempted by
  // recompute as they grow, and a victim past 256 tokens can never be prefilled again in a 256-token step.
  // The run ends (it once stopped on an internal error), counting those among the rejected, and says why.
  const auto r =
      run_infersim(kData +
                   " serve -m llama-3-8b -g h100-sxm --offline --requests 40 --input 100 --output 300 "
                   "--max-num-seqs 64 --max-num-batched-tokens 256 --chunked-prefill off "
                   "--kv-blocks 100 --block-size 16 --format json");
  REQUIRE(r.exit_code == 0);
  const auto count = [&](const std::string& key) {
    const std::size_t at = r.out.find("\"" + key + "\": ");
    REQUIRE(at != std::string::npos);
    return std::stoll(r.out.substr(at + key.size() + 4));
  };
  CHECK(count("rejected") > 0);
  CHECK(count("requests") + count("rejected") == 40);  // every request finished or dropped
  CHECK(r.err.find("recomputed prompt") != std::string::npos);
}

TEST_CASE("serve --kv-blocks under pipeline parallelism: the replica's blocks, split among its stages") {
  // Two stages given 200 blocks: two virtual engines of 100, and the table says both numbers. Fewer blocks
  // than stages leave an engine none: a one-line error and exit 2.
  const std::string args = kData + " serve -m llama-3-8b -g h100-sxm --offline --requests 20 --quiet --pp ";
  const auto r = run_infersim(args + "2 --kv-blocks 200");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("KV blocks per replica  200 (2 pipeline virtual engines of 100; peak use") !=
        std::string::npos);
  CHECK(r.out.find(" in each of a replica's 2 pipeline virtual engines\n") != std::string::npos);
  const auto few = run_infersim(args + "4 --kv-blocks 3");
  CHECK(few.exit_code == 2);
  CHECK(few.err.find("3 KV block(s) leave none to each of its 4 pipeline virtual engines") !=
        std::string::npos);
}

TEST_CASE("serve: the same seed gives byte-identical output, another seed another") {
  const std::string args = kServe +
                           "--rate 20 --requests 300 --input lognormal:800:0.6 --output uniform:20:200 "
                           "--format csv --seed ";
  const auto a = run_infersim(args + "5");
  const auto b = run_infersim(args + "5");
  const auto c = run_infersim(args + "6");
  REQUIRE(a.exit_code == 0);
  CHECK(a.out == b.out);
  CHECK(a.out != c.out);
}

TEST_CASE("serve -o writes one row per request and --timeline one per iteration, never over an input") {
  const std::string requests = temp_path("serve_requests_");
  const std::string timeline = temp_path("serve_timeline_");
  const auto r = run_infersim(kServe + "--offline --requests 50 -o " + requests + " --timeline " + timeline);
  REQUIRE(r.exit_code == 0);
  std::ifstream in(requests);
  std::string line;
  int rows = 0;
  std::getline(in, line);
  CHECK(line == "id,arrival_s,first_token_s,finish_s,input_tokens,output_tokens,ttft_s,tpot_s,preemptions");
  while (std::getline(in, line)) ++rows;
  CHECK(rows == 50);
  std::ifstream steps(timeline);
  std::getline(steps, line);
  CHECK(line == "time_s,replica,running,prefill_tokens,decode_tokens,kv_blocks_used,step_s");
  CHECK(std::getline(steps, line));
  std::filesystem::remove(requests);
  std::filesystem::remove(timeline);
  // The trace is an input: writing the requests over it is refused and it stays as it was.
  const std::string trace = temp_path("serve_trace_");
  std::filesystem::copy_file(source_path("tests/serving/good.csv"), trace);
  std::stringstream before;
  before << std::ifstream(trace).rdbuf();
  const auto over = run_infersim(kServe + "--trace " + trace + " -o " + trace);
  CHECK(over.exit_code == 2);
  std::stringstream after;
  after << std::ifstream(trace).rdbuf();
  CHECK(before.str() == after.str());
  std::filesystem::remove(trace);
}

TEST_CASE("serve --find-max-rate: the rate found and the summary at it, or exit 3 when none meets") {
  // The search itself is tested in tests/unit/test_serving_max_rate.cpp.
  const std::string search = kServe + "--input 1024 --output 128 --requests 200 --find-max-rate";
  const auto found = run_infersim(search + " --ttft-slo 300ms --tpot-slo 12ms --format json");
  REQUIRE(found.exit_code == 0);
  for (const char* key : {"\"max_rate_rps\": ", "\"next_rate_rps\": ", "\"offline_rate_rps\": ",
                          "\"percentile\": 99,", "\"curve\": [", "\"ttft_p99_s\": "}) {
    CHECK(found.out.find(key) != std::string::npos);
  }
  CHECK(found.out.find("\"max_rate_rps\": null") == std::string::npos);
  const auto none = run_infersim(search + " --ttft-slo 1ms --format json");
  CHECK(none.exit_code == 3);
  CHECK(none.out.find("\"max_rate_rps\": null,") != std::string::npos);
  CHECK(none.out.find("\"ttft_p99_s\"") == std::string::npos);  // no run meets: no summary
  const auto table = run_infersim(search + " --ttft-slo 1ms");
  CHECK(table.exit_code == 3);
  CHECK(table.out.find("no rate meets the targets: even ") != std::string::npos);
  // Any percentile in (0, 100].
  const auto p95 = run_infersim(search + " --ttft-slo 300ms --tpot-slo 12ms --percentile 95 --format json");
  REQUIRE(p95.exit_code == 0);
  CHECK(p95.out.find("\"percentile\": 95,") != std::string::npos);
  for (const char* bad : {"0", "100.5", "p99"}) {
    const auto refused = run_infersim(search + " --ttft-slo 300ms --percentile " + bad);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("--percentile") != std::string::npos);
  }
}

TEST_CASE("serve --find-max-rate --format csv: one row per rate probed, the rate found marked") {
  const std::string search =
      kServe + "--input 1024 --output 128 --requests 200 --find-max-rate --tpot-slo 12ms --format csv";
  const auto found = run_infersim(search + " --ttft-slo 300ms");
  REQUIRE(found.exit_code == 0);
  const std::vector<std::string> lines = lines_of(found.out);
  REQUIRE(lines.size() >= 3);  // the header and at least two rates
  CHECK(lines[0] == "rate_rps,percentile,ttft_s,tpot_s,output_throughput_tok_s,meets,found");
  int found_rows = 0;
  double last_rate = 0.0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const double rate = std::stod(line);
    CHECK(rate > last_rate);  // by rate
    last_rate = rate;
    CHECK(line.find(",99,") != std::string::npos);  // the percentile held to the targets
    if (line.size() >= 10 && line.compare(line.size() - 10, 10, ",true,true") == 0) ++found_rows;
  }
  CHECK(found_rows == 1);  // the rate found meets the targets
  // The same rate as JSON's max_rate_rps, at full precision.
  const auto json = run_infersim(kServe +
                                 "--input 1024 --output 128 --requests 200 --find-max-rate --tpot-slo 12ms "
                                 "--ttft-slo 300ms --format json");
  REQUIRE(json.exit_code == 0);
  const auto at = json.out.find("\"max_rate_rps\": ");
  REQUIRE(at != std::string::npos);
  const std::string max_rate = json.out.substr(at + 16, json.out.find(',', at) - at - 16);
  CHECK(found.out.find("\n" + max_rate + ",99,") != std::string::npos);
  // With --breakdown, the run at the rate found by kind of work; none found: exit 3, the header alone.
  const auto breakdown = run_infersim(search + " --ttft-slo 300ms --breakdown");
  REQUIRE(breakdown.exit_code == 0);
  CHECK(breakdown.out.rfind("kind,time_s,share\ngemms,", 0) == 0);
  const auto none = run_infersim(search + " --ttft-slo 1ms --breakdown");
  CHECK(none.exit_code == 3);
  CHECK(none.out == "kind,time_s,share\n");
  const auto curve = run_infersim(search + " --ttft-slo 1ms");
  CHECK(curve.exit_code == 3);
  CHECK(curve.out.find(",true\n") == std::string::npos);  // no rate found: no row marked
}

TEST_CASE("serve --breakdown: where the iterations' time went, in the three formats") {
  const std::string run = kServe + "--offline --requests 50 --input 512 --output 64 --breakdown";
  const auto table = run_infersim(run);
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("where the iterations' time went") != std::string::npos);
  for (const char* row :
       {"GEMMs", "expert GEMMs", "attention", "elementwise", "collectives", "host (runtime)", "KV swaps"})
    CHECK(table.out.find(std::string("\n  ") + row) != std::string::npos);
  // CSV: the breakdown replaces the summary row, one row per kind; the shares add up to 1.
  const auto csv = run_infersim(run + " --format csv");
  REQUIRE(csv.exit_code == 0);
  const std::vector<std::string> lines = lines_of(csv.out);
  REQUIRE(lines.size() == 8);  // the header and one row per kind
  CHECK(lines[0] == "kind,time_s,share");
  double shares = 0.0;
  for (std::size_t i = 1; i < lines.size(); ++i)
    shares += std::stod(lines[i].substr(lines[i].rfind(',') + 1));
  CHECK(shares == Approx(1.0).epsilon(1e-12));
  // JSON: one more key after the summary's; one replica never idle offline, so its busy time is the run's
  // duration.
  const auto json = run_infersim(run + " --format json");
  REQUIRE(json.exit_code == 0);
  const auto number_after = [&json](const std::string& key) {
    const auto at = json.out.find("\"" + key + "\": ");
    REQUIRE(at != std::string::npos);
    return std::stod(json.out.substr(at + key.size() + 4));
  };
  CHECK(json.out.find("\"time_by_class\": {\"gemms_s\": ") != std::string::npos);
  CHECK(number_after("busy_s") == Approx(number_after("duration_s")).epsilon(1e-9));
  CHECK(number_after("expert_gemms_s") == 0.0);  // Llama-3-8B is dense
}

TEST_CASE("serve --harness-batcher: MAX:WINDOW, refused in a closed loop or malformed, with exit 2") {
  // Requests wait in the harness: offline, 100 requests in batches of 96 leave 4 for a second batch a
  // window (1 s) later, so the last first token comes after 1 s, where without the batcher it comes at once.
  const std::string run = kServe + "--offline --requests 100 --input 128 --output 4 --format json";
  const auto batched = run_infersim(run + " --harness-batcher 96:1s");
  REQUIRE(batched.exit_code == 0);
  const auto plain = run_infersim(run);
  REQUIRE(plain.exit_code == 0);
  const auto number_after = [](const std::string& out, const std::string& key) {
    const auto at = out.find("\"" + key + "\": ");
    REQUIRE(at != std::string::npos);
    return std::stod(out.substr(at + key.size() + 4));
  };
  CHECK(number_after(batched.out, "ttft_p99_s") > 1.0);
  CHECK(number_after(plain.out, "ttft_p99_s") < 1.0);
  for (const char* bad : {"96", "0:300ms", "96:0", "96:soon", ":1s"}) {
    const auto refused = run_infersim(kServe + "--rate 5 --harness-batcher " + bad);
    CHECK(refused.exit_code == 2);
    CHECK(refused.err.find("--harness-batcher") != std::string::npos);
  }
  const auto closed = run_infersim(kServe + "--concurrency 4 --harness-batcher 96:300ms");
  CHECK(closed.exit_code == 2);
  CHECK(closed.err.find("closed loop") != std::string::npos);
}

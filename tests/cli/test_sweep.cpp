// infersim sweep: row order, skipped combinations, identical bytes whatever --jobs, shards that
// concatenate to the whole, atomic output, and rows equal to estimate's CSV row.
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

using infersim::test::read_file;
using infersim::test::run_infersim;
using infersim::test::source_path;

namespace {

const std::string kData = "--config-dir " + source_path("");
const std::string kSpec = source_path("tests/sweep/small_spec.yaml");

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / (name + "_" + std::to_string(getpid()))).string();
}

}  // namespace

TEST_CASE("sweep: rows in the spec's order, last axis fastest, invalid combinations skipped and counted") {
  const auto r = run_infersim(kData + " sweep " + kSpec + " --quiet");
  REQUIRE(r.exit_code == 0);
  const auto rows = lines(r.out);
  // 48 configurations: tp 3 never divides 32 heads (16 skipped); llama-2-7b with input 4096 exceeds
  // its 4096 context for tp 1 and 2 (4 batches x 2 = 8 skipped) -> 24 rows + the header.
  REQUIRE(rows.size() == 25);
  CHECK(rows[0].rfind("model,hardware,batch,input_tokens,output_tokens,tp,pp,ep,dp,weights,activations,kv,",
                      0) == 0);
  CHECK(rows[1].rfind("llama-2-7b,a100-80gb-sxm,1,512,64,1,", 0) == 0);
  CHECK(rows[2].rfind("llama-2-7b,a100-80gb-sxm,1,512,64,2,", 0) == 0);  // tp varies fastest
  CHECK(rows[3].rfind("llama-2-7b,a100-80gb-sxm,2,512,64,1,", 0) == 0);  // batch range {1..8, x2}
  CHECK(rows[24].rfind("mistral-7b,a100-80gb-sxm,8,4096,64,2,", 0) == 0);
  const auto summary = run_infersim(kData + " sweep " + kSpec + " -o " + temp_path("sweep_summary.csv"));
  CHECK(summary.err.find("24 rows, 24 skipped") != std::string::npos);
  std::filesystem::remove(temp_path("sweep_summary.csv"));
}

TEST_CASE("sweep: --jobs 1, 2, 5 and the default write the same bytes, shards concatenate to the whole") {
  // 5 models x 25 batches x 4 tp x 2 kv = 1,000 configurations: several blocks per job.
  const std::string axes = kData + " sweep -m llama-2-7b,llama-2-70b,llama-3-8b,mistral-7b,falcon-7b -b " +
                           "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25 --tp 1,2,4,8 "
                           "--kv bf16,fp8 --quiet";
  const auto one = run_infersim(axes + " --jobs 1");
  const auto two = run_infersim(axes + " --jobs 2");
  const auto five = run_infersim(axes + " --jobs 5");
  const auto automatic = run_infersim(axes);
  REQUIRE(one.exit_code == 0);
  CHECK(one.out == two.out);
  CHECK(one.out == five.out);
  CHECK(one.out == automatic.out);
  std::string joined;
  for (int i = 1; i <= 3; ++i) {
    const auto shard = run_infersim(axes + " --shard " + std::to_string(i) + "/3");
    REQUIRE(shard.exit_code == 0);
    joined += i == 1 ? shard.out : shard.out.substr(shard.out.find('\n') + 1);
  }
  CHECK(joined == one.out);
}

TEST_CASE("sweep: a row equals estimate's CSV row for the same configuration") {
  const auto sweep =
      run_infersim(kData + " sweep -m llama-3-8b -g h100-sxm -b 16 --tp 2 --weights int4 --quiet");
  const auto est =
      run_infersim(kData + " estimate -m llama-3-8b -g h100-sxm -b 16 --tp 2 --weights int4 --format csv");
  REQUIRE(sweep.exit_code == 0);
  CHECK(sweep.out == est.out);
}

TEST_CASE("sweep: the output file appears only when complete, bad specs and flags exit 2") {
  const std::string out = temp_path("sweep_atomic.csv");
  std::filesystem::remove(out);
  const auto bad = run_infersim(kData + " sweep " + source_path("tests/sweep/bad_key.yaml") + " -o " + out);
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("bad_key.yaml:2:1: error: unknown key 'batches' (did you mean 'batch'?)") !=
        std::string::npos);
  CHECK_FALSE(std::filesystem::exists(out));
  const auto good = run_infersim(kData + " sweep " + kSpec + " -o " + out + " --quiet");
  CHECK(good.exit_code == 0);
  CHECK(good.out.empty());
  CHECK(lines(read_file(out)).size() == 25);
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::temp_directory_path())) {
    CHECK(entry.path().filename().string().find(".sweep_atomic.csv_") != 0);  // no temporary left behind
  }
  std::filesystem::remove(out);
  CHECK(run_infersim(kData + " sweep " + kSpec + " -o " + kSpec).exit_code == 2);  // never overwrite an input
  CHECK(run_infersim(kData + " sweep -b 1,,2").exit_code == 2);
  CHECK(run_infersim(kData + " sweep --shard 0/3 -b 1").exit_code == 2);
  CHECK(run_infersim(kData + " sweep -m nope -b 1").exit_code == 2);
}

TEST_CASE("sweep: every estimate flag is an axis, a row matches estimate with the same flags") {
  // The scenario values that estimate's summary shows (runtime, attention, micro-batches, quantization
  // dtypes) stay in their own columns; the others (quant preset, moe skew, comm overlap, group scales,
  // mla) get a column of their own after the summary fields, only when the sweep varies them.
  const std::string flags =
      " -m mixtral-8x7b -g h100-sxm -b 8 --tp 2 --runtime eager --attention unfused --moe-skew 1.5"
      " --comm-overlap 0.5 --quant w4a16 --group-size 64 --scale-dtype fp32 --zero-point off";
  const auto sweep = run_infersim(kData + " sweep" + flags + " --quiet");
  const auto est = run_infersim(kData + " estimate" + flags + " --format csv");
  REQUIRE(sweep.exit_code == 0);
  REQUIRE(est.exit_code == 0);
  const auto sweep_rows = lines(sweep.out);
  const auto est_rows = lines(est.out);
  REQUIRE(sweep_rows.size() == 2);
  REQUIRE(est_rows.size() == 2);
  // The sweep's extra columns, in kSweepKeys order, follow estimate's columns.
  CHECK(sweep_rows[0] == est_rows[0] + ",moe_skew,comm_overlap,quant,group_size,scale_dtype,zero_point");
  CHECK(sweep_rows[1] == est_rows[1] + ",1.5,0.5,w4a16,64,fp32,off");
}

TEST_CASE("sweep: the same bounds and messages as estimate's flags") {
  const auto sweep = run_infersim(kData + " sweep -b 2000000 --quiet");
  const auto est = run_infersim(kData + " estimate -b 2000000");
  CHECK(sweep.exit_code == 2);
  CHECK(est.exit_code == 2);
  CHECK(sweep.err ==
        "infersim: error: sweep axis 'batch' must be a positive integer no larger than 1000000, "
        "got '2000000'\n");
  CHECK(est.err ==
        "infersim: error: --batch must be a positive integer no larger than 1000000, got '2000000'\n");
  // tf32 is no storage format: refused as a value, by both, not skipped configuration by configuration.
  const auto tf32 = run_infersim(kData + " sweep --weights tf32 --quiet");
  CHECK(tf32.exit_code == 2);
  CHECK(tf32.err.find("sweep axis 'weights' must be a storage format") != std::string::npos);
  CHECK(run_infersim(kData + " estimate --weights tf32").exit_code == 2);
  const auto quant = run_infersim(kData + " sweep --quant w9a9 --quiet");
  CHECK(quant.exit_code == 2);
  CHECK(quant.err.find("sweep axis 'quant' must be one of w4a16, w8a16, w8a8, fp8, nvfp4, got 'w9a9'") !=
        std::string::npos);
}

TEST_CASE("sweep: a cross product above --max-configs is refused before anything is written") {
  // 10 x 10 x 10 x 10 = 10,000 configurations against a ceiling of 1,000: exit 2, the size named, no row.
  const std::string axes = kData +
                           " sweep -b 1,2,3,4,5,6,7,8,9,10 --input 1,2,3,4,5,6,7,8,9,10 --output "
                           "1,2,3,4,5,6,7,8,9,10 --tp 1,2,3,4,5,6,7,8,9,10 --quiet";
  const auto refused = run_infersim(axes + " --max-configs 1000");
  CHECK(refused.exit_code == 2);
  CHECK(refused.out.empty());
  CHECK(refused.err.find("the cross product has 10000 configurations, more than --max-configs 1000") !=
        std::string::npos);
  // The default ceiling (10^8) refuses a 10^10 spec the same way.
  const auto huge = run_infersim(kData + " sweep -b " + std::string("1,2,3,4,5,6,7,8,9,10") +
                                 " --input 1,2,3,4,5,6,7,8,9,10 --output 1,2,3,4,5,6,7,8,9,10"
                                 " --tp 1,2,3,4,5,6,7,8,9,10 --pp 1,2,3,4,5,6,7,8,9,10"
                                 " --dp 1,2,3,4,5,6,7,8,9,10 --micro-batches 1,2,3,4,5,6,7,8,9,10"
                                 " --ep 1,2,3,4,5,6,7,8,9,10 --moe-skew 0,1,2,3,4,5,6,7,8,9"
                                 " --comm-overlap 0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9 --quiet");
  CHECK(huge.exit_code == 2);
  CHECK(huge.err.find("has 10000000000 configurations, more than --max-configs 100000000") !=
        std::string::npos);
}

// The infersim binary end to end: exit codes (0 ok, 2 bad input), the stable JSON keys of
// the core-engine issue, and error messages that name the file or the flag.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/fixtures.hpp"
#include "support/run_binary.hpp"

namespace {

using infersim::test::Run;

Run run(const std::string& args) { return infersim::test::run_infersim(args); }

const std::string kData = "--config-dir " + infersim::test::source_path("");

}  // namespace

TEST_CASE("estimate --format json prints every key the core issue fixes") {
  const Run r = run(kData + " estimate -m llama-2-7b -g a100-80gb-sxm --format json");
  REQUIRE(r.exit_code == 0);
  for (const char* key : {"model",
                          "hardware",
                          "batch",
                          "input_tokens",
                          "output_tokens",
                          "weights",
                          "activations",
                          "kv",
                          "devices",
                          "params_total",
                          "params_active",
                          "weight_bytes",
                          "kv_bytes_per_token",
                          "kv_cache_bytes",
                          "memory_per_device_bytes",
                          "device_memory_bytes",
                          "fits",
                          "prefill_flops",
                          "decode_flops_per_token",
                          "ttft_s",
                          "tpot_s",
                          "e2e_latency_s",
                          "output_throughput_tok_s",
                          "prefill_bound",
                          "decode_bound"}) {
    INFO(key);
    CHECK(r.out.find(std::string("\"") + key + "\": ") != std::string::npos);
  }
  CHECK(r.out.find("\"kv_bytes_per_token\": 524288,") != std::string::npos);  // 2*32*32*128*2
  CHECK(r.out.find("\"fits\": true,") != std::string::npos);
  CHECK(r.out.find("\"decode_bound\": \"memory\"") != std::string::npos);
}

TEST_CASE("estimate's table says when the times are for a configuration that does not fit") {
  // Llama-3.1-405B in bf16 is 811 GB of weights: one 40 GB A100 cannot hold it, and the table says the
  // times below it assume it did; the 7B model fits one 80 GB A100 and gets no such line.
  const Run big = run(kData + " estimate -m llama-3.1-405b -g a100-40gb-sxm");
  REQUIRE(big.exit_code == 0);
  CHECK(big.out.find("DOES NOT FIT\n  (the times below assume it fitted; the capacity command finds") !=
        std::string::npos);
  const Run small = run(kData + " estimate -m llama-2-7b -g a100-80gb-sxm");
  REQUIRE(small.exit_code == 0);
  CHECK(small.out.find(": fits\n\n  TTFT") != std::string::npos);
  CHECK(small.out.find("assume it fitted") == std::string::npos);
}

TEST_CASE("estimate --format csv prints a header and one row with the same number of cells") {
  const Run r = run(kData + " estimate -m mistral-7b -g h100-sxm --format csv");
  REQUIRE(r.exit_code == 0);
  std::istringstream lines(r.out);
  std::string header, row, extra;
  std::getline(lines, header);
  std::getline(lines, row);
  CHECK_FALSE(std::getline(lines, extra));
  CHECK(header.rfind("model,hardware,batch,", 0) == 0);
  CHECK(row.rfind("mistral-7b,h100-sxm,1,", 0) == 0);
  CHECK(std::count(header.begin(), header.end(), ',') == std::count(row.begin(), row.end(), ','));
}

TEST_CASE("estimate --runtime trtllm-python adds its host time to each of the run's passes, serially") {
  // runtime_profiles/trtllm-python.yaml: step_overhead_us 3707.4 and no host launch time, over optimized's
  // kernels (step_overhead_us 30). By hand: 8 output tokens are 8 passes (the prefill and 7 decode steps),
  // each (3707.4 - 30) us longer: TTFT +3.6774 ms, the run +8 x 3.6774 = 29.4192 ms.
  const std::string args =
      " estimate -m llama-3-8b -g h100-sxm -b 64 --input 128 --output 8 --quant fp8 --kv fp8";
  const Run fast = run(kData + args + " --format json");
  const Run python = run(kData + args + " --runtime trtllm-python --format json");
  REQUIRE(fast.exit_code == 0);
  REQUIRE(python.exit_code == 0);
  const auto a = nlohmann::json::parse(fast.out);
  const auto b = nlohmann::json::parse(python.out);
  CHECK(b.at("runtime").get<std::string>() == "trtllm-python");
  CHECK(b.at("runtime_overhead_per_step_s").get<double>() == Approx(3707.4e-6));
  CHECK(b.at("ttft_s").get<double>() - a.at("ttft_s").get<double>() == Approx(3.6774e-3).epsilon(1e-9));
  CHECK(b.at("e2e_latency_s").get<double>() - a.at("e2e_latency_s").get<double>() ==
        Approx(29.4192e-3).epsilon(1e-9));
}

TEST_CASE("estimate names what only some scenarios have: the experts' own dtype, the StreamingLLM cache") {
  // gpt-oss ships its routed experts in mxfp4 (weights_as_shipped) beside bf16 matrices.
  const Run plain = run(kData + " estimate -m llama-2-7b -g a100-80gb-sxm --format json");
  REQUIRE(plain.exit_code == 0);
  CHECK(plain.out.find("expert_weights") == std::string::npos);
  CHECK(plain.out.find("kv_window") == std::string::npos);
  const Run oss =
      run(kData + " estimate -m gpt-oss-120b -g b200 --kv-window 4096 --kv-sinks 4 --format json");
  REQUIRE(oss.exit_code == 0);
  CHECK(oss.out.find("\"expert_weights\": \"mxfp4\"") != std::string::npos);
  CHECK(oss.out.find("\"kv_window\": 4096,\n  \"kv_sinks\": 4") != std::string::npos);
  const Run table = run(kData + " estimate -m gpt-oss-120b -g b200 --kv-window 4096 --kv-sinks 4");
  CHECK(table.out.find("weights bf16 (routed experts mxfp4)") != std::string::npos);
  CHECK(table.out.find("(StreamingLLM: 4 sink + 4096 recent tokens cached)") != std::string::npos);
}

TEST_CASE(
    "estimate --attention-dp: the ranks in the header and the JSON, refused beside --tp or on a dense "
    "model") {
  const Run table = run(kData + " estimate -m qwen3-30b-a3b -g h100-sxm --attention-dp 4 -b 8");
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("4 device(s): attention data-parallel 4 x pp 1 x dp 1") != std::string::npos);
  const Run json = run(kData + " estimate -m qwen3-30b-a3b -g h100-sxm --attention-dp 4 --format json");
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find("\"attention_dp\": 4") != std::string::npos);
  CHECK(json.out.find("\"devices\": 4") != std::string::npos);
  const Run with_tp = run(kData + " estimate -m qwen3-30b-a3b -g h100-sxm --attention-dp 4 --tp 2");
  CHECK(with_tp.exit_code == 2);
  CHECK(with_tp.err.find("--attention-dp takes the place of --tp and --ep") != std::string::npos);
  const Run dense = run(kData + " estimate -m llama-3-8b -g h100-sxm --attention-dp 2");
  CHECK(dense.exit_code == 2);
  CHECK(dense.err.find("needs an MoE model") != std::string::npos);
  const Run piped =
      run(kData + " serve -m qwen3-30b-a3b -g h100-sxm --attention-dp 2 --pp 2 --rate 1 --requests 5");
  // Ranks inside pipeline stages serve (each rank's virtual engines; tests/unit/test_serving_pipeline.cpp).
  CHECK(piped.exit_code == 0);
  CHECK(piped.out.find("requests completed     5 ") != std::string::npos);
}

TEST_CASE(
    "estimate --moe-tp: the experts' split in the header and the JSON, refused without --attention-dp") {
  // Qwen3-30B-A3B: 128 experts of FFN 768; 4 ranks, moe_tp 2: 2 ways of 64 experts, each 384 wide.
  const Run table = run(kData + " estimate -m qwen3-30b-a3b -g h100-sxm --attention-dp 4 --moe-tp 2 -b 8");
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("experts split 2 ways, each expert's FFN 2 ways") != std::string::npos);
  const Run all = run(kData + " estimate -m qwen3-30b-a3b -g h100-sxm --attention-dp 4 --moe-tp 4 -b 8");
  REQUIRE(all.exit_code == 0);
  CHECK(all.out.find("every expert on every rank, its FFN split 4 ways") != std::string::npos);
  const Run json =
      run(kData + " estimate -m qwen3-30b-a3b -g h100-sxm --attention-dp 4 --moe-tp 4 --format json");
  REQUIRE(json.exit_code == 0);
  CHECK(json.out.find("\"moe_tp\": 4") != std::string::npos);
  const Run alone = run(kData + " estimate -m qwen3-30b-a3b -g h100-sxm --moe-tp 2");
  CHECK(alone.exit_code == 2);
  CHECK(alone.err.find("give --attention-dp as well") != std::string::npos);
  const Run uneven = run(kData + " estimate -m qwen3-30b-a3b -g h100-sxm --attention-dp 4 --moe-tp 3");
  CHECK(uneven.exit_code == 2);
  CHECK(uneven.err.find("--moe-tp 3 must divide --attention-dp 4") != std::string::npos);
  // capacity's fewest devices searches tensor / pipeline layouts: the split of the experts does not carry
  // into them (Qwen3-30B-A3B in bf16, 61 GB, fits one 80 GB H100).
  const Run cap = run(kData + " capacity -m qwen3-30b-a3b -g h100-sxm --attention-dp 4 --moe-tp 4");
  REQUIRE(cap.exit_code == 0);
  CHECK(cap.out.find("each expert split 4 ways") != std::string::npos);
  CHECK(cap.out.find("fewest devices holding the model   1 (tp 1 x pp 1)") != std::string::npos);
}

TEST_CASE("estimate --breakdown with --format csv: the operator table, as --help says") {
  const Run help = run("estimate --help");
  CHECK(help.out.find("with --format csv, the operator table replaces the summary row") != std::string::npos);
  const Run csv = run(kData + " estimate --format csv --breakdown");
  REQUIRE(csv.exit_code == 0);
  CHECK(csv.out.rfind("phase,operator,unit,kind,", 0) == 0);
  CHECK(csv.out.find("ttft_s") == std::string::npos);
  // Each operator's kind of work (docs/formulas.md#op_class), as the definitions put them.
  CHECK(csv.out.find("\nprefill,q_proj,matrix,gemms,") != std::string::npos);
  CHECK(csv.out.find("\nprefill,attention,matrix,attention,") != std::string::npos);
  CHECK(csv.out.find("\ndecode,attn_norm,vector,elementwise,") != std::string::npos);
  const Run moe = run(kData + " estimate -m mixtral-8x7b -g h100-sxm --tp 2 --format csv --breakdown");
  REQUIRE(moe.exit_code == 0);
  CHECK(moe.out.find("\nprefill,experts_up,matrix,expert_gemms,") != std::string::npos);
  CHECK(moe.out.find("\ndecode,mlp_allreduce,link,collectives,") != std::string::npos);
  // The table gives each phase's time by kind under its total.
  const Run table = run(kData + " estimate --breakdown");
  CHECK(table.out.find("\nby kind:  GEMMs ") != std::string::npos);
}

TEST_CASE("list runtimes says which profiles hide their host work behind the device's pass") {
  const Run r = run(kData + " list runtimes");
  REQUIRE(r.exit_code == 0);
  const auto line = [&r](const std::string& name) {
    const std::size_t at = r.out.find(name + " ");
    REQUIRE(at != std::string::npos);
    return r.out.substr(at, r.out.find('\n', at) - at);
  };
  CHECK(line("sglang").find("30 us per pass (overlapped with the device's pass)") != std::string::npos);
  CHECK(line("vllm").find("30 us per pass, 0 us per kernel issued (async)") != std::string::npos);
}

TEST_CASE("estimate --breakdown lists the operators of both phases") {
  const Run r = run(kData + " estimate -m falcon-7b -g h100-sxm --breakdown --format json");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("\"prefill_operators\": [") != std::string::npos);
  CHECK(r.out.find("\"decode_operators\": [") != std::string::npos);
  CHECK(r.out.find("\"operator\": \"lm_head\"") != std::string::npos);
  const Run table = run(kData + " estimate -m gpt-3-175b -g h200-sxm --breakdown --attention unfused");
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("attn_scores") != std::string::npos);
  CHECK(table.out.find("softmax") != std::string::npos);
}

TEST_CASE("Shipped Mixtral-8x7B with --tp 8 --ep 8 shows the two MoE all-to-alls as rows, --ep 1 has none") {
  // Expert parallelism adds a dispatch and a gather all-to-all per MoE layer (32 in Mixtral).
  const Run ep8 = run(kData + " estimate -m mixtral-8x7b -g h100-sxm --tp 8 --ep 8 --breakdown");
  REQUIRE(ep8.exit_code == 0);
  CHECK(ep8.out.find("moe_dispatch          32") != std::string::npos);
  CHECK(ep8.out.find("moe_gather            32") != std::string::npos);
  const Run ep1 = run(kData + " estimate -m mixtral-8x7b -g h100-sxm --tp 8 --ep 1 --breakdown");
  REQUIRE(ep1.exit_code == 0);
  CHECK(ep1.out.find("moe_dispatch") == std::string::npos);
  CHECK(ep1.out.find("mlp_allreduce") != std::string::npos);
}

TEST_CASE("estimate --breakdown: the total row splits bytes by kind and says it is per device") {
  // Llama-2-7B decode at batch 1 on one device reads every weight once except the embedding table, of
  // which it reads one row: 6,738,415,616 parameters x 2 B = 13.4768 GB, less the 32,000 x 4,096 x 2 B =
  // 262.144 MB table, plus its 8,192 B row = 13.2147 GB, printed "13.21 GB". The total row carries each
  // kind in its own column instead of every byte under "weights".
  const Run r = run(kData + " estimate -m llama-2-7b -g a100-80gb-sxm --breakdown");
  REQUIRE(r.exit_code == 0);
  const std::size_t decode = r.out.find("Decode step");
  REQUIRE(decode != std::string::npos);
  const std::size_t total = r.out.find("total/device", decode);
  REQUIRE(total != std::string::npos);
  std::istringstream row(r.out.substr(total, r.out.find('\n', total) - total));
  std::string label, kernels, flops, flops_unit, weights, weights_unit, act, act_unit, kv, kv_unit;
  row >> label >> kernels >> flops >> flops_unit >> weights >> weights_unit >> act >> act_unit >> kv >>
      kv_unit;
  CHECK(label == "total/device");
  CHECK(weights + " " + weights_unit == "13.21 GB");
  CHECK(kv_unit == "MB");  // the KV cache read, not folded into the weights
  CHECK(act_unit == "MB");
}

TEST_CASE("Bad input exits 2 with a one-line message naming the flag or the file") {
  const Run batch = run(kData + " estimate -b abc");
  CHECK(batch.exit_code == 2);
  CHECK(batch.err ==
        "infersim: error: --batch must be a positive integer no larger than 1000000, got 'abc'\n");
  CHECK(run(kData + " estimate --input 0").exit_code == 2);
  CHECK(run(kData + " estimate --output -5").exit_code == 2);
  const Run dtype = run(kData + " estimate --kv fp12");
  CHECK(dtype.exit_code == 2);
  CHECK(dtype.err.find("--kv must be one of fp32, tf32, bf16") != std::string::npos);
  const Run fp8 = run(kData + " estimate -g a100-80gb-sxm --weights fp8 --activations fp8");
  CHECK(fp8.exit_code == 2);
  CHECK(fp8.err.find("no fp8 compute peak") != std::string::npos);
  // A compute dtype narrower than the stored weights is no scheme: int4 GEMMs on bf16 weights would be
  // priced at the int4 tensor-core peak. fp32 weights computed in tf32 (mixed precision) stay allowed.
  const Run narrow = run(kData + " estimate -g h100-sxm --activations int4");
  CHECK(narrow.exit_code == 2);
  CHECK(narrow.err.find("activations int4 are narrower than the weights bf16") != std::string::npos);
  CHECK(run(kData + " estimate -g h100-sxm --weights fp32 --activations fp8").exit_code == 2);
  CHECK(run(kData + " estimate -g h100-sxm --weights fp32 --activations tf32").exit_code == 0);
  CHECK(run(kData + " estimate -g h100-sxm --weights int4 --activations int8").exit_code == 0);
  const Run unknown = run(kData + " estimate -m llama-9");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.err.find("unknown model 'llama-9'") != std::string::npos);
  const std::string bad = infersim::test::source_path("tests/config/bad/model_bad_choice.yaml");
  const Run yaml = run(kData + " estimate -m " + bad);
  CHECK(yaml.exit_code == 2);
  CHECK(yaml.err == "infersim: error: " + bad +
                        ":10:7: error: 'norm' must be one of rmsnorm, layernorm, got 'batchnorm'\n");
  CHECK(yaml.out.empty());
  CHECK(run(kData + " estimate --no-such-flag").exit_code == 2);
  CHECK(run(kData + " estimate --format xml").exit_code == 2);
  CHECK(run(kData).exit_code == 2);  // no command
}

TEST_CASE("infersim --version, --help and list succeed") {
  const Run version = run("--version");
  CHECK(version.exit_code == 0);
  CHECK(version.out.rfind("infersim 0.1.0 (git ", 0) == 0);
  CHECK(run("estimate --help").exit_code == 0);
  const Run models = run(kData + " list models");
  CHECK(models.exit_code == 0);
  CHECK(models.out.find("llama-3.1-405b") != std::string::npos);
  const Run hardware = run(kData + " list hardware");
  CHECK(hardware.exit_code == 0);
  CHECK(hardware.out.find("tpu-v5p") != std::string::npos);
}

TEST_CASE("Data files are found from any working directory (compiled-in source dir)") {
  const Run r = run("estimate -m llama-2-7b -g a100-80gb-sxm --format csv");  // no --config-dir
  CHECK(r.exit_code == 0);
}

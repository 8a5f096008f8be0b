// Runtime profiles and the published-measurement data: every shipped runtime profile loads, each bad
// fixture (tests/config/bad/runtime_*.yaml) fails naming file, line and key; the published CSV parses
// with its quoted fields; mapping.yaml maps rows checked by hand against the CSV text.
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/estimate.hpp"
#include "io/config/config_error.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/config/search_path.hpp"
#include "io/published/published_csv.hpp"
#include "io/published/published_mapping.hpp"
#include "io/published/row_mapping.hpp"
#include "io/text/escape.hpp"
#include "support/fixtures.hpp"
#include "support/scenario_check.hpp"
#include "validation/published.hpp"

using namespace infersim;

namespace {

std::string runtime_error_of(const std::string& file) {
  const std::string path = test::source_path("tests/config/bad/" + file);
  try {
    (void)load_runtime(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::vector<PublishedRow>& published_rows() {
  static const auto rows =
      read_published_csv(test::source_path("validation/published/published_measurements.csv"));
  return rows;
}

const PublishedRow& row_at_line(int line) {
  for (const PublishedRow& r : published_rows()) {
    if (r.line == line) return r;
  }
  FAIL("no row at line " << line);
  return published_rows().front();
}

const PublishedMapping& mapping() {
  static const auto m = load_published_mapping(test::source_path("validation/published/mapping.yaml"));
  return m;
}

}  // namespace

TEST_CASE("runtime profiles: every shipped profile loads, optimized issues no kernel from the host") {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("runtime_profiles"))) {
    INFO(entry.path());
    const RuntimeProfile r = load_runtime(entry.path().string());
    CHECK_FALSE(r.source.empty());
    CHECK(r.terms.name == entry.path().stem().string());
    ++files;
  }
  CHECK(files >= 3);
  const RuntimeProfile opt = load_runtime(test::source_path("runtime_profiles/optimized.yaml"));
  CHECK(opt.terms.host_launch_s == 0.0);
  CHECK(opt.terms.step_overhead_s == Approx(30e-6));  // step_overhead_us: 30
  const RuntimeProfile cpp = load_runtime(test::source_path("runtime_profiles/llama.cpp.yaml"));
  CHECK(cpp.terms.name == "llama.cpp");
  CHECK(cpp.terms.host_launch_s == Approx(9.9e-6));  // host_launch_us: 9.9
  CHECK(cpp.terms.launches_serialized);              // launch_mode: serialized
  CHECK_FALSE(opt.terms.launches_serialized);        // no launch_mode: async
  // JetStream's static shapes (runtime_profiles/jetstream.yaml's scheduler block); vllm's paged defaults.
  const RuntimeProfile js = load_runtime(test::source_path("runtime_profiles/jetstream.yaml"));
  REQUIRE(js.scheduler);
  CHECK(js.scheduler->static_cache_tokens == 2048);  // static_cache_tokens: 2048
  CHECK(js.scheduler->max_prefill_seqs == 1);        // max_prefill_seqs: 1
  CHECK(js.scheduler->pad_prefill_pow2);             // prefill_padding: power_of_two
  const RuntimeProfile vllm = load_runtime(test::source_path("runtime_profiles/vllm.yaml"));
  REQUIRE(vllm.scheduler);
  CHECK(vllm.scheduler->static_cache_tokens == 0);
  CHECK(vllm.scheduler->max_prefill_seqs == 0);
  CHECK_FALSE(vllm.scheduler->pad_prefill_pow2);
  CHECK(vllm.terms.moe_gemm_efficiency == 0.69);  // moe_gemm_efficiency: 0.69
  CHECK(opt.terms.moe_gemm_efficiency == 1.0);    // no moe_gemm_efficiency: the library's rate
  const RuntimeProfile trt = load_runtime(test::source_path("runtime_profiles/trtllm.yaml"));
  CHECK(trt.terms.moe_gemm_stream_efficiency == 0.40);  // moe_gemm_stream_efficiency: 0.40
  // moe_gemm_stream_efficiency_by_hardware: {b200: 0.84, gb200: 1.0, rtx-pro-6000: 0.90}: those devices' own
  // shares, the rest 0.40.
  CHECK(moe_gemm_stream_share(trt.terms, "rtx-pro-6000") == 0.90);
  CHECK(moe_gemm_stream_share(trt.terms, "b200") == 0.84);
  CHECK(moe_gemm_stream_share(trt.terms, "gb200") == 1.0);
  CHECK(moe_gemm_stream_share(trt.terms, "h200-sxm") == 0.40);
  CHECK(moe_gemm_stream_share(vllm.terms, "rtx-pro-6000") == 1.0);
  // moe_module_fixed_us_by_hardware: {b200: 42, gb200: 38}: the MoE module's fixed time a call there, none
  // elsewhere.
  CHECK(moe_module_fixed_s(trt.terms, "b200") == Approx(42e-6));
  CHECK(moe_module_fixed_s(trt.terms, "gb200") == Approx(38e-6));
  CHECK(moe_module_fixed_s(trt.terms, "h200-sxm") == 0.0);
  CHECK(moe_module_fixed_s(vllm.terms, "b200") == 0.0);
  // trtllm-pytorch takes trtllm's through its base.
  const RuntimeProfile trt_py = load_runtime(test::source_path("runtime_profiles/trtllm-pytorch.yaml"));
  CHECK(moe_gemm_stream_share(trt_py.terms, "rtx-pro-6000") == 0.90);
  CHECK(moe_module_fixed_s(trt_py.terms, "b200") == Approx(42e-6));
  CHECK(trt.terms.moe_gemm_efficiency == 0.66);         // moe_gemm_efficiency: 0.66
  CHECK(vllm.terms.moe_gemm_stream_efficiency == 1.0);  // none: the memory roof
  // TensorRT-LLM's cache keeps every token of a chunked layer; vLLM's frees the chunks behind.
  CHECK(trt.terms.chunked_cache == ChunkedCache::whole);   // chunked_attention_cache: whole
  CHECK(vllm.terms.chunked_cache == ChunkedCache::chunk);  // none: the chunk
  // No shipped profile pads to CUDA graphs (TensorRT-LLM's enable_padding is off by default); a source that
  // turns it on says so in the mapping. Given, the sizes are read as written.
  REQUIRE(trt.scheduler);
  CHECK(trt.scheduler->graph_padding_sizes.empty());
  CHECK(vllm.scheduler->graph_padding_sizes.empty());
  const RuntimeProfile padded = load_runtime_text(
      "description: d\nsource: s\nstep_overhead_us: 0\nhost_launch_us: 0\nscheduler:\n  max_num_seqs: 8\n"
      "  max_num_batched_tokens: 64\n  block_size: 16\n  chunked_prefill: true\n  preemption: recompute\n"
      "  graph_padding_sizes: [1, 2, 4, 384]\n",
      "padded.yaml");
  REQUIRE(padded.scheduler);
  CHECK(padded.scheduler->graph_padding_sizes == std::vector<long long>{1, 2, 4, 384});
}

TEST_CASE("runtime profiles: trtllm's cache holds Llama 4 Scout's chunked layers whole") {
  // Llama-4-Scout: 48 layers, 8 KV heads of 128, three chunked layers (8,192) of every four; bf16 KV:
  // 2 x 8 x 128 x 2 = 4,096 bytes per token and layer. One sequence of 20,000 + 2,000 tokens: the whole
  // cache holds 48 x 22,000 x 4,096 = 4,325,376,000 bytes; a chunk cache 12 x 22,000 + 36 x 8,192 = 558,912
  // layer-tokens, 2,289,303,552 bytes.
  const ModelSpec m = load_model(test::source_path("model_configs/llama-4-scout-17b-16e.yaml"));
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h200-sxm.yaml"));
  Scenario sc = test::scenario(1, 20000, 2000);
  sc.runtime = load_runtime(test::source_path("runtime_profiles/trtllm.yaml")).terms;
  CHECK(estimate(m, hw, sc).kv_cache_bytes == 4'325'376'000.0);
  sc.runtime = load_runtime(test::source_path("runtime_profiles/vllm.yaml")).terms;
  CHECK(estimate(m, hw, sc).kv_cache_bytes == 2'289'303'552.0);
}

TEST_CASE("runtime profiles: each bad fixture names the file, the line and the key") {
  const std::string dir = test::source_path("tests/config/bad/");
  const std::string unknown = runtime_error_of("runtime_unknown_key.yaml");
  CHECK(unknown.rfind(dir + "runtime_unknown_key.yaml:5:1: error: unknown key 'launch_us'", 0) == 0);
  const std::string negative = runtime_error_of("runtime_negative.yaml");
  CHECK(negative.rfind(dir + "runtime_negative.yaml:3:19: error: 'step_overhead_us' must be a number in [0,",
                       0) == 0);
  const std::string missing = runtime_error_of("runtime_missing_key.yaml");
  CHECK(missing.rfind(dir + "runtime_missing_key.yaml:1:1: error: missing required key 'host_launch_us'",
                      0) == 0);
  CHECK(runtime_error_of("runtime_zero_efficiency.yaml")
            .rfind(dir + "runtime_zero_efficiency.yaml:5:30: error: 'int4_weight_only_efficiency' must be a "
                         "number in (0.001, 1]",
                   0) == 0);
  CHECK(runtime_error_of("runtime_moe_share_above_one.yaml")
            .rfind(dir +
                       "runtime_moe_share_above_one.yaml:5:22: error: 'moe_gemm_efficiency' must be a number "
                       "in (0.001, 1]",
                   0) == 0);
  CHECK(
      runtime_error_of("runtime_moe_stream_share_zero.yaml")
          .rfind(dir +
                     "runtime_moe_stream_share_zero.yaml:5:29: error: 'moe_gemm_stream_efficiency' must be a "
                     "number in (0.001, 1]",
                 0) == 0);
  CHECK(runtime_error_of("runtime_moe_stream_by_hardware_scalar.yaml")
            .rfind(
                dir +
                    "runtime_moe_stream_by_hardware_scalar.yaml:5:41: error: "
                    "'moe_gemm_stream_efficiency_by_hardware' must be a mapping of hardware profile names to "
                    "shares in (0.001, 1]",
                0) == 0);
  CHECK(runtime_error_of("runtime_moe_stream_by_hardware_above_one.yaml")
            .rfind(dir +
                       "runtime_moe_stream_by_hardware_above_one.yaml:5:71: error: "
                       "'moe_gemm_stream_efficiency_by_hardware.rtx-pro-6000' must be a number in (0.001, 1]",
                   0) == 0);
  CHECK(runtime_error_of("runtime_moe_fixed_by_hardware_scalar.yaml")
            .rfind(dir + "runtime_moe_fixed_by_hardware_scalar.yaml:5:34: error: "
                         "'moe_module_fixed_us_by_hardware' must be a mapping of hardware profile names to "
                         "microseconds in [0, 1000000], got '44'",
                   0) == 0);
  CHECK(runtime_error_of("runtime_moe_fixed_by_hardware_negative.yaml")
            .rfind(dir + "runtime_moe_fixed_by_hardware_negative.yaml:5:41: error: "
                         "'moe_module_fixed_us_by_hardware.b200' must be a number in [0, 1000000], got '-3'",
                   0) == 0);
  CHECK(runtime_error_of("runtime_bad_host_overlap.yaml")
            .rfind(dir +
                       "runtime_bad_host_overlap.yaml:5:15: error: 'host_overlap' must be true or false, got "
                       "'sometimes'",
                   0) == 0);
  CHECK(runtime_error_of("runtime_bad_chunked_cache.yaml")
            .rfind(dir +
                       "runtime_bad_chunked_cache.yaml:5:26: error: 'chunked_attention_cache' must be one of "
                       "chunk, whole, got 'window'",
                   0) == 0);
  CHECK(runtime_error_of("runtime_bad_launch_mode.yaml")
            .rfind(dir + "runtime_bad_launch_mode.yaml:5:14: error: 'launch_mode' must be one of async, "
                         "serialized, got 'sync'",
                   0) == 0);
  CHECK(runtime_error_of("runtime_bad_prefill_padding.yaml")
            .rfind(dir + "runtime_bad_prefill_padding.yaml:11:20: error: 'scheduler.prefill_padding' must be "
                         "one of none, "
                         "power_of_two, got 'pow2'",
                   0) == 0);
  // CUDA-graph padding sizes: a list of positive batch sizes in ascending order.
  CHECK(runtime_error_of("runtime_graph_padding_descending.yaml")
            .rfind(dir +
                       "runtime_graph_padding_descending.yaml:11:34: error: 'scheduler.graph_padding_sizes' "
                       "must list batch sizes from 1 to 10000000 in ascending order",
                   0) == 0);
  CHECK(runtime_error_of("runtime_graph_padding_zero.yaml")
            .rfind(dir + "runtime_graph_padding_zero.yaml:11:25: error: 'scheduler.graph_padding_sizes' must "
                         "list batch sizes",
                   0) == 0);
  CHECK(runtime_error_of("runtime_graph_padding_empty.yaml")
            .rfind(dir +
                       "runtime_graph_padding_empty.yaml:11:24: error: 'scheduler.graph_padding_sizes' must "
                       "be a list of 1 to 64 batch sizes, got 0",
                   0) == 0);
  CHECK(runtime_error_of("runtime_graph_padding_scalar.yaml")
            .rfind(dir +
                       "runtime_graph_padding_scalar.yaml:11:24: error: 'scheduler.graph_padding_sizes' must "
                       "be a list",
                   0) == 0);
  const std::string unit = runtime_error_of("runtime_unit_in_value.yaml");
  CHECK(unit.rfind(dir + "runtime_unit_in_value.yaml:3:19: error: 'step_overhead_us' must be a number", 0) ==
        0);
  CHECK(runtime_error_of("runtime_bad_overlap_under_pp.yaml")
            .rfind(dir +
                       "runtime_bad_overlap_under_pp.yaml:6:24: error: 'host_overlap_under_pp' must be true "
                       "or false, got 'never'",
                   0) == 0);
  // A base is a profile's name (no path, no .yaml ending); a chain of bases ends within 8; read beside the
  // profile (no search path here), its file must exist.
  CHECK(runtime_error_of("runtime_base_path.yaml")
            .rfind(
                dir + "runtime_base_path.yaml:1:7: error: 'base' must name a runtime profile beside this one",
                0) == 0);
  CHECK_THROWS_WITH(load_runtime_text("base: trtllm.yaml\ndescription: d\nsource: s\n", "named.yaml"),
                    Catch::StartsWith("named.yaml:1:7: error: 'base' must name a runtime profile"));
  CHECK(runtime_error_of("runtime_base_cycle.yaml")  // runtime_base_cycle_b.yaml names it back
            .rfind(dir + "runtime_base_cycle.yaml:1:7: error: 'base' goes more than 8 profiles deep", 0) ==
        0);
  CHECK(
      runtime_error_of("runtime_base_missing.yaml").rfind(dir + "runtime_no_such_profile.yaml: error: ", 0) ==
      0);
}

TEST_CASE("runtime profiles: a profile of the user's own finds its base on the search path") {
  // mine.yaml in a directory of its own, starting from the shipped trtllm-pytorch (whose base is trtllm):
  // beside it there is no trtllm-pytorch.yaml, so the search path (here the source tree's runtime_profiles/)
  // gives the base.
  const auto dir = std::filesystem::temp_directory_path() / ("infersim_base_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string mine = (dir / "mine.yaml").string();
  std::ofstream(mine) << "base: trtllm-pytorch\ndescription: d\nsource: s\nhost_per_sequence_us: 7\n";
  const SearchPath search("", "");
  const RuntimeProfile r = load_runtime(mine, search);
  CHECK(r.terms.name == "mine");
  CHECK(r.terms.host_per_sequence_s == Approx(7e-6));
  CHECK(r.terms.host_overlaps_device);         // trtllm-pytorch.yaml's
  CHECK(r.terms.moe_gemm_efficiency == 0.66);  // trtllm.yaml's
  // Without a search path the base is looked for beside the profile alone.
  CHECK_THROWS_WITH(load_runtime(mine), (dir / "trtllm-pytorch.yaml").string() + ": error: no such file");
  // A base found nowhere: the profile's file and line, then the search path's message.
  const std::string lost = (dir / "lost.yaml").string();
  std::ofstream(lost) << "base: nope\ndescription: d\nsource: s\n";
  try {
    (void)load_runtime(lost, search);
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).rfind(lost + ":1:7: error: 'base': unknown runtime profile 'nope'", 0) == 0);
  }
  // A profile named as its base in --config-dir's runtime_profiles/ finds itself first there: refused.
  std::filesystem::create_directories(dir / "runtime_profiles");
  const std::string own = (dir / "runtime_profiles" / "trtllm.yaml").string();
  std::ofstream(own) << "base: trtllm\ndescription: d\nsource: s\n";
  CHECK_THROWS_WITH(load_runtime(own, SearchPath(dir.string(), "")),
                    own + ":1:7: error: 'base' names this profile itself");
  std::filesystem::remove_all(dir);
}

TEST_CASE("runtime profiles: trtllm-python is optimized with the python session's host time a step") {
  const RuntimeProfile base = load_runtime(test::source_path("runtime_profiles/optimized.yaml"));
  const RuntimeProfile r = load_runtime(test::source_path("runtime_profiles/trtllm-python.yaml"));
  CHECK(r.terms.name == "trtllm-python");
  // Its own keys (runtime_profiles/trtllm-python.yaml): step_overhead_us: 3707.4, host_launch_us: 0.
  CHECK(r.terms.step_overhead_s == Approx(3707.4e-6));
  CHECK(r.terms.host_launch_s == 0);
  CHECK(base.terms.step_overhead_s == Approx(30e-6));  // optimized.yaml's, which it replaces
  // The base's terms it does not give, as optimized.yaml writes them; a static batch, so no scheduler.
  CHECK(r.terms.allreduce == base.terms.allreduce);
  CHECK(r.terms.allreduce == AllreducePath::custom);  // allreduce: custom
  CHECK(r.terms.host_per_sequence_s == 0);
  CHECK_FALSE(r.terms.host_overlaps_device);
  CHECK_FALSE(r.scheduler);
}

TEST_CASE("runtime profiles: vllm-nccl is vllm with its all-reduces on NCCL") {
  const RuntimeProfile base = load_runtime(test::source_path("runtime_profiles/vllm.yaml"));
  const RuntimeProfile r = load_runtime(test::source_path("runtime_profiles/vllm-nccl.yaml"));
  CHECK(r.terms.name == "vllm-nccl");
  CHECK(r.terms.allreduce == AllreducePath::nccl);       // its one key: allreduce: nccl
  CHECK(base.terms.allreduce == AllreducePath::custom);  // vllm.yaml's, which it replaces
  // Everything else as vllm.yaml writes it: 30 us a step, 36.2 us a sequence, the MoE kernel's 0.69, and the
  // scheduler block (1024 sequences, 8192 tokens a step).
  CHECK(r.terms.step_overhead_s == Approx(30e-6));
  CHECK(r.terms.host_per_sequence_s == Approx(36.2e-6));
  CHECK(r.terms.moe_gemm_efficiency == 0.69);
  REQUIRE(r.scheduler);
  CHECK(r.scheduler->max_num_seqs == 1024);
  CHECK(r.scheduler->max_num_batched_tokens == 8192);
}

TEST_CASE("runtime profiles: vllm-v0 is vllm-nccl with V0's host time a sequence and V0's scheduler") {
  const RuntimeProfile base = load_runtime(test::source_path("runtime_profiles/vllm-nccl.yaml"));
  const RuntimeProfile r = load_runtime(test::source_path("runtime_profiles/vllm-v0.yaml"));
  CHECK(r.terms.name == "vllm-v0");
  CHECK(r.terms.host_per_sequence_s == Approx(118.6e-6));    // host_per_sequence_us: 118.6 (fitted)
  CHECK(base.terms.host_per_sequence_s == Approx(36.2e-6));  // vllm's, which it replaces
  // The base's terms: 30 us a step, NCCL all-reduces, the MoE kernel's 0.69.
  CHECK(r.terms.step_overhead_s == Approx(30e-6));
  CHECK(r.terms.allreduce == AllreducePath::nccl);
  CHECK(r.terms.moe_gemm_efficiency == 0.69);
  // Its own scheduler block, V0's defaults: 256 sequences, 32768 tokens a step, no chunked prefill, no
  // prefix caching.
  REQUIRE(r.scheduler);
  CHECK(r.scheduler->max_num_seqs == 256);
  CHECK(r.scheduler->max_num_batched_tokens == 32768);
  CHECK(r.scheduler->block_tokens == 16);
  CHECK_FALSE(r.scheduler->chunked_prefill);
  CHECK_FALSE(r.scheduler->prefix_caching);
  CHECK(r.scheduler->preemption == Preemption::recompute);
}

TEST_CASE("runtime profiles: trtllm-pytorch is trtllm with the overlap scheduler, off under pp") {
  const RuntimeProfile base = load_runtime(test::source_path("runtime_profiles/trtllm.yaml"));
  const RuntimeProfile r = load_runtime(test::source_path("runtime_profiles/trtllm-pytorch.yaml"));
  CHECK(r.terms.name == "trtllm-pytorch");
  // Its own keys (runtime_profiles/trtllm-pytorch.yaml): host_overlap: true, host_overlap_under_pp: false.
  CHECK(r.terms.host_overlaps_device);
  CHECK_FALSE(r.terms.host_overlaps_under_pp);
  CHECK_FALSE(base.terms.host_overlaps_device);
  CHECK(r.terms.host_per_sequence_s != base.terms.host_per_sequence_s);
  // The base's terms it does not give, as trtllm.yaml writes them.
  CHECK(r.terms.step_overhead_s == Approx(30e-6));      // step_overhead_us: 30
  CHECK(r.terms.moe_gemm_stream_efficiency == 0.40);    // moe_gemm_stream_efficiency: 0.40
  CHECK(r.terms.moe_gemm_efficiency == 0.66);           // moe_gemm_efficiency: 0.66
  CHECK(r.terms.chunked_cache == ChunkedCache::whole);  // chunked_attention_cache: whole
  CHECK(r.terms.allreduce == AllreducePath::custom);    // allreduce: custom
  REQUIRE(r.scheduler);
  CHECK(r.scheduler->max_num_seqs == 2048);            // max_num_seqs: 2048
  CHECK(r.scheduler->max_num_batched_tokens == 8192);  // max_num_batched_tokens: 8192
  CHECK(r.scheduler->block_tokens == 32);              // block_size: 32
  CHECK(r.scheduler->reserve_full_sequence);           // admission: guaranteed
  CHECK_FALSE(r.scheduler->prefix_caching);            // prefix_caching: false
  // A profile's own scheduler: block replaces the base's whole (admission back to its default, on_demand),
  // and a required term it gives replaces the base's; the text stands beside trtllm.yaml.
  const RuntimeProfile own = load_runtime_text(
      "base: trtllm\ndescription: d\nsource: s\nstep_overhead_us: 50\nscheduler:\n  max_num_seqs: 8\n"
      "  max_num_batched_tokens: 64\n  block_size: 16\n  chunked_prefill: true\n  preemption: recompute\n",
      test::source_path("runtime_profiles/own.yaml"));
  CHECK(own.terms.name == "own");
  CHECK(own.terms.step_overhead_s == Approx(50e-6));
  CHECK(own.terms.moe_gemm_efficiency == 0.66);  // the base's
  REQUIRE(own.scheduler);
  CHECK(own.scheduler->max_num_seqs == 8);
  CHECK(own.scheduler->block_tokens == 16);
  CHECK_FALSE(own.scheduler->reserve_full_sequence);
  CHECK(own.scheduler->prefix_caching);  // the default, where trtllm's block says false
}

TEST_CASE("published CSV: every row, quoted commas kept, values as written") {
  const auto& rows = published_rows();
  CHECK(rows.size() == 1389);  // wc -l = 1390 lines: the header and 1389 rows, no field spans lines
  // Line 24 (gpt-fast, Llama-2-7B bf16): its hardware field holds commas inside quotes.
  const PublishedRow& r = row_at_line(24);
  CHECK(r.hardware.rfind("A100-SXM 80GB, power-limited to 330 W (8-GPU box, NVLink 'hybrid cube mesh');",
                         0) == 0);
  CHECK(r.model == "Llama-2-7B");
  CHECK(r.value == "104.9");
  CHECK(r.source == "pytorch-labs/gpt-fast README.md @ 0f925b5d4ce457b89a7ca6c9ce50f42bf2576945");
  CHECK_THROWS_WITH(parse_published_csv("a,b\n", "x.csv"),
                    Catch::Contains("x.csv:1:1: error: the header must be"));
  const std::string header(kPublishedCsvHeader);
  // An empty field before the header's names is a 17th column, not the header.
  CHECK_THROWS_WITH(parse_published_csv("," + header + "\n", "x.csv"),
                    Catch::Contains("x.csv:1:1: error: the header must be"));
  // A row whose first field is empty is a row of 16 fields like any other.
  const auto blank_source =
      parse_published_csv(header + "\n,h,1,1,1,f,m,bf16,bf16,1,128,128,x,10,tok/s,n\n", "x.csv");
  REQUIRE(blank_source.size() == 1);
  CHECK(blank_source[0].source.empty());
  CHECK(blank_source[0].hardware == "h");
  CHECK_THROWS_WITH(parse_published_csv(header + "\n1,2,3\n", "x.csv"),
                    Catch::Contains("x.csv:2:1: error: expected 16 fields, got 3"));
  CHECK_THROWS_WITH(parse_published_csv(header + "\n\"open,2\n", "x.csv"), Catch::Contains("not closed"));
  // A spreadsheet's UTF-8 byte order mark before the header is skipped; the rows and their lines are as
  // without it.
  const std::string row = "s,h,1,1,1,f,m,bf16,bf16,1,128,128,decode_tokens_per_s,10,tok/s,";
  const auto marked = parse_published_csv("\xEF\xBB\xBF" + header + "\r\n" + row + "\r\n", "x.csv");
  REQUIRE(marked.size() == 1);
  CHECK(marked[0].line == 2);
  CHECK(marked[0].source == "s");
  CHECK(marked[0].notes.empty());
  // A quoted field ends at its closing quote: text after it is refused, not joined to the field (RFC 4180
  // 2.5-2.7), and a line break inside it counts one line whether LF, CRLF or a lone CR: the row after a
  // source spanning lines 2 and 3 is on line 4.
  CHECK_THROWS_WITH(parse_published_csv(header + "\n\"s\"x" + row.substr(1) + "\n", "x.csv"),
                    Catch::StartsWith("x.csv:2: error: text after a field's closing quote"));
  const auto spanning =
      parse_published_csv(header + "\n\"s\rt\"" + row.substr(1) + "\n" + row + "\n", "x.csv");
  REQUIRE(spanning.size() == 2);
  CHECK(spanning[0].source == "s\rt");
  CHECK(spanning[1].line == 4);
  CHECK(csv_field("a,b \"c\"") == "\"a,b \"\"c\"\"\"");
  // A writer's fields come out in the header's column order: the row above, field by field as typed.
  const std::array<std::string_view, kPublishedCsvColumns> typed = {
      "s",  "h",     "1", "1", "1", "f", "m", "bf16", "bf16", "1", "128", "128", "decode_tokens_per_s",
      "10", "tok/s", ""};
  CHECK(published_row_fields(marked[0]) == typed);
}

TEST_CASE("mapping: rows checked by hand against the CSV text") {
  // Line 24: gpt-fast, 1 device, tp 1, Llama-2-7B bf16/bf16, batch 1, prompt 5, output "200 (generate.py
  // default ...)", decode_tokens_per_s 104.9.
  const MappingOutcome gpt = map_row(row_at_line(24), mapping());
  REQUIRE(gpt.config);
  const MappedConfig& c = *gpt.config;
  CHECK(c.model == "llama-2-7b");
  CHECK(c.hardware == "a100-80gb-sxm");
  CHECK(c.runtime == "gpt-fast");
  CHECK(c.metric == MetricKind::decode_tok_s);
  CHECK(c.published == 104.9);
  CHECK(c.scenario.batch == 1);
  CHECK(c.scenario.input_tokens == 5);
  CHECK(c.scenario.output_tokens == 200);
  CHECK(c.scenario.weights.dtype == Dtype::bf16);
  CHECK(c.scenario.kv == Dtype::bf16);
  CHECK(c.scenario.layout.tp == 1);

  // Line 39: llama.cpp q4_0 Llama-2-7B on an A100: 32-weight blocks, one fp16 scale, no zero = 4.5 bits.
  const MappingOutcome q4 = map_row(row_at_line(39), mapping());
  REQUIRE(q4.config);
  const StorageFormat& w = q4.config->scenario.weights;
  CHECK(w.dtype == Dtype::int4);
  CHECK(4.0 + (w.scale_bits + w.zero_point_bits) / w.group_size == 4.5);
  CHECK(q4.config->runtime == "llama.cpp");
  CHECK(q4.config->scenario.input_tokens == 300);  // "a few hundred": the mapping's stated assumption

  // Line 34 (gpt-fast, 8 devices, tp 8): layout from the row, no replicas.
  const MappingOutcome tp8 = map_row(row_at_line(34), mapping());
  REQUIRE(tp8.config);
  CHECK(tp8.config->scenario.layout.tp == 8);
  CHECK(tp8.config->scenario.layout.dp == 1);

  // Line 20: TensorRT-LLM blog, fp8 (W8A8) vs fp16 speedup 1.51 at batch 1, 1024 in, 128 out: the same
  // configuration twice, differing only in the weight and GEMM dtypes.
  const MappingOutcome speedup = map_row(row_at_line(20), mapping());
  REQUIRE(speedup.config);
  REQUIRE(speedup.config->baseline);
  CHECK(speedup.config->metric == MetricKind::speedup);
  CHECK(speedup.config->scenario.weights.dtype == Dtype::fp8);
  CHECK(speedup.config->scenario.activations == Dtype::fp8);
  CHECK(speedup.config->baseline->weights.dtype == Dtype::fp16);
  CHECK(speedup.config->baseline->activations == Dtype::fp16);
  CHECK(speedup.config->baseline->input_tokens == 1024);
  CHECK(speedup.config->baseline->kv == speedup.config->scenario.kv);

  // Lines 94 and 99: Azure's runner (Benchmarks/LLMBenchmark.py @ 8fd0c6e) on an A100, "fp16 (stated)",
  // and on an H100, precision not stated: config.json gives 'fp8', whose path quantizes the KV cache too
  // (quantize.py --kv_cache_dtype fp8). Both rows' KV text is "fp8 if fp8 path else fp16": the A100's KV is
  // fp16, the H100's fp8, set by its weights entry. Line 949 (added 2026-12-06): the same H100 table's
  // Llama-3-70B at batch 16, tp 8, its KV text naming fp8 itself.
  const MappingOutcome a100 = map_row(row_at_line(94), mapping());
  REQUIRE(a100.config);
  CHECK(a100.config->scenario.weights.dtype == Dtype::fp16);
  CHECK(a100.config->scenario.kv == Dtype::fp16);
  const MappingOutcome h100 = map_row(row_at_line(99), mapping());
  REQUIRE(h100.config);
  CHECK(h100.config->model == "llama-3-8b");
  CHECK(h100.config->hardware == "h100-sxm");
  CHECK(h100.config->scenario.weights.dtype == Dtype::fp8);
  CHECK(h100.config->scenario.activations == Dtype::fp8);
  CHECK(h100.config->scenario.kv == Dtype::fp8);
  CHECK(h100.config->scenario.batch == 64);
  CHECK(h100.config->runtime == "trtllm-python");  // benchmark.py's python session, no CUDA graphs
  // Line 1222 (added 2026-12-07): TensorRT-LLM issue #329, the same harness of an older release, LLaMA 7B
  // ("llama_7b", benchmark.py's built-in Llama-2-7B shapes) with --enable_fp8 --fp8_kv_cache on an H100-SXM,
  // batch 64, 2048/128, 1857.9 tokens/s: the fit row of trtllm-python's host time a step.
  const MappingOutcome issue329 = map_row(row_at_line(1222), mapping());
  REQUIRE(issue329.config);
  CHECK(issue329.config->model == "llama-2-7b");
  CHECK(issue329.config->hardware == "h100-sxm");
  CHECK(issue329.config->runtime == "trtllm-python");
  CHECK(issue329.config->published == 1857.9);
  CHECK(issue329.config->scenario.batch == 64);
  CHECK(issue329.config->scenario.input_tokens == 2048);
  CHECK(issue329.config->scenario.output_tokens == 128);
  CHECK(issue329.config->scenario.weights.dtype == Dtype::fp8);
  CHECK(issue329.config->scenario.activations == Dtype::fp8);
  CHECK(issue329.config->scenario.kv == Dtype::fp8);
  const MappingOutcome h100_b16 = map_row(row_at_line(949), mapping());
  REQUIRE(h100_b16.config);
  CHECK(h100_b16.config->model == "llama-3-70b");
  CHECK(h100_b16.config->published == 624.57);
  CHECK(h100_b16.config->scenario.batch == 16);
  CHECK(h100_b16.config->scenario.layout.tp == 8);
  CHECK(h100_b16.config->scenario.weights.dtype == Dtype::fp8);
  CHECK(h100_b16.config->scenario.kv == Dtype::fp8);
  // Line 951: the 405B FP8 checkpoint, whose precision the runner's bfloat16 path leaves undetermined.
  const MappingOutcome h100_405b = map_row(row_at_line(951), mapping());
  CHECK_FALSE(h100_405b.config);
  CHECK(h100_405b.reason.rfind("weight precision not mapped: 'not determinable: ", 0) == 0);

  // Line 73: MLPerf Offline, batch chosen by the runtime: a load the mapping's `loads` table names, run
  // through the serving simulator (tests/validation/test_published_serving.cpp); a load text the table
  // does not name stays unmapped. Line 106: a GEMM kernel row.
  const MappingOutcome offline = map_row(row_at_line(73), mapping());
  REQUIRE(offline.config);
  CHECK(offline.config->load);
  PublishedRow unnamed = row_at_line(73);
  unnamed.batch = "Offline, a load the mapping does not name";
  const MappingOutcome unnamed_load = map_row(unnamed, mapping());
  CHECK_FALSE(unnamed_load.config);
  CHECK(unnamed_load.reason.find("batch not a fixed number") == 0);
  const MappingOutcome gemm = map_row(row_at_line(106), mapping());
  CHECK_FALSE(gemm.config);
  CHECK(gemm.reason.find("kernel-level row") == 0);

  // Line 40: XiongjieDai prefill on "a fixed prompt of a few hundred tokens": a prefill rate with an
  // assumed prompt length is not mapped (the decode rows of the same prompt, like line 39, are).
  const MappingOutcome prefill = map_row(row_at_line(40), mapping());
  CHECK_FALSE(prefill.config);
  CHECK(prefill.reason.find("prefill metric with a prompt length not stated exactly") == 0);

  // Line 69: ggml-org llama-bench tg128 on an "A100 80GB PCIe", input 0: decode from one token.
  const MappingOutcome tg = map_row(row_at_line(69), mapping());
  REQUIRE(tg.config);
  CHECK(tg.config->hardware == "a100-80gb-pcie");
  CHECK(tg.config->runtime == "llama.cpp");
  CHECK(tg.config->scenario.input_tokens == 1);
  CHECK(tg.config->scenario.output_tokens == 128);

  // Lines 37, 59 and 67 waited for their devices' profiles (fit_split.md, 2026-12-07, fifteenth session): one
  // GCD of an MI250X under gpt-fast on ROCm; llama.cpp on an RTX 4090; llama.cpp's layer split of Llama-2-70B
  // over two RTX 4090s, which the row states as 2 devices, tp 1, pp 2. All three judged.
  const MappingOutcome gcd = map_row(row_at_line(37), mapping());
  REQUIRE(gcd.config);
  CHECK(gcd.config->hardware == "mi250x-gcd");
  CHECK(gcd.config->runtime == "gpt-fast");
  const MappingOutcome rtx = map_row(row_at_line(59), mapping());
  REQUIRE(rtx.config);
  CHECK(rtx.config->hardware == "rtx-4090");
  CHECK(rtx.config->runtime == "llama.cpp");
  const MappingOutcome split = map_row(row_at_line(67), mapping());
  REQUIRE(split.config);
  CHECK(split.config->hardware == "rtx-4090");
  CHECK(split.config->scenario.layout.tp == 1);
  CHECK(split.config->scenario.layout.pp == 2);
  CHECK(split.config->scenario.layout.dp == 1);
  for (const int line : {37, 38, 59, 61, 63, 65, 67, 68}) {
    INFO("line " << line);
    CHECK_FALSE(in_fit_subset(mapping().fit_subset, row_at_line(line)));
  }

  // The fit subset (validation/published/fit_split.md): the ggml-org source
  // (runtime_profiles/llama.cpp.yaml's host_launch_us), gpt-fast's Llama-2-7B lines 25, 26, 29-31
  // (runtime_profiles/gpt-fast.yaml's kernel terms; its 70B rows are judged), the TensorRT-LLM overview's
  // lines 2-4 and the MLPerf MI300X Offline lines 81 and 85 (the trtllm and vllm host terms), and
  // TensorRT-LLM issue #329's line 1222 (trtllm-python's host time a step; Azure's rows of the harness
  // judged), and vLLM pull request #3692's DBRX rows at batch 64 (lines 1278 and 1282: a V0 host term a
  // sequence, if one is set; its rows at batch 8-32 judged).
  const auto& fit = mapping().fit_subset;
  REQUIRE(fit.size() == 7);
  CHECK(fit[0].lines.empty());
  CHECK(in_fit_subset(fit, row_at_line(69)));
  CHECK(in_fit_subset(fit, row_at_line(25)));
  CHECK(in_fit_subset(fit, row_at_line(31)));
  CHECK_FALSE(in_fit_subset(fit, row_at_line(24)));  // bf16 at TP 1: no term was fitted on it
  CHECK_FALSE(in_fit_subset(fit, row_at_line(27)));  // Llama-2-70B int8: judged
  CHECK_FALSE(in_fit_subset(fit, row_at_line(39)));  // XiongjieDai llama.cpp: judged
  CHECK(in_fit_subset(fit, row_at_line(2)));
  CHECK(in_fit_subset(fit, row_at_line(4)));
  CHECK(in_fit_subset(fit, row_at_line(81)));
  CHECK(in_fit_subset(fit, row_at_line(85)));
  CHECK_FALSE(in_fit_subset(fit, row_at_line(5)));    // the same source's 1000/1000: judged
  CHECK_FALSE(in_fit_subset(fit, row_at_line(82)));   // MLPerf MI300X Server: judged
  CHECK_FALSE(in_fit_subset(fit, row_at_line(159)));  // rows added with the split: judged
  CHECK(in_fit_subset(fit, row_at_line(1222)));
  CHECK_FALSE(in_fit_subset(fit, row_at_line(99)));    // Azure's rows of the same harness: judged
  CHECK_FALSE(in_fit_subset(fit, row_at_line(1223)));  // vLLM pull request #3240: judged, sets nothing
  CHECK(in_fit_subset(fit, row_at_line(1278)));
  CHECK(in_fit_subset(fit, row_at_line(1282)));
  CHECK_FALSE(in_fit_subset(fit, row_at_line(1275)));  // pull request #3692 at batch 8: judged
  CHECK_FALSE(in_fit_subset(fit, row_at_line(1281)));  // and at batch 32
}

TEST_CASE(
    "mapping: vLLM's benchmark_latency rows (pull requests #3240, #4002, #3692) against their CSV text") {
  // Each the mean seconds of one llm.generate over a static batch (the 'Avg latency' line as printed), on an
  // A100 80 GB whose form factor is not stated (SXM4 assumed, the mapping's note), vLLM's V0 engine with its
  // custom all-reduce off by default at the time (vllm-v0, on vllm-nccl). Lines 1223-1229 (#3240):
  // Mixtral-8x7B-Instruct-v0.1 at tp 2, 1000 prompt and 50 output tokens, batch 1 to 64. Lines 1230-1234
  // (#4002): Mixtral-8x22B at tp 4 and 8 with the script's default lengths (the PR gives no command line), 32
  // and 128 tokens, read through the mapping's lengths table. Lines 1275-1282 (#3692): DBRX Instruct at tp 4
  // and 8, batch 8 to 64, the script's default lengths, on the H100 SXM5 that the PR's tuned fused_moe files
  // name (NVIDIA_H100_80GB_HBM3).
  struct Expected {
    int line;
    const char* model;
    const char* hardware;
    double published;
    long long batch;
    int tp;
    long long input_tokens, output_tokens;
  };
  const char* const a100 = "a100-80gb-sxm";
  const char* const h100 = "h100-sxm";
  const Expected rows[] = {{1223, "mixtral-8x7b", a100, 0.7621450612053741, 1, 2, 1000, 50},
                           {1229, "mixtral-8x7b", a100, 7.537396909691161, 64, 2, 1000, 50},
                           {1230, "mixtral-8x22b", a100, 5.4268179705676935, 8, 4, 32, 128},
                           {1234, "mixtral-8x22b", a100, 4.047313968433688, 16, 8, 32, 128},
                           {1275, "dbrx-instruct", h100, 3.2545747229084374, 8, 4, 32, 128},
                           {1278, "dbrx-instruct", h100, 4.446144629847258, 64, 4, 32, 128},
                           {1279, "dbrx-instruct", h100, 2.305059498753399, 8, 8, 32, 128},
                           {1282, "dbrx-instruct", h100, 3.3472835789062083, 64, 8, 32, 128}};
  for (const Expected& x : rows) {
    INFO("line " << x.line);
    const MappingOutcome m = map_row(row_at_line(x.line), mapping());
    REQUIRE(m.config);
    CHECK(m.config->model == x.model);
    CHECK(m.config->hardware == x.hardware);
    CHECK(m.config->runtime == "vllm-v0");
    CHECK(m.config->metric == MetricKind::e2e_latency_s);
    CHECK(m.config->published == x.published);
    CHECK(m.config->scenario.batch == x.batch);
    CHECK(m.config->scenario.layout.tp == x.tp);
    CHECK(m.config->scenario.input_tokens == x.input_tokens);
    CHECK(m.config->scenario.output_tokens == x.output_tokens);
    CHECK(m.config->scenario.weights.dtype == Dtype::bf16);  // dtype auto: the checkpoints' bfloat16
    CHECK(m.config->scenario.activations == Dtype::bf16);
    CHECK(m.config->scenario.kv == Dtype::bf16);
    CHECK_FALSE(m.config->load);  // a static batch: one configuration, not the serving simulator
  }
}

TEST_CASE("mapping: fit_subset entries are sources or {source, lines} with CSV line numbers") {
  const std::string head =
      "description: x\nmodels: {}\nhardware: {}\nframeworks: {}\nkv: {}\nweights: {}\n"
      "metrics: {}\nlengths: {}\n";
  const PublishedMapping m = load_published_mapping_text(
      head + "fit_subset:\n  - \"A\"\n  - {source: \"B\", lines: [3, 5]}\n", "m.yaml");
  REQUIRE(m.fit_subset.size() == 2);
  CHECK(m.fit_subset[0].source == "A");
  CHECK(m.fit_subset[0].lines.empty());
  CHECK(m.fit_subset[1].lines == std::vector<int>{3, 5});
  PublishedRow row;
  row.source = "B";
  row.line = 5;
  CHECK(in_fit_subset(m.fit_subset, row));
  row.line = 4;
  CHECK_FALSE(in_fit_subset(m.fit_subset, row));
  // Line 10 is `  - {source: "B", lines: [x]}`: the x at column 27.
  CHECK_THROWS_WITH(
      load_published_mapping_text(head + "fit_subset:\n  - {source: \"B\", lines: [x]}\n", "m.yaml"),
      Catch::StartsWith("m.yaml:10:27: error: 'fit_subset' lines must be CSV line numbers"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(head + "fit_subset:\n  - {source: \"B\", line: [3]}\n", "m.yaml"),
      Catch::Contains("unknown key"));
}

TEST_CASE("mapping: bad entries name the file, the line and the key") {
  const std::string head =
      "description: x\nfit_subset: []\nmodels: {}\nhardware: {}\nframeworks: {}\nkv: {}\n"
      "metrics: {}\nlengths: {}\n";
  // Line 10 is `  "bf16": {weights: X, activations: bf16}`: the value X starts at column 21, a key after
  // `{weights: bf16, ` at column 27.
  CHECK_THROWS_WITH(load_published_mapping_text(
                        head + "weights:\n  \"bf16\": {weights: bf17, activations: bf16}\n", "m.yaml"),
                    Catch::StartsWith("m.yaml:10:21: error: 'weights' must be one of "));
  CHECK_THROWS_WITH(load_published_mapping_text(
                        head + "weights:\n  \"bf16\": {weights: bf16, activation: bf16}\n", "m.yaml"),
                    Catch::StartsWith("m.yaml:10:27: error: unknown key 'weights['bf16'].activation'"));
  CHECK_THROWS_WITH(load_published_mapping_text(head, "m.yaml"),
                    Catch::Contains("missing required key 'weights'"));
  const std::string metric =
      "description: x\nfit_subset: []\nmodels: {}\nhardware: {}\nframeworks: {}\nkv: {}\n"
      "weights: {}\nlengths: {}\nmetrics:\n  \"m\": {kind: none}\n";
  CHECK_THROWS_WITH(load_published_mapping_text(metric, "m.yaml"), Catch::Contains("needs a 'reason'"));
}

TEST_CASE("mapping: precisions are read as estimate reads its flags, with the same bounds") {
  const std::string head =
      "description: x\nfit_subset: []\nmodels: {}\nhardware: {}\nframeworks: {}\nkv: {}\n"
      "metrics: {}\nlengths: {}\n";
  // tf32 is a compute mode (estimate --weights tf32 is refused the same way); a group of 0 weights is
  // not a group (--group-size must be positive). Line 10, the values at columns 21, 58 and 13.
  CHECK_THROWS_WITH(load_published_mapping_text(
                        head + "weights:\n  \"tf32\": {weights: tf32, activations: tf32}\n", "m.yaml"),
                    Catch::StartsWith("m.yaml:10:21: error: 'weights' must be a storage format"));
  CHECK_THROWS_WITH(
      load_published_mapping_text(
          head + "weights:\n  \"int4\": {weights: int4, activations: bf16, group_size: 0}\n", "m.yaml"),
      Catch::StartsWith("m.yaml:10:58: error: 'group_size' must be a positive integer"));
  CHECK_THROWS_WITH(
      load_published_mapping_text("description: x\nfit_subset: []\nmodels: {}\nhardware: {}\nframeworks: {}\n"
                                  "weights: {}\nmetrics: {}\nlengths: {}\nkv:\n  \"x\": {kv: int3}\n",
                                  "m.yaml"),
      Catch::StartsWith("m.yaml:10:13: error: 'kv' must be one of"));
  // A weights entry's own kv (the KV dtype its path sets) is read with the same bounds.
  CHECK_THROWS_WITH(load_published_mapping_text(
                        head + "weights:\n  \"x\": {weights: fp8, activations: fp8, kv: int3}\n", "m.yaml"),
                    Catch::StartsWith("m.yaml:10:45: error: 'kv' must be one of"));
}

TEST_CASE("mapping: a row's scenario is the one estimate's flags compose") {
  // Line 39 (XiongjieDai, llama.cpp q4_0 Llama-2-7B, 1 device, batch 1, prompt "a few hundred" = 300,
  // output "~1024" = 1024, KV f16) is `estimate -b 1 --input 300 --output 1024 --tp 1 --pp 1 --dp 1
  // --weights int4 --group-size 32 --scale-dtype fp16 --zero-point off --activations fp16
  // --quantize-embeddings on --kv fp16`, composed here from those words.
  const MappingOutcome q4 = map_row(row_at_line(39), mapping());
  REQUIRE(q4.config);
  test::check_same_scenario(q4.config->scenario,
                            test::scenario_from_flags({{ScenarioKey::batch, "1"},
                                                       {ScenarioKey::input_tokens, "300"},
                                                       {ScenarioKey::output_tokens, "1024"},
                                                       {ScenarioKey::tp, "1"},
                                                       {ScenarioKey::pp, "1"},
                                                       {ScenarioKey::dp, "1"},
                                                       {ScenarioKey::weights, "int4"},
                                                       {ScenarioKey::group_size, "32"},
                                                       {ScenarioKey::scale_dtype, "fp16"},
                                                       {ScenarioKey::zero_point, "off"},
                                                       {ScenarioKey::activations, "fp16"},
                                                       {ScenarioKey::quantize_embeddings, "on"},
                                                       {ScenarioKey::kv, "fp16"}}));
  // Line 20's speedup baseline is the same row at fp16 weights and GEMMs: batch 1, 1024 in, 128 out,
  // tp 1, KV "not stated" (fp16 assumed by the mapping's kv table).
  const MappingOutcome speedup = map_row(row_at_line(20), mapping());
  REQUIRE(speedup.config);
  REQUIRE(speedup.config->baseline);
  test::check_same_scenario(*speedup.config->baseline,
                            test::scenario_from_flags({{ScenarioKey::batch, "1"},
                                                       {ScenarioKey::input_tokens, "1024"},
                                                       {ScenarioKey::output_tokens, "128"},
                                                       {ScenarioKey::weights, "fp16"},
                                                       {ScenarioKey::activations, "fp16"},
                                                       {ScenarioKey::kv, "fp16"}}));

  // A row number past estimate's bounds is an error naming the row, not a configuration no flag gives.
  PublishedRow huge = row_at_line(39);
  huge.batch = "2000000";
  CHECK_THROWS_WITH(map_row(huge, mapping()),
                    Catch::StartsWith("published row at line 39: batch must be a positive integer"));
}

TEST_CASE("published metrics in the published unit, and MAPE over the judged rows") {
  Scenario sc;
  sc.batch = 4;
  sc.input_tokens = 512;
  sc.output_tokens = 8;
  Estimate e;
  e.tpot_s = 0.01;
  e.ttft_s = 0.2;
  e.devices = 2;
  e.output_throughput_tok_s = 100.0;
  CHECK(predicted_metric(MetricKind::decode_tok_s, e, sc) == Approx(400.0));     // 4 / 10 ms
  CHECK(predicted_metric(MetricKind::prefill_tok_s, e, sc) == Approx(10240.0));  // 4 x 512 / 0.2 s
  CHECK(predicted_metric(MetricKind::output_tok_s_per_device, e, sc) == Approx(50.0));
  CHECK(predicted_metric(MetricKind::tpot_ms, e, sc) == Approx(10.0));
  Estimate slower = e;
  slower.e2e_latency_s = 3.0;
  e.e2e_latency_s = 2.0;
  CHECK(predicted_speedup(slower, e) == Approx(1.5));  // 3 s / 2 s
  // A static batch's whole run (vLLM's benchmark_latency.py 'Avg latency'), in seconds as published.
  CHECK(predicted_metric(MetricKind::e2e_latency_s, e, sc) == Approx(2.0));

  auto mapped = [](double rel, bool fitted) {
    PublishedCase c;
    c.mapping.config = MappedConfig{};
    c.mapping.config->metric = MetricKind::decode_tok_s;
    c.mapping.config->scenario.batch = 1;
    c.rel_error = rel;
    c.fitted = fitted;
    return c;
  };
  PublishedCase unmapped;
  unmapped.mapping.reason = "not shipped";
  const PublishedSummary s =
      summarize({mapped(0.1, false), mapped(-0.3, false), mapped(5.0, true), unmapped});
  CHECK(s.total == 4);
  CHECK(s.mapped == 3);
  CHECK(s.fitted == 1);
  CHECK(s.judged == 2);
  CHECK(s.mape == Approx(0.2));  // (0.1 + 0.3) / 2: the fitted row is left out
  CHECK(s.batch1_decode.rows == 2);
  CHECK(s.batch1_decode.mape == Approx(0.2));
}

namespace {

// The engine's prediction for a mapped row, loading its shipped model, hardware and runtime profiles.
double predicted_for_line(int line) {
  const MappingOutcome m = map_row(row_at_line(line), mapping());
  REQUIRE(m.config);
  MappedConfig c = *m.config;
  c.scenario.runtime = load_runtime(test::source_path("runtime_profiles/" + c.runtime + ".yaml")).terms;
  const Estimate e = estimate(load_model(test::source_path("model_configs/" + c.model + ".yaml")),
                              load_hardware(test::source_path("hardware_profiles/" + c.hardware + ".yaml")),
                              c.scenario, false);
  return predicted_metric(c.metric, e, c.scenario);
}

}  // namespace

TEST_CASE("published rows: the fitted runtime terms reproduce the rows they were fitted on") {
  // runtime_profiles/gpt-fast.yaml: int8 efficiency from line 25, int4 from line 26 (each solved
  // exactly, to the 3 digits written), collective latency by least squares over lines 29-31 (residuals
  // -0.4, -1.3, +1.0 %). runtime_profiles/llama.cpp.yaml: host_launch_us from line 69 (9.9 us, 2 digits).
  // The published values are the CSV's (tok/s); a drift here means a profile value or the engine changed
  // and the fit must be redone.
  CHECK(predicted_for_line(25) == Approx(155.6).epsilon(0.005));
  CHECK(predicted_for_line(26) == Approx(196.8).epsilon(0.005));
  CHECK(predicted_for_line(29) == Approx(168.8).epsilon(0.02));
  CHECK(predicted_for_line(30) == Approx(254.0).epsilon(0.02));
  CHECK(predicted_for_line(31) == Approx(328.4).epsilon(0.02));
  CHECK(predicted_for_line(69) == Approx(74.77).epsilon(0.005));
}

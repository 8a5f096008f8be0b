// The YAML loaders: every shipped file loads; every defective fixture (tests/config/bad/, one defect
// each) is rejected with `file:line:col: error:` at the line and column counted by hand below.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "io/config/config_error.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/search_path.hpp"
#include "io/config/yaml_screen.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {

struct BadCase {
  const char* file;
  const char* where;  // ":line:col: error:" (1-based), or ": error:" when the file has no position
  const char* says;
};

// Fixture lines: 1 source, 2 description, 3 layers, 4 hidden_size, 5 attention_heads, 6 kv_heads,
// 7 intermediate_size, 8 mlp, 9 activation, 10 norm, ... 14 vocab_size, 15 tied_embeddings.
const BadCase kModelCases[] = {
    {"model_missing_key.yaml", ":1:1: error:", "missing required key 'layers'"},
    {"model_not_a_number.yaml", ":3:9: error:", "'layers' must be an integer in [1, 10000], got 'many'"},
    {"model_negative_size.yaml", ":4:14: error:", "'hidden_size' must be an integer"},
    {"model_fractional_int.yaml", ":3:9: error:", "got '2.5'"},
    {"model_zero_size.yaml", ":14:13: error:", "'vocab_size' must be an integer in [1,"},
    {"model_kv_heads_not_dividing.yaml", ":6:11: error:", "'kv_heads' (3) must divide 'attention_heads' (4)"},
    {"model_heads_not_dividing_hidden.yaml", ":5:18: error:", "must divide 'hidden_size' (64)"},
    {"model_unknown_key.yaml", ":3:1: error:", "unknown key 'layer' (did you mean 'layers'?)"},
    {"model_bad_choice.yaml", ":10:7: error:", "'norm' must be one of rmsnorm, layernorm, got 'batchnorm'"},
    {"model_duplicate_key.yaml", ":15:1: error:", "duplicate key 'layers'"},
    {"model_bad_bool.yaml", ":15:18: error:", "'tied_embeddings' must be true or false, got 'maybe'"},
    {"model_not_a_mapping.yaml", ":1:1: error:", "top level must be a mapping"},
    {"model_empty.yaml", ": error:", "top level must be a mapping"},
    {"model_malformed.yaml", ":", "invalid YAML"},
    {"no_such_file.yaml", ": error:", "no such file"},
    // Plausibility and consistency (lines past 16 are the defect appended to the good fixture).
    {"model_sliding_window_too_large.yaml",
     ":17:17: error:", "'sliding_window' must be an integer in [1, 256], got '512'"},
    {"model_topk_above_experts.yaml",
     ":19:22: error:", "'moe.experts_per_token' must be an integer in [1, 8]"},
    {"model_heads_times_head_dim.yaml",
     ":7:11: error:", "'attention_heads' x 'head_dim' must be at most 100000000"},
    {"model_mla_without_attention.yaml", ":18:3: error:", "'mla' is given but 'attention' is not mla"},
    {"model_layer_step_too_large.yaml", ":21:15: error:", "'moe.layer_step' must be an integer in [1, 2]"},
    {"model_first_dense_all_layers.yaml",
     ":21:23: error:", "'moe.first_dense_layers' must be an integer in [0, 1]"},
    {"model_unknown_moe_key.yaml", ":18:3: error:", "unknown key 'moe.expert' (did you mean 'experts'?)"},
    {"model_integer_overflow.yaml", ":3:9: error:", "got '99999999999999999999999'"},
    {"model_hex_number.yaml",
     ":4:14: error:", "'hidden_size' must be an integer in [1, 1000000], got '0x40'"},
    {"model_list_for_number.yaml", ":3:9: error:", "'layers' must be an integer in [1, 10000], got a list"},
    {"model_huge_context.yaml",
     ":16:14: error:", "'max_context' must be an integer in [1, 1000000000], got '1e12'"},
    {"model_empty_description.yaml", ":2:14: error:", "'description' must be a non-empty string"},
    {"model_mapping_key.yaml", ":17:1: error:", "keys must be plain names"},
    // Layers unlike one another: attention_pattern, qk_norm, attention_sinks (2 layers, max_context 256).
    {"model_pattern_and_sliding_window.yaml",
     ":18:20: error:", "'attention_pattern' and 'sliding_window' are both given: give one"},
    {"model_pattern_bad_entry.yaml", ":19:5: error:",
     "'attention_pattern[1]' must be full, sliding:W or chunked:C with W, C integers in "
     "[1, 256], got 'slide:64'"},
    {"model_pattern_zero_window.yaml", ":17:21: error:", "'attention_pattern[0]' must be full,"},
    {"model_pattern_window_too_large.yaml", ":17:21: error:", "got 'chunked:512'"},
    {"model_pattern_mapping_entry.yaml",
     ":18:5: error:", "(written without a space after the colon), got a mapping"},
    {"model_pattern_too_long.yaml",
     ":17:20: error:", "'attention_pattern' must be a list of 1 to 2 entries ('layers'), got 3"},
    {"model_pattern_empty.yaml", ":17:20: error:", "'attention_pattern' must be a list of 1 to 2 entries"},
    {"model_pattern_not_list.yaml", ":17:20: error:", "'attention_pattern' must be a list, got 'sliding:64'"},
    {"model_qk_norm_unknown.yaml", ":17:10: error:", "'qk_norm' must be one of none, rmsnorm, l2, got 'yes'"},
    {"model_sinks_not_bool.yaml", ":17:18: error:", "'attention_sinks' must be true or false, got '1'"},
    // Weights as shipped.
    {"model_shipped_bad_dtype.yaml", ":18:12: error:",
     "'weights_as_shipped.default' must be one of fp32, bf16, fp16, fp8, fp8_e5m2, int8, "
     "int4, nvfp4, mxfp4, got 'tf32'"},
    {"model_shipped_experts_without_moe.yaml",
     ":19:12: error:", "'weights_as_shipped.experts' is given but the model has no 'moe' block"},
    {"model_shipped_block_without_scale.yaml", ":20:17: error:",
     "'weights_as_shipped.default.group_size' needs a scale: give "
     "'weights_as_shipped.default.scale_dtype' (the fp8 default has no group scale)"},
    {"model_shipped_unknown_key.yaml", ":19:3: error:", "unknown key 'weights_as_shipped.embeddings'"},
    {"model_shipped_missing_default.yaml",
     ":18:3: error:", "missing required key 'weights_as_shipped.default'"},
    {"model_shipped_bad_block_rows.yaml",
     ":20:17: error:", "'weights_as_shipped.default.block_rows' must be an integer in [1, 1048576], got '0'"},
    // Screened before yaml-cpp parses (io/config/yaml_screen.hpp).
    {"model_anchor_alias.yaml", ":4:14: error:", "YAML anchors ('&width 64') are not accepted"},
    {"model_alias_bomb.yaml", ":2:7: error:", "YAML anchors"},
    {"model_deep_flow.yaml", ":17:71: error:", "nesting deeper than 64 levels"},
    {"model_deep_block.yaml", ":81:65: error:", "nesting deeper than 64 levels"},
    {"model_deep_sequence.yaml", ":18:129: error:", "nesting deeper than 64 levels"},
    {"model_nul_byte.yaml", ":2:22: error:", "NUL byte"},
    {"model_invalid_utf8.yaml", ":2:23: error:", "invalid UTF-8 (byte \\xff)"},
    {"model_overlong_utf8.yaml", ":2:23: error:", "invalid UTF-8 (byte \\xc0)"},
    {"model_control_char.yaml", ":2:23: error:", "control character \\x1b"},
    {"model_two_documents.yaml", ":17:1: error:", "content after the first YAML document"},
    {"model_content_after_document.yaml", ":2:1: error:", "content after the first YAML document"},
    // Found by fuzz_model_loader: yaml-cpp's LoadAll never returned on a stray ',' (kept as found).
    {"model_fuzz_stray_comma.yaml", ":1:1: error:", "',' is only allowed between items inside [ ] or { }"},
    {"", ": error:", "is a directory"},  // tests/config/bad/ itself
};

// Fixture lines: 3 peak_dense_TFLOPS, 4 fp32, 5 bf16, 6 memory_GiB, 7 memory_bandwidth_TBps,
// 8 efficiency, 9 compute, 10 memory, 11 kernel_launch_overhead_us, 12 interconnect, 13 link_bandwidth…
const BadCase kHardwareCases[] = {
    {"hw_both_memory_units.yaml", ":7:12: error:", "give exactly one of 'memory_GiB'"},
    {"hw_efficiency_above_one.yaml",
     ":10:11: error:", "'efficiency.memory' must be a number in (0.001, 1], got '1.5'"},
    {"hw_unknown_dtype.yaml", ":5:3: error:", "unknown key 'peak_dense_TFLOPS.bf17' (did you mean 'bf16'?)"},
    {"hw_negative_bandwidth.yaml",
     ":7:24: error:", "'memory_bandwidth_TBps' must be a number in (1e-06, 10000]"},
    {"hw_missing_interconnect_key.yaml",
     ":13:3: error:", "missing required key 'interconnect.devices_per_node'"},
    {"hw_huge_value.yaml", ":6:13: error:", "got '1e300'"},
    {"hw_nan.yaml", ":5:9: error:", "'peak_dense_TFLOPS.bf16' must be a number"},
    {"hw_efficiency_zero.yaml",
     ":9:12: error:", "'efficiency.compute' must be a number in (0.001, 1], got '0'"},
    {"hw_usable_fraction_above_one.yaml",
     ":18:18: error:", "'usable_fraction' must be a number in (0, 1], got '1.2'"},
    {"hw_zero_link_bandwidth.yaml",
     ":13:38: error:", "'interconnect.link_bandwidth_per_direction_GBps' must be"},
    {"hw_tiny_bandwidth.yaml", ":7:24: error:", "got '1e-300'"},
    {"hw_no_peaks.yaml", ":3:20: error:", "'peak_dense_TFLOPS' must give at least one dtype's peak"},
    {"hw_peaks_not_mapping.yaml",
     ":3:20: error:", "'peak_dense_TFLOPS' must be a mapping of keys to values, got '100'"},
    {"hw_cache_not_mapping.yaml", ":19:5: error:", "each entry of 'caches' must be a mapping"},
    {"hw_cache_negative_size.yaml", ":20:15: error:", "'caches[].size_MiB' must be a number in (0,"},
    {"hw_negative_latency.yaml", ":14:20: error:", "'interconnect.link_latency_us' must be a number in (0,"},
    {"hw_devices_per_node_zero.yaml",
     ":15:21: error:", "'interconnect.devices_per_node' must be an integer in [1,"},
    {"hw_infinity.yaml", ":6:13: error:", "'memory_GiB' must be a number in (1e-06, 1000000], got '.inf'"},
    {"hw_words_for_number.yaml", ":6:13: error:", "got 'eighty'"},
    {"hw_misspelt_key.yaml",
     ":7:1: error:", "unknown key 'memory_bandwith_TBps' (did you mean 'memory_bandwidth_TBps'?)"},
    {"hw_missing_efficiency.yaml", ":1:1: error:", "missing required key 'efficiency'"},
    {"hw_alias.yaml", ":9:12: error:", "YAML anchors"},
    {"hw_pack_without_sum.yaml",
     ":18:34: error:", "'gemm_weight_pack_bandwidth_TBps' applies only with 'gemm_time: sum'"},
    {"hw_grouped_gemm_time_unknown.yaml",
     ":18:20: error:", "'grouped_gemm_time' must be one of max, sum, weights_serial, got 'min'"},
    // Line 18: the optional host link appended to the good fixture's interconnect block.
    {"hw_zero_host_link.yaml", ":18:43: error:",
     "'interconnect.host_link_bandwidth_per_direction_GBps' must be a number in (0.001, 100000], got '0'"},
    {"hw_negative_host_link.yaml", ":18:43: error:",
     "'interconnect.host_link_bandwidth_per_direction_GBps' must be a number in (0.001, 100000], got '-32'"},
    {"hw_garbage_host_link.yaml", ":18:43: error:",
     "'interconnect.host_link_bandwidth_per_direction_GBps' must be a number in (0.001, 100000], got 'fast'"},
};

std::string error_of(const std::string& path, bool model) {
  try {
    if (model)
      (void)load_model(path);
    else
      (void)load_hardware(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

template <std::size_t N>
void check_rejected(const BadCase (&cases)[N], bool model) {
  for (const BadCase& c : cases) {
    const std::string path = test::source_path(std::string("tests/config/bad/") + c.file);
    const std::string message = error_of(path, model);
    INFO(message);
    CHECK(message.rfind(path + c.where, 0) == 0);
    CHECK(message.find(c.says) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("The bad-input corpus holds one case per fixture file") {
  // Every model_* and hw_* file in tests/config/bad/ is checked above (a fixture nobody checks tests
  // nothing); other features keep their own fixtures beside these.
  std::set<std::string> listed;
  for (const BadCase& c : kModelCases) listed.insert(c.file);
  for (const BadCase& c : kHardwareCases) listed.insert(c.file);
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(test::source_path("tests/config/bad"))) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("model_", 0) != 0 && name.rfind("hw_", 0) != 0) continue;
    INFO(name);
    CHECK(listed.count(name) == 1);
    ++files;
  }
  CHECK(files >= 71);
}

TEST_CASE("A device and an over-long file are rejected before parsing") {
  CHECK(error_of("/dev/null", true) == "/dev/null: error: not a regular file (a device, pipe or socket?)");
  const auto dir = std::filesystem::temp_directory_path() / ("infersim_big_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string big = (dir / "big.yaml").string();
  {
    std::ofstream out(big, std::ios::binary);
    out << "source: \"" << std::string(kMaxConfigBytes, 'x') << "\"\n";
  }
  const std::string message = error_of(big, true);
  CHECK(message.rfind(big + ": error: the file is 1048587 bytes, over the 1 MiB limit", 0) == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("Every shipped model and hardware profile loads") {
  const SearchPath search(test::source_path(""), "");
  for (const NamedFile& f : search.list("model_configs")) {
    INFO(f.path);
    CHECK_NOTHROW(load_model(f.path));
  }
  for (const NamedFile& f : search.list("hardware_profiles")) {
    INFO(f.path);
    CHECK_NOTHROW(load_hardware(f.path));
  }
}

TEST_CASE("The workstation and MI250X profiles agree with their chips' counts") {
  // Each peak and bandwidth recomputed by hand from the vendor's unit counts, not read back from the file:
  // tensor FLOPs a clock a SM (Ampere and Ada: 1024 at full rate, 512 at the GeForce cards' fp32-accumulate
  // half rate; CDNA 2: 1024 a CU), boost clock, bus width x data rate, within 0.5 % (the 3090's 71 is rounded
  // from 71.2). Sources in each profile's comments.
  struct Chip {
    const char* profile;
    double units, flops_per_clock, clock_Hz, bus_bits, data_rate_bps;
  };
  const Chip chips[] = {
      {"rtx-4090.yaml", 128, 512, 2.52e9, 384, 21e9},        // Ada whitepaper: 165.2 TFLOPS, 1008 GB/s
      {"rtx-3090.yaml", 82, 512, 1.695e9, 384, 19.5e9},      // GA102 whitepaper: 71 TFLOPS, 936 GB/s
      {"rtx-a6000.yaml", 84, 1024, 1.8e9, 384, 16e9},        // GA102 whitepaper: 154.8 TFLOPS, 768 GB/s
      {"rtx-6000-ada.yaml", 142, 1024, 2.505e9, 384, 20e9},  // datasheet: 1457.0 / 4, 960 GB/s
      {"mi250x-gcd.yaml", 110, 1024, 1.7e9, 4096, 3.2e9},    // CDNA 2 whitepaper: 383.0 / 2, 3.2768 / 2 TB/s
  };
  for (const Chip& c : chips) {
    INFO(c.profile);
    const HardwareSpec hw = load_hardware(test::source_path(std::string("hardware_profiles/") + c.profile));
    CHECK(peak_flops(hw, PeakSlot::bf16) == Approx(c.units * c.flops_per_clock * c.clock_Hz).epsilon(0.005));
    CHECK(hw.memory_bandwidth_Bps == Approx(c.bus_bits * c.data_rate_bps / 8.0).epsilon(0.001));
    CHECK(hw.gemm_tiling.compute_units == c.units);
  }
}

TEST_CASE("The good fixtures load, with defaults filled in") {
  const ModelSpec m = load_model(test::source_path("tests/config/good_model.yaml"));
  CHECK(m.name == "good_model");
  CHECK(m.head_dim == 16);  // 64 / 4
  CHECK(m.sliding_window == 0);
  const HardwareSpec hw = load_hardware(test::source_path("tests/config/good_hardware.yaml"));
  CHECK(hw.memory_capacity_B == 16.0 * 1073741824.0);  // memory_GiB: 16
  CHECK(hw.memory_bandwidth_Bps == 1e12);              // 1.0 TB/s
  CHECK(peak_flops(hw, PeakSlot::bf16) == 100e12);
  CHECK(hw.usable_fraction == 0.9);  // default
  CHECK(hw.kernel_launch_overhead_s == Approx(2e-6));
  CHECK_FALSE(hw.interconnect.host_link_bandwidth_per_direction_Bps.has_value());  // optional, absent
  CHECK_FALSE(hw.gemm_time_is_sum);                                                // gemm_time absent: max
  CHECK(hw.grouped_gemm_time == GroupedGemmTime::max);  // grouped_gemm_time absent: max
  // b200.yaml and gb200.yaml give grouped_gemm_time: weights_serial (docs/formulas.md#grouped_gemm_time); the
  // H100's gives none.
  const auto grouped = [](const char* profile) {
    return load_hardware(test::source_path(std::string("hardware_profiles/") + profile)).grouped_gemm_time;
  };
  CHECK(grouped("b200.yaml") == GroupedGemmTime::weights_serial);
  CHECK(grouped("gb200.yaml") == GroupedGemmTime::weights_serial);
  CHECK(grouped("h100-sxm.yaml") == GroupedGemmTime::max);
  std::ifstream in(test::source_path("tests/config/good_hardware.yaml"));
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(load_hardware_text(good + "grouped_gemm_time: sum\n", "sum.yaml").grouped_gemm_time ==
        GroupedGemmTime::sum);
}

TEST_CASE("The optional host link is read in GB/s per direction") {
  const std::string path = test::source_path("tests/config/good_hardware.yaml");
  std::ifstream in(path);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // PCIe Gen5 x16: 64 GB/s each way.
  const HardwareSpec hw =
      load_hardware_text(good + "  host_link_bandwidth_per_direction_GBps: 64\n", "with_host_link.yaml");
  REQUIRE(hw.interconnect.host_link_bandwidth_per_direction_Bps.has_value());
  CHECK(*hw.interconnect.host_link_bandwidth_per_direction_Bps == 64e9);
}

TEST_CASE("Measured collectives are read in bytes, GB/s and microseconds, sizes ascending") {
  const std::string path = test::source_path("tests/config/good_hardware.yaml");
  std::ifstream in(path);
  const std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string curves =
      "  nccl_allreduce_busbw:\n    - {bytes: 1024, GBps: 0.07}\n    - {bytes: 1048576, GBps: 43.7}\n"
      "  custom_allreduce:\n    - {devices: 8, bytes: 2048, us: 5.9}\n    - {devices: 2, bytes: 2048, us: "
      "3.7}\n"
      "    - {devices: 8, bytes: 16384, us: 5.7}\n";
  const HardwareSpec hw = load_hardware_text(good + curves, "with_curves.yaml");
  REQUIRE(hw.interconnect.measured != nullptr);
  const MeasuredCollectives& m = *hw.interconnect.measured;
  REQUIRE(m.nccl_busbw.size() == 2);
  CHECK(m.nccl_busbw[1].bytes == 1048576.0);
  CHECK(m.nccl_busbw[1].value == Approx(43.7e9));
  REQUIRE(m.custom_allreduce.size() == 2);  // one curve per group size, in the order first given
  CHECK(m.custom_allreduce[0].devices == 8);
  REQUIRE(m.custom_allreduce[0].times.size() == 2);
  CHECK(m.custom_allreduce[0].times[1].value == Approx(5.7e-6));
  CHECK(load_hardware_text(good, "plain.yaml").interconnect.measured == nullptr);  // optional, absent
  std::string message;
  try {
    (void)load_hardware_text(good +
                                 "  nccl_allreduce_busbw:\n    - {bytes: 4096, GBps: 1}\n"
                                 "    - {bytes: 1024, GBps: 2}\n",
                             "descending.yaml");
  } catch (const ConfigError& e) {
    message = e.what();
  }
  INFO(message);
  CHECK(message.find("descending.yaml") != std::string::npos);
  CHECK(message.find("'interconnect.nccl_allreduce_busbw[].bytes' must exceed") != std::string::npos);
}

TEST_CASE("Each defective model file names its file, line, column and key") {
  // Fixture lines are counted by hand at kModelCases.
  check_rejected(kModelCases, true);
}

TEST_CASE("Each defective hardware file names its file, line, column and key") {
  // Fixture lines are counted by hand at kHardwareCases.
  check_rejected(kHardwareCases, false);
}

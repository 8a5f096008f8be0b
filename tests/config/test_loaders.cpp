// The YAML loaders: every shipped file loads; every defective fixture (tests/config/bad/, one defect
// each) is rejected with `file:line:col: error:` at the line and column counted by hand below.
#include <catch2/catch.hpp>

#include "io/config_error.hpp"
#include "io/hardware_loader.hpp"
#include "io/model_loader.hpp"
#include "io/search_path.hpp"
#include "support/fixtures.hpp"

using namespace infersim;

namespace {

struct BadCase {
  const char* file;
  const char* where;  // ":line:col: error:" (1-based), or ": error:" when the file has no position
  const char* says;
};

std::string error_of(const std::string& path, bool model) {
  try {
    if (model) (void)load_model(path);
    else (void)load_hardware(path);
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

TEST_CASE("The good fixtures load, with defaults filled in") {
  const ModelSpec m = load_model(test::source_path("tests/config/good_model.yaml"));
  CHECK(m.name == "good_model");
  CHECK(m.head_dim == 16);  // 64 / 4
  CHECK(m.sliding_window == 0);
  const HardwareSpec hw = load_hardware(test::source_path("tests/config/good_hardware.yaml"));
  CHECK(hw.memory_capacity_B == 16.0 * 1073741824.0);  // memory_GiB: 16
  CHECK(hw.memory_bandwidth_Bps == 1e12);             // 1.0 TB/s
  CHECK(peak_flops(hw, PeakSlot::bf16) == 100e12);
  CHECK(hw.usable_fraction == 0.9);  // default
  CHECK(hw.kernel_launch_overhead_s == Approx(2e-6));
}

TEST_CASE("Each defective model file names its file, line, column and key") {
  // Fixture lines: 1 source, 2 description, 3 layers, 4 hidden_size, 5 attention_heads, 6 kv_heads,
  // 7 intermediate_size, 8 mlp, 9 activation, 10 norm, ... 14 vocab_size, 15 tied_embeddings.
  const BadCase cases[] = {
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
  };
  check_rejected(cases, true);
}

TEST_CASE("Each defective hardware file names its file, line, column and key") {
  // Fixture lines: 3 peak_dense_TFLOPS, 4 fp32, 5 bf16, 6 memory_GiB, 7 memory_bandwidth_TBps,
  // 8 efficiency, 9 compute, 10 memory, 11 kernel_launch_overhead_us, 12 interconnect, 13 link_bandwidth…
  const BadCase cases[] = {
      {"hw_both_memory_units.yaml", ":7:12: error:", "give exactly one of 'memory_GiB'"},
      {"hw_efficiency_above_one.yaml", ":10:11: error:", "'efficiency.memory' must be a number in (0, 1]"},
      {"hw_unknown_dtype.yaml", ":5:3: error:", "unknown key 'peak_dense_TFLOPS.bf17' (did you mean 'bf16'?)"},
      {"hw_negative_bandwidth.yaml", ":7:24: error:", "'memory_bandwidth_TBps' must be a number in (0,"},
      {"hw_missing_interconnect_key.yaml", ":13:3: error:", "missing required key 'interconnect.devices_per_node'"},
      {"hw_huge_value.yaml", ":6:13: error:", "got '1e300'"},
      {"hw_nan.yaml", ":5:9: error:", "'peak_dense_TFLOPS.bf16' must be a number"},
  };
  check_rejected(cases, false);
}

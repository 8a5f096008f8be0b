// Properties every roofline estimate must keep, over the shipped models and profiles.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/formulas/roofline.hpp"
#include "core/roofs.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/search_path.hpp"
#include "support/fixtures.hpp"

using namespace infersim;
using test::scenario;

namespace {
std::vector<NamedFile> shipped(const std::string& kind) {
  return SearchPath(test::source_path(""), "").list(kind);
}

}  // namespace

TEST_CASE("Time never rises when bandwidth or peak rises") {
  const ModelSpec m = test::llama2_7b();
  for (const long long batch : {1LL, 16LL, 256LL}) {
    for (const bool scale_bandwidth : {true, false}) {
      HardwareSpec hw = test::ideal_a100();
      hw.kernel_launch_overhead_s = 2e-6;
      Estimate previous = estimate(m, hw, scenario(batch, 512, 64));
      for (int step = 0; step < 6; ++step) {
        if (scale_bandwidth)
          hw.memory_bandwidth_Bps *= 1.7;
        else
          for (double& p : hw.peak_flops) p *= 1.7;
        const Estimate next = estimate(m, hw, scenario(batch, 512, 64));
        CHECK(next.ttft_s <= previous.ttft_s);
        CHECK(next.tpot_s <= previous.tpot_s);
        previous = next;
      }
    }
  }
}

TEST_CASE("KV cache grows linearly in context") {
  const HardwareSpec hw = test::ideal_a100();
  const double one = estimate(test::llama2_7b(), hw, scenario(3, 500, 12)).kv_cache_bytes;
  const double two = estimate(test::llama2_7b(), hw, scenario(3, 1000, 24)).kv_cache_bytes;
  const double four = estimate(test::llama2_7b(), hw, scenario(3, 2000, 48)).kv_cache_bytes;
  CHECK(two == 2.0 * one);
  CHECK(four == 4.0 * one);
}

TEST_CASE("Attainable FLOP/s never exceeds the peak") {
  for (const double intensity : {0.1, 1.0, 10.0, 153.0, 1e3, 1e6}) {
    CHECK(attainable_flops_per_s(intensity, 312e12, 2.039e12) <= 312e12);
  }
}

TEST_CASE("Batch-1 decode is memory-bound on every shipped GPU profile, for every shipped model") {
  const auto models = shipped("model_configs");
  const auto profiles = shipped("hardware_profiles");
  REQUIRE(models.size() >= 9);
  REQUIRE(profiles.size() >= 9);
  for (const NamedFile& hw_file : profiles) {
    const HardwareSpec hw = load_hardware(hw_file.path);
    if (!has_peak(hw, Dtype::bf16)) continue;  // a calibrated CPU host (fp32 only) is not a GPU profile
    const Roofs roofs = roofs_for(hw, scenario(1, 1024, 256));
    const double ridge = ridge_point(roofs.matrix_flops_per_s, roofs.memory_Bps);
    for (const NamedFile& model_file : models) {
      const ModelSpec m = load_model(model_file.path);
      const Estimate e = estimate(m, hw, scenario(1, 1024, 256));
      INFO(model_file.name << " on " << hw_file.name);
      CHECK(e.decode_step.bound == Bound::memory);
      for (const OpResult& op : e.decode_step.ops) {
        // Decode attention reads each cached key and value once for all the query heads that share it.
        // Absorbed MLA scores all H heads against one shared latent: per cached key
        // 2·H·(2·kv_lora + rope) FLOPs over (kv_lora + rope)·2 B, about 240 FLOP/B for DeepSeek-V3
        // (128 heads), above most ridges; DeepSeek's FlashMLA decode kernel is compute-bound too. With
        // 16-bit K and V, GQA/MQA attention does about (query heads per KV head) FLOP per byte: 68 for
        // Falcon-7B's MQA (71 heads, 1 KV head), above the ridge of a tensor-starved part such as the
        // H20 (~40 FLOP/B), where that attention really is compute-bound.
        const bool shared_kv_attention =
            std::string_view(op.name) == "attention" &&
            (m.attention == AttentionKind::mla || m.attention_heads / m.kv_heads > ridge);
        if (op.unit == OpUnit::matrix && !shared_kv_attention) CHECK(op.intensity < ridge);
      }
    }
  }
}

TEST_CASE("estimate() throws exactly when why_invalid() gives a reason, with the same text") {
  const auto models = shipped("model_configs");
  const auto profiles = shipped("hardware_profiles");
  int invalid = 0;
  int valid = 0;
  for (const NamedFile& mf : models) {
    const ModelSpec m = load_model(mf.path);
    for (const NamedFile& hf : profiles) {
      const HardwareSpec hw = load_hardware(hf.path);
      // Valid and invalid on purpose: 3-way TP (divides no shipped model's heads), more stages than
      // some models' layers, micro-batches that do not divide the batch, a context past every model's
      // maximum, dtypes some devices lack, tf32 storage, a zero batch.
      for (const int tp : {1, 3, 8}) {
        for (const int pp : {1, 64}) {
          for (const long long batch : {0LL, 4LL, 6LL}) {
            for (const long long input : {512LL, 1'000'000LL}) {
              for (const Dtype act : {Dtype::bf16, Dtype::int4, Dtype::fp8}) {
                for (const Dtype weights : {Dtype::bf16, Dtype::tf32}) {
                  Scenario sc = scenario(batch, input, 64);
                  sc.layout.tp = tp;
                  sc.layout.pp = pp;
                  sc.layout.micro_batches = 4;
                  sc.activations = act;
                  sc.weights = default_storage_format(weights);
                  const std::optional<std::string> why = why_invalid(m, hw, sc);
                  std::optional<std::string> thrown;
                  try {
                    (void)estimate(m, hw, sc, false);
                  } catch (const InputError& e) {
                    thrown = e.what();
                  }
                  INFO(mf.name << " on " << hf.name << ": tp " << tp << " pp " << pp << " batch " << batch
                               << " input " << input);
                  REQUIRE(why == thrown);
                  (why ? invalid : valid) += 1;
                }
              }
            }
          }
        }
      }
    }
  }
  // Both branches taken, so the property is not vacuous.
  CHECK(invalid > 0);
  CHECK(valid > 0);
}

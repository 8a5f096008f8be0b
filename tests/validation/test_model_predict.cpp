// End-to-end model cases predicted by the engine (validation/model_predict.hpp), on the round-number
// fixture host of tests/validation (5e10 FLOP/s achievable fp32, 2e10 B/s, 10 us per kernel).
#include <catch2/catch.hpp>
#include <cmath>

#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/published/model_case.hpp"
#include "support/fixtures.hpp"
#include "support/scenario_check.hpp"
#include "validation/measured_validation.hpp"
#include "validation/model_predict.hpp"

using namespace infersim;

namespace {

MeasuredRow model_row(KernelFamily family, const std::string& shape, double measured_s) {
  MeasuredRow r;
  r.case_name = "case";
  r.family = family;
  r.dtype = "fp32";
  r.shape = shape;
  r.measured_s = measured_s;
  return r;
}

ModelSpec ref_tiny() { return load_model(test::source_path("model_configs/ref-tiny.yaml")); }
// Batch 1, fp32 weights, activations and KV: what the reference decoder runs.
Scenario fp32_scenario(long long input_tokens, long long output_tokens) {
  Scenario sc;
  sc.batch = 1;
  sc.input_tokens = input_tokens;
  sc.output_tokens = output_tokens;
  sc.weights = default_storage_format(Dtype::fp32);
  sc.activations = Dtype::fp32;
  sc.kv = Dtype::fp32;
  return sc;
}

HardwareSpec fixture_host() { return load_hardware(test::source_path("tests/validation/host_fixture.yaml")); }

}  // namespace

TEST_CASE(
    "a model_decode case is the engine's decode step: every operator memory-bound on the fixture host") {
  // ref-tiny (6 layers, h 2048, q 2048, kv 512, f 5632, vocab 32000), fp32, context 1000.
  // Matrix parameters per layer: 2048*(2048+1024) + 2048*2048 + 3*2048*5632 = 45,088,768; times 6 =
  // 270,532,608, plus the LM head 65,536,000 = 336,068,608 -> 1,344,274,432 B. KV read: 6 layers *
  // 1000 keys * 2 * 512 * 4 B = 24,576,000 B. Every operator is under the ridge 5e10 / 2e10 = 2.5
  // FLOP/B (GEMV 0.5; attention 8272 FLOP per 4096 B per key), so the step is bytes / 2e10 plus 81
  // kernels (13 per layer + embedding, final norm, LM head) * 10 us: 0.0684425 + 0.00081 = 0.0692525 s.
  // The activation traffic (8 KiB vectors read and written by each operator, ~2.3 MB) adds ~0.2 %.
  const MeasuredRow row =
      model_row(KernelFamily::model_decode, "model=ref-tiny;tokens=1;context=1000;batch=1", 0.07);
  const KernelPrediction p = predict_model_case(row, model_case_scenario(row), ref_tiny(), fixture_host());
  CHECK(p.time_s == Approx(0.0692525).epsilon(3e-3));
  CHECK(p.overhead_s == Approx(81 * 10e-6));
  CHECK_FALSE(p.compute_bound());
  // The same as the engine's TPOT of input 999, output 2 (one step, attending 1000 keys).
  CHECK(p.time_s ==
        Approx(estimate(ref_tiny(), fixture_host(), fp32_scenario(999, 2)).tpot_s).epsilon(1e-12));
}

TEST_CASE("a model_decode case runs at the profile's read-stream bandwidth where one was measured") {
  // The same step as above (1,344,274,432 B of weights + 24,576,000 B of KV) on the fixture host with
  // memory_read_bandwidth 1.6e10 B/s: 1,368,850,432 / 1.6e10 = 0.085553152 s + 81 kernels * 10 us
  // = 0.086363152 s (activations ~0.2 % more). Prefill keeps the triad figure: it is compute-bound.
  HardwareSpec hw = fixture_host();
  hw.read_bandwidth_Bps = 1.6e10;
  const MeasuredRow decode =
      model_row(KernelFamily::model_decode, "model=ref-tiny;tokens=1;context=1000;batch=1", 0.09);
  CHECK(predict_model_case(decode, model_case_scenario(decode), ref_tiny(), hw).time_s ==
        Approx(0.086363152).epsilon(3e-3));
  // The engine itself runs the step there: estimate()'s TPOT on that profile is the same hand figure.
  CHECK(estimate(ref_tiny(), hw, fp32_scenario(999, 2)).tpot_s == Approx(0.086363152).epsilon(3e-3));
  const MeasuredRow prefill =
      model_row(KernelFamily::model_prefill, "model=ref-tiny;tokens=256;context=256;batch=1", 1.0);
  CHECK(predict_model_case(prefill, model_case_scenario(prefill), ref_tiny(), hw).time_s ==
        Approx(predict_model_case(prefill, model_case_scenario(prefill), ref_tiny(), fixture_host()).time_s));
}

TEST_CASE("a model_prefill case is the engine's TTFT, compute-bound on the fixture host") {
  // 256 tokens: 2 * 270,532,608 * 256 + 2 * 65,536,000 (LM head, last token) = 138,643,767,296 FLOPs of
  // GEMMs, 2.77 s at 5e10 FLOP/s; attention (1.6 GFLOP) and the memory-bound elementwise operators add a
  // few percent.
  const MeasuredRow row =
      model_row(KernelFamily::model_prefill, "model=ref-tiny;tokens=256;context=256;batch=1", 3.0);
  const KernelPrediction p = predict_model_case(row, model_case_scenario(row), ref_tiny(), fixture_host());
  CHECK(p.compute_bound());
  CHECK(p.time_s > 138643767296.0 / 5e10);
  CHECK(p.time_s < 1.05 * 138643767296.0 / 5e10);
  CHECK(p.time_s ==
        Approx(estimate(ref_tiny(), fixture_host(), fp32_scenario(256, 1)).ttft_s).epsilon(1e-12));
}

TEST_CASE("model case shapes are checked, and validate_cases predicts them with the model it is given") {
  const HardwareSpec hw = fixture_host();
  const ModelSpec m = ref_tiny();
  for (const char* shape :
       {"tokens=1;context=9;batch=1", "model=ref-tiny;tokens=1;batch=1",
        "model=ref-tiny;tokens=1;context=x9;batch=1", "model=ref-tiny;tokens=2;context=9;batch=1",
        "model=ref-tiny;tokens=1;context=0;batch=1", "model=other;tokens=1;context=9;batch=1"}) {
    INFO(shape);
    const MeasuredRow row = model_row(KernelFamily::model_decode, shape, 1.0);
    CHECK_THROWS_AS(predict_model_case(row, model_case_scenario(row), m, hw), InputError);
  }
  const MeasuredRow prefill =
      model_row(KernelFamily::model_prefill, "model=ref-tiny;tokens=8;context=9;batch=1", 1.0);
  CHECK_THROWS_AS(predict_model_case(prefill, model_case_scenario(prefill), m, hw), InputError);
  const MeasuredRow decode =
      model_row(KernelFamily::model_decode, "model=ref-tiny;tokens=1;context=1000;batch=1", 0.0692525);
  CHECK_THROWS_AS(validate_cases({decode}, hw), InputError);  // the model was not loaded
  CHECK_THROWS_AS(validate_cases({decode}, hw, {{}, model_case_scenario}), InputError);
  const ValidationResult r = validate_cases({decode}, hw, {{m}, model_case_scenario});
  REQUIRE(r.cases.size() == 1);
  CHECK(r.cases[0].predicted.time_s ==
        Approx(predict_model_case(decode, model_case_scenario(decode), m, hw).time_s));
  CHECK(r.cases[0].rel_error == Approx(r.cases[0].predicted.time_s / 0.0692525 - 1.0));
  CHECK(r.mape == Approx(std::abs(r.cases[0].rel_error)));
}

TEST_CASE("a model case's scenario is the one estimate's flags give, with their bounds") {
  // model_decode attending 1000 keys at batch 4 is `estimate -b 4 --input 999 --output 2 --weights fp32
  // --activations fp32 --kv fp32` (model_predict.hpp); model_prefill of 256 tokens is `--input 256
  // --output 1`. Both composed here from the flags' own words.
  const MeasuredRow decode =
      model_row(KernelFamily::model_decode, "model=ref-tiny;tokens=1;context=1000;batch=4", 1.0);
  test::check_same_scenario(model_case_scenario(decode),
                            test::scenario_from_flags({{ScenarioKey::batch, "4"},
                                                       {ScenarioKey::input_tokens, "999"},
                                                       {ScenarioKey::output_tokens, "2"},
                                                       {ScenarioKey::weights, "fp32"},
                                                       {ScenarioKey::activations, "fp32"},
                                                       {ScenarioKey::kv, "fp32"}}));
  const MeasuredRow prefill =
      model_row(KernelFamily::model_prefill, "model=ref-tiny;tokens=256;context=256;batch=1", 1.0);
  test::check_same_scenario(model_case_scenario(prefill), fp32_scenario(256, 1));

  // What estimate refuses, a model case refuses, naming the case: a dtype that is not one, a batch
  // past --batch's 1,000,000.
  MeasuredRow bad_dtype = decode;
  bad_dtype.dtype = "fp31";
  CHECK_THROWS_WITH(model_case_scenario(bad_dtype), Catch::StartsWith("case 'case' dtype must be one of"));
  const MeasuredRow huge_batch =
      model_row(KernelFamily::model_decode, "model=ref-tiny;tokens=1;context=1000;batch=1000001", 1.0);
  CHECK_THROWS_WITH(model_case_scenario(huge_batch), Catch::StartsWith("case 'case' batch must be"));
}

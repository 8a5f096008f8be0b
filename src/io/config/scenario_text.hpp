#pragma once
// One way from text to a Scenario. Every command that builds a configuration from words (estimate's
// flags and those of capacity, report and plan; a sweep's cells) parses each value here and composes the
// scenario here, so estimate's defaults and the bounds on every value are written once.
#include <cstddef>
#include <iterator>
#include <optional>
#include <string_view>

#include "core/dtype.hpp"
#include "core/model_spec.hpp"
#include "core/scenario.hpp"

namespace infersim {

// The files a scenario names when none are given.
inline constexpr const char* kDefaultModel = "llama-2-7b";
inline constexpr const char* kDefaultHardware = "a100-80gb-sxm";
inline constexpr const char* kDefaultRuntime = "optimized";
// Bounds: far above anything a device holds, low enough that no count overflows.
inline constexpr long long kMaxBatch = 1'000'000;
inline constexpr long long kMaxTokens = 1'000'000'000;
inline constexpr double kMaxCommOverlap = 0.99;
inline constexpr double kMaxMoeSkew = 10.0;
inline constexpr long long kMaxGroupSize = 1 << 20;
// StreamingLLM's window and sink tokens (--kv-window, --kv-sinks): 0 to the longest context a scenario
// takes; a window of 0 is off (a sweep's axis may compare it with a window).
inline constexpr long long kMaxKvWindow = kMaxTokens;
inline constexpr long long kMaxKvSinks = kMaxTokens;

// Every value of a scenario that text can give.
enum class ScenarioKey {
  batch,
  input_tokens,
  output_tokens,
  tp,
  pp,
  ep,
  dp,
  micro_batches,
  comm_overlap,
  quant,
  weights,
  activations,
  kv,
  group_size,
  scale_dtype,
  zero_point,
  quantize_embeddings,
  attention,
  mla,
  moe_skew,
  kv_window,
  kv_sinks,
  attention_dp,
  moe_tp,
  moe_routing,
};

struct ScenarioKeyName {
  ScenarioKey key;
  std::string_view column;  // the sweep axis and CSV column
  std::string_view flag;    // estimate's flag
};

inline constexpr ScenarioKeyName kScenarioKeys[] = {
    {ScenarioKey::batch, "batch", "--batch"},
    {ScenarioKey::input_tokens, "input_tokens", "--input"},
    {ScenarioKey::output_tokens, "output_tokens", "--output"},
    {ScenarioKey::tp, "tp", "--tp"},
    {ScenarioKey::pp, "pp", "--pp"},
    {ScenarioKey::ep, "ep", "--ep"},
    {ScenarioKey::dp, "dp", "--dp"},
    {ScenarioKey::micro_batches, "micro_batches", "--micro-batches"},
    {ScenarioKey::comm_overlap, "comm_overlap", "--comm-overlap"},
    {ScenarioKey::quant, "quant", "--quant"},
    {ScenarioKey::weights, "weights", "--weights"},
    {ScenarioKey::activations, "activations", "--activations"},
    {ScenarioKey::kv, "kv", "--kv"},
    {ScenarioKey::group_size, "group_size", "--group-size"},
    {ScenarioKey::scale_dtype, "scale_dtype", "--scale-dtype"},
    {ScenarioKey::zero_point, "zero_point", "--zero-point"},
    {ScenarioKey::quantize_embeddings, "quantize_embeddings", "--quantize-embeddings"},
    {ScenarioKey::attention, "attention", "--attention"},
    {ScenarioKey::mla, "mla", "--mla"},
    {ScenarioKey::moe_skew, "moe_skew", "--moe-skew"},
    {ScenarioKey::kv_window, "kv_window", "--kv-window"},
    {ScenarioKey::kv_sinks, "kv_sinks", "--kv-sinks"},
    {ScenarioKey::attention_dp, "attention_dp", "--attention-dp"},
    {ScenarioKey::moe_tp, "moe_tp", "--moe-tp"},
    {ScenarioKey::moe_routing, "moe_routing", "--moe-routing"},
};

// The table is indexed by the key.
static_assert([] {
  for (std::size_t i = 0; i < std::size(kScenarioKeys); ++i) {
    if (static_cast<std::size_t>(kScenarioKeys[i].key) != i) return false;
  }
  return std::size(kScenarioKeys) == static_cast<std::size_t>(ScenarioKey::moe_routing) + 1;
}());

// The flag and the sweep column of `key`.
[[nodiscard]] std::string_view flag_name(ScenarioKey key);
[[nodiscard]] std::string_view column_name(ScenarioKey key);
// The key whose sweep column is `column`, if any.
[[nodiscard]] std::optional<ScenarioKey> scenario_key_for_column(std::string_view column);

// A quantization preset: weight storage and compute dtype.
struct QuantPreset {
  std::string_view name;
  Dtype weights;
  Dtype activations;
};

// Values parsed from text, each absent where the text did not give it (then the default applies).
struct ScenarioValues {
  std::optional<long long> batch, input_tokens, output_tokens;
  std::optional<int> tp, pp, ep, dp, micro_batches, attention_dp, moe_tp;
  std::optional<double> comm_overlap;
  std::optional<QuantPreset> quant;
  std::optional<Dtype> weights, activations, kv;
  std::optional<int> group_size;
  std::optional<double> scale_bits;  // of one group scale (--scale-dtype)
  std::optional<bool> zero_point, quantize_embeddings;
  // An explicit zero-point width in bits, which no flag gives (the published mapping's gpt-fast int4
  // keeps bf16 zeros); it beats zero_point.
  std::optional<double> zero_point_bits;
  std::optional<AttentionKernel> attention;
  std::optional<MlaDecode> mla;
  std::optional<double> moe_skew;
  std::optional<MoeRouting> moe_routing;
  std::optional<long long> kv_window, kv_sinks;  // StreamingLLM; sinks only beside a window
};

// Parses `text` as the value of `key` into `into`. A bad value is an InputError naming `what` (the
// flag, or the sweep axis), what was expected and what was given.
void parse_scenario_value(ScenarioValues& into, ScenarioKey key, std::string_view text,
                          std::string_view what);

// Copies every value `patch` gives over `into`.
void overlay(ScenarioValues& into, const ScenarioValues& patch);

// The scenario: estimate's defaults, then the preset, then explicit dtypes (they beat the preset), then
// the group-scale overrides of the weight format. Throws InputError for kv_sinks given without kv_window.
// Checks against a model and device are why_invalid()'s (core/estimate.hpp).
[[nodiscard]] Scenario compose_scenario(const ScenarioValues& v, const RuntimeTerms& runtime);
// The same for `model`: where neither --weights nor --quant names a weight dtype, the model's
// weights_as_shipped formats are the weight formats (the group-scale overrides still apply to them);
// a named dtype overrides every class, the experts' included.
[[nodiscard]] Scenario compose_scenario(const ScenarioValues& v, const RuntimeTerms& runtime,
                                        const ModelSpec& model);
// A shipped format as core stores it: the dtype's default layout with the group size and scale the
// checkpoint gives; a scale shared by `block_rows` output rows counts 1/block_rows of its bits a row.
[[nodiscard]] StorageFormat storage_format(const ShippedFormat& shipped);

}  // namespace infersim

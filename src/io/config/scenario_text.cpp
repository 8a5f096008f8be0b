#include "io/config/scenario_text.hpp"

#include <fmt/format.h>

#include <string>

#include "core/errors.hpp"
#include "core/layout.hpp"
#include "io/config/strict_number.hpp"
#include "io/config/value_text.hpp"

namespace infersim {

namespace {

// W4A16 and W8A16: weight-only (AWQ / GPTQ, Lin et al. 2024; Frantar et al. 2023); W8A8: SmoothQuant
// int8 (Xiao et al. 2023); fp8: weights and activations in e4m3 (KV stays 16-bit unless --kv fp8);
// nvfp4: NVFP4 weights and activations (Blackwell).
constexpr QuantPreset kPresets[] = {{"w4a16", Dtype::int4, Dtype::bf16},
                                    {"w8a16", Dtype::int8, Dtype::bf16},
                                    {"w8a8", Dtype::int8, Dtype::int8},
                                    {"fp8", Dtype::fp8, Dtype::fp8},
                                    {"nvfp4", Dtype::nvfp4, Dtype::nvfp4}};

// Bits of one scale for --scale-dtype.
double scale_bits_value(std::string_view what, std::string_view text) {
  if (text == "fp32") return 32.0;
  if (text == "fp16" || text == "bf16") return 16.0;
  if (text == "fp8" || text == "e4m3" || text == "e8m0") return 8.0;
  throw InputError(
      fmt::format("{} must be one of fp32, fp16, bf16, e4m3 (= fp8), e8m0, got '{}'", what, text));
}

// One of two words: true for `yes`, false for `no`.
bool choice_value(std::string_view what, std::string_view text, std::string_view yes, std::string_view no) {
  if (text == yes) return true;
  if (text == no) return false;
  throw InputError(fmt::format("{} must be {} or {}, got '{}'", what, yes, no, text));
}

QuantPreset preset_value(std::string_view what, std::string_view text) {
  for (const QuantPreset& p : kPresets) {
    if (text == p.name) return p;
  }
  throw InputError(fmt::format("{} must be one of w4a16, w8a16, w8a8, fp8, nvfp4, got '{}'", what, text));
}

int count_value(std::string_view what, std::string_view text, long long max) {
  return static_cast<int>(positive_integer_flag(std::string(what), std::string(text), max));
}

// An integer in [0, max].
long long nonnegative_integer_value(std::string_view what, std::string_view text, long long max) {
  const auto value = parse_integer(std::string(text));
  if (!value || *value < 0 || *value > max)
    throw InputError(fmt::format("{} must be an integer in [0, {}], got '{}'", what, max, text));
  return *value;
}

// A dtype something is stored in: tf32 is only a mode the tensor cores compute in.
Dtype storage_dtype(const std::string& what, const std::string& text) {
  const Dtype d = dtype_flag(what, text);
  if (!is_storage_format(d)) {
    throw InputError(
        fmt::format("{} must be a storage format: {} is a compute mode, not a storage format (store "
                    "as fp32 and compute with --activations tf32)",
                    what, text));
  }
  return d;
}

template <class T>
void take(std::optional<T>& into, const std::optional<T>& from) {
  if (from) into = from;
}

}  // namespace

std::string_view flag_name(ScenarioKey key) { return kScenarioKeys[static_cast<int>(key)].flag; }
std::string_view column_name(ScenarioKey key) { return kScenarioKeys[static_cast<int>(key)].column; }

std::optional<ScenarioKey> scenario_key_for_column(std::string_view column) {
  for (const ScenarioKeyName& k : kScenarioKeys) {
    if (k.column == column) return k.key;
  }
  return std::nullopt;
}

void parse_scenario_value(ScenarioValues& v, ScenarioKey key, std::string_view text, std::string_view what) {
  const std::string w(what);
  const std::string t(text);
  switch (key) {
    case ScenarioKey::batch:
      v.batch = positive_integer_flag(w, t, kMaxBatch);
      return;
    case ScenarioKey::input_tokens:
      v.input_tokens = positive_integer_flag(w, t, kMaxTokens);
      return;
    case ScenarioKey::output_tokens:
      v.output_tokens = positive_integer_flag(w, t, kMaxTokens);
      return;
    case ScenarioKey::tp:
      v.tp = count_value(w, t, kMaxDevices);
      return;
    case ScenarioKey::pp:
      v.pp = count_value(w, t, kMaxDevices);
      return;
    case ScenarioKey::ep:
      v.ep = count_value(w, t, kMaxDevices);
      return;
    case ScenarioKey::dp:
      v.dp = count_value(w, t, kMaxDevices);
      return;
    case ScenarioKey::attention_dp:
      v.attention_dp = count_value(w, t, kMaxDevices);
      return;
    case ScenarioKey::moe_tp:
      v.moe_tp = count_value(w, t, kMaxDevices);
      return;
    case ScenarioKey::micro_batches:
      v.micro_batches = count_value(w, t, kMaxDevices);
      return;
    case ScenarioKey::comm_overlap:
      v.comm_overlap = nonnegative_real_flag(w, t, kMaxCommOverlap);
      return;
    case ScenarioKey::quant:
      v.quant = preset_value(w, t);
      return;
    case ScenarioKey::weights:
      v.weights = storage_dtype(w, t);
      return;
    case ScenarioKey::activations:
      v.activations = dtype_flag(w, t);
      return;
    case ScenarioKey::kv:
      v.kv = storage_dtype(w, t);
      return;
    case ScenarioKey::group_size:
      v.group_size = count_value(w, t, kMaxGroupSize);
      return;
    case ScenarioKey::scale_dtype:
      v.scale_bits = scale_bits_value(w, t);
      return;
    case ScenarioKey::zero_point:
      v.zero_point = choice_value(w, t, "on", "off");
      return;
    case ScenarioKey::quantize_embeddings:
      v.quantize_embeddings = choice_value(w, t, "on", "off");
      return;
    case ScenarioKey::attention:
      v.attention =
          choice_value(w, t, "fused", "unfused") ? AttentionKernel::fused : AttentionKernel::unfused;
      return;
    case ScenarioKey::mla:
      v.mla = choice_value(w, t, "absorbed", "naive") ? MlaDecode::absorbed : MlaDecode::naive;
      return;
    case ScenarioKey::moe_skew:
      v.moe_skew = nonnegative_real_flag(w, t, kMaxMoeSkew);
      return;
    case ScenarioKey::moe_routing:
      v.moe_routing = choice_value(w, t, "uniform", "balanced") ? MoeRouting::uniform : MoeRouting::balanced;
      return;
    case ScenarioKey::kv_window:
      v.kv_window = nonnegative_integer_value(w, t, kMaxKvWindow);
      return;
    case ScenarioKey::kv_sinks:
      v.kv_sinks = nonnegative_integer_value(w, t, kMaxKvSinks);
      return;
  }
}

void overlay(ScenarioValues& into, const ScenarioValues& p) {
  take(into.batch, p.batch);
  take(into.input_tokens, p.input_tokens);
  take(into.output_tokens, p.output_tokens);
  take(into.tp, p.tp);
  take(into.pp, p.pp);
  take(into.ep, p.ep);
  take(into.dp, p.dp);
  take(into.attention_dp, p.attention_dp);
  take(into.moe_tp, p.moe_tp);
  take(into.micro_batches, p.micro_batches);
  take(into.comm_overlap, p.comm_overlap);
  take(into.quant, p.quant);
  take(into.weights, p.weights);
  take(into.activations, p.activations);
  take(into.kv, p.kv);
  take(into.group_size, p.group_size);
  take(into.scale_bits, p.scale_bits);
  take(into.zero_point, p.zero_point);
  take(into.quantize_embeddings, p.quantize_embeddings);
  take(into.zero_point_bits, p.zero_point_bits);
  take(into.attention, p.attention);
  take(into.mla, p.mla);
  take(into.moe_skew, p.moe_skew);
  take(into.moe_routing, p.moe_routing);
  take(into.kv_window, p.kv_window);
  take(into.kv_sinks, p.kv_sinks);
}

StorageFormat storage_format(const ShippedFormat& shipped) {
  StorageFormat f = default_storage_format(shipped.dtype);
  if (shipped.group_size) f.group_size = *shipped.group_size;
  if (shipped.scale_bits) f.scale_bits = *shipped.scale_bits;
  f.scale_bits /= shipped.block_rows;
  return f;
}

Scenario compose_scenario(const ScenarioValues& v, const RuntimeTerms& runtime, const ModelSpec& model) {
  Scenario sc = compose_scenario(v, runtime);
  if (v.weights || v.quant || !model.shipped_weights) return sc;
  const StorageFormat chosen = sc.weights;  // bf16 with the group-scale overrides, if any
  sc.weights = storage_format(*model.shipped_weights);
  if (v.group_size) sc.weights.group_size = chosen.group_size;
  if (v.scale_bits) sc.weights.scale_bits = chosen.scale_bits;
  if (v.zero_point) sc.weights.zero_point_bits = *v.zero_point ? bits_per_element(sc.weights.dtype) : 0.0;
  if (v.zero_point_bits) sc.weights.zero_point_bits = *v.zero_point_bits;
  if (model.shipped_expert_weights) sc.expert_weights = storage_format(*model.shipped_expert_weights);
  return sc;
}

Scenario compose_scenario(const ScenarioValues& v, const RuntimeTerms& runtime) {
  const Scenario defaults;
  Scenario sc;
  sc.batch = v.batch.value_or(defaults.batch);
  sc.input_tokens = v.input_tokens.value_or(defaults.input_tokens);
  sc.output_tokens = v.output_tokens.value_or(defaults.output_tokens);
  sc.layout.tp = v.tp.value_or(defaults.layout.tp);
  sc.layout.pp = v.pp.value_or(defaults.layout.pp);
  sc.layout.ep = v.ep.value_or(defaults.layout.ep);
  sc.layout.dp = v.dp.value_or(defaults.layout.dp);
  sc.layout.attention_dp = v.attention_dp.value_or(defaults.layout.attention_dp);
  sc.layout.moe_tp = v.moe_tp.value_or(defaults.layout.moe_tp);
  sc.layout.micro_batches = v.micro_batches.value_or(defaults.layout.micro_batches);
  sc.layout.comm_overlap = v.comm_overlap.value_or(defaults.layout.comm_overlap);
  const Dtype weights = v.weights.value_or(v.quant ? v.quant->weights : defaults.weights.dtype);
  sc.activations = v.activations.value_or(v.quant ? v.quant->activations : defaults.activations);
  sc.weights = default_storage_format(weights);
  if (v.group_size) sc.weights.group_size = *v.group_size;
  if (v.scale_bits) sc.weights.scale_bits = *v.scale_bits;
  if (v.zero_point) sc.weights.zero_point_bits = *v.zero_point ? bits_per_element(weights) : 0.0;
  if (v.zero_point_bits) sc.weights.zero_point_bits = *v.zero_point_bits;
  sc.kv = v.kv.value_or(defaults.kv);
  sc.quantize_embeddings = v.quantize_embeddings.value_or(defaults.quantize_embeddings);
  sc.attention = v.attention.value_or(defaults.attention);
  sc.mla = v.mla.value_or(defaults.mla);
  sc.moe_skew = v.moe_skew.value_or(defaults.moe_skew);
  sc.moe_routing = v.moe_routing.value_or(defaults.moe_routing);
  if (v.kv_sinks && !v.kv_window) {
    throw InputError(fmt::format(
        "{} ({}) needs {} ({}): StreamingLLM keeps its sink tokens beside a window of recent ones",
        flag_name(ScenarioKey::kv_sinks), column_name(ScenarioKey::kv_sinks),
        flag_name(ScenarioKey::kv_window), column_name(ScenarioKey::kv_window)));
  }
  sc.kv_window = v.kv_window.value_or(defaults.kv_window);
  sc.kv_sinks = v.kv_sinks.value_or(defaults.kv_sinks);
  sc.runtime = runtime;
  return sc;
}

}  // namespace infersim

#include "io/config/model_loader_parts.hpp"

#include <fmt/format.h>

#include <array>
#include <string>

#include "core/formulas/quant.hpp"
#include "io/config/strict_number.hpp"

namespace infersim {

namespace {

constexpr long long kMaxBlock = 1 << 20;  // group and block sizes, as --group-size

// One entry of attention_pattern: full, sliding:W or chunked:C with W, C in [1, max_context].
KeySpan key_span(const YamlMap& y, const YAML::Node& entry, std::size_t index, long long max_context) {
  const std::string what = fmt::format("'{}[{}]'", y.qualified("attention_pattern"), index);
  const std::string expected =
      fmt::format("full, sliding:W or chunked:C with W, C integers in [1, {}]", max_context);
  const SourceMark at = YamlMap::mark_of(entry);
  if (entry.IsMap()) {
    throw ConfigError(y.file(), at,
                      fmt::format("{} must be {} (written without a space after the colon), got a mapping",
                                  what, expected));
  }
  if (!entry.IsScalar()) throw ConfigError(y.file(), at, fmt::format("{} must be {}", what, expected));
  const std::string text = entry.Scalar();
  if (text == "full") return {};
  const std::size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  const long long tokens =
      colon == std::string::npos ? 0 : parse_integer(std::string_view(text).substr(colon + 1)).value_or(0);
  if ((kind != "sliding" && kind != "chunked") || tokens < 1 || tokens > max_context) {
    throw ConfigError(y.file(), at, fmt::format("{} must be {}, got '{}'", what, expected, excerpt(text)));
  }
  return {kind == "sliding" ? KeySpanKind::sliding : KeySpanKind::chunked, tokens};
}

void read_attention_pattern(YamlMap& y, ModelSpec& m) {
  if (m.sliding_window > 0) {
    throw ConfigError(
        y.file(), y.mark("attention_pattern"),
        "'attention_pattern' and 'sliding_window' are both given: give one ('sliding_window: W' "
        "is the pattern [sliding:W])");
  }
  const YAML::Node list = y.sequence("attention_pattern");
  if (list.size() < 1 || list.size() > static_cast<std::size_t>(m.layers)) {
    throw ConfigError(y.file(), y.mark("attention_pattern"),
                      fmt::format("'attention_pattern' must be a list of 1 to {} entries ('layers'), got {}",
                                  m.layers, list.size()));
  }
  for (std::size_t i = 0; i < list.size(); ++i)
    m.attention_pattern.push_back(key_span(y, list[i], i, m.max_context));
}

constexpr std::array<Dtype, 9> kShippedDtypes = {Dtype::fp32, Dtype::bf16,     Dtype::fp16,
                                                 Dtype::fp8,  Dtype::fp8_e5m2, Dtype::int8,
                                                 Dtype::int4, Dtype::nvfp4,    Dtype::mxfp4};
constexpr std::array<int, 6> kScaleBits = {32, 16, 16, 8, 8, 8};  // fp32 fp16 bf16 e4m3 fp8 e8m0

Dtype shipped_dtype(YamlMap& y, std::string_view key) {
  return kShippedDtypes[static_cast<std::size_t>(
      y.choice(key, {"fp32", "bf16", "fp16", "fp8", "fp8_e5m2", "int8", "int4", "nvfp4", "mxfp4"}))];
}

// A class's format: a dtype name, or a mapping {dtype, group_size, block_rows, scale_dtype}.
ShippedFormat shipped_format(YamlMap& w, std::string_view cls) {
  if (!w.is_mapping(cls)) return {shipped_dtype(w, cls), std::nullopt, std::nullopt, 1};
  YamlMap f = w.mapping(cls, {"dtype", "group_size", "block_rows", "scale_dtype"});
  ShippedFormat s;
  s.dtype = shipped_dtype(f, "dtype");
  if (f.has("group_size")) s.group_size = static_cast<int>(f.integer("group_size", 1, kMaxBlock));
  if (f.has("scale_dtype")) {
    s.scale_bits = kScaleBits[static_cast<std::size_t>(
        f.choice("scale_dtype", {"fp32", "fp16", "bf16", "e4m3", "fp8", "e8m0"}))];
  }
  if (f.has("block_rows")) s.block_rows = static_cast<int>(f.integer("block_rows", 1, kMaxBlock));
  const bool scaled = s.scale_bits || default_storage_format(s.dtype).scale_bits > 0.0;
  for (std::string_view key : {"group_size", "block_rows"}) {
    if (f.has(key) && !scaled) {
      throw ConfigError(f.file(), f.mark(key),
                        fmt::format("'{}' needs a scale: give '{}' (the {} default has no group scale)",
                                    f.qualified(key), f.qualified("scale_dtype"), dtype_name(s.dtype)));
    }
  }
  return s;
}

}  // namespace

void read_layer_attention(YamlMap& y, ModelSpec& m) {
  if (y.has("attention_pattern")) read_attention_pattern(y, m);
  if (y.has("qk_norm")) m.qk_norm = static_cast<QkNorm>(y.choice("qk_norm", {"none", "rmsnorm", "l2"}));
  m.attention_sinks = y.has("attention_sinks") && y.boolean("attention_sinks");
}

void read_weights_as_shipped(YamlMap& y, ModelSpec& m) {
  if (!y.has("weights_as_shipped")) return;
  YamlMap w = y.mapping("weights_as_shipped", {"default", "experts"});
  m.shipped_weights = shipped_format(w, "default");
  if (!w.has("experts")) return;
  if (!is_moe(m)) {
    throw ConfigError(y.file(), w.mark("experts"),
                      "'weights_as_shipped.experts' is given but the model has no 'moe' block");
  }
  m.shipped_expert_weights = shipped_format(w, "experts");
}

}  // namespace infersim

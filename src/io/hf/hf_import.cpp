#include "io/hf/hf_import.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "io/config/model_loader.hpp"
#include "io/config/yaml_map.hpp"
#include "io/hf/hf_families.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

constexpr std::size_t kCommentColumn = 27;  // values' comments line up as in model_configs/*.yaml
constexpr std::size_t kWrapColumn = 100;

// Writes the model YAML line by line; each value's comment is its origin (HfModel::origin). Comments
// may hold text from the command line or the config.json (the name, notes): they go through
// terminal_text, which keeps them on their line. Strings are written with yaml_scalar.
class YamlWriter {
 public:
  explicit YamlWriter(const HfModel& model) : model_(model) {}

  void comment(std::string_view untrusted) {
    const std::string shown = terminal_text(untrusted);
    std::string_view text = shown;
    std::string line = "#";
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find(' ', start);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view word = text.substr(start, end - start);
      if (line.size() + 1 + word.size() > kWrapColumn && line.size() > 4) {
        text_ += line + "\n";
        line = "#  ";
      }
      line += ' ';
      line += word;
      start = end + 1;
    }
    text_ += line + "\n";
  }

  // `key` is the YAML key in the origin map ("moe.experts"); it is written after its last dot.
  template <typename Value>
  void entry(std::string_view key, const Value& value) {
    const std::size_t dot = key.rfind('.');
    const bool nested = dot != std::string_view::npos;
    std::string line = fmt::format("{}{}: {}", nested ? "  " : "", nested ? key.substr(dot + 1) : key, value);
    const auto origin = model_.origin.find(std::string(key));
    if (origin != model_.origin.end())
      line = fmt::format("{:<{}} # {}", line, kCommentColumn, terminal_text(origin->second));
    text_ += line + "\n";
  }
  void optional_entry(std::string_view key, long long value) {
    if (model_.origin.count(std::string(key)) > 0) entry(key, value);
  }
  // "key:" opening a block (a list or mapping written with raw lines), with its origin.
  void header(std::string_view key) {
    std::string line = std::string(key) + ":";
    const auto origin = model_.origin.find(std::string(key));
    if (origin != model_.origin.end())
      line = fmt::format("{:<{}} # {}", line, kCommentColumn, terminal_text(origin->second));
    text_ += line + "\n";
  }
  void raw(std::string_view line) { text_ += std::string(line) + "\n"; }

  [[nodiscard]] const std::string& text() const { return text_; }

 private:
  const HfModel& model_;
  std::string text_;
};

constexpr const char* kMlp[] = {"gated", "plain"};
constexpr const char* kActivation[] = {"silu", "gelu", "relu"};
constexpr const char* kNorm[] = {"rmsnorm", "layernorm"};
constexpr const char* kQkNorm[] = {"none", "rmsnorm", "l2"};
constexpr const char* kBias[] = {"none", "qkv", "all"};
constexpr const char* kPosition[] = {"rotary", "learned", "alibi"};

template <std::size_t N, typename Enum>
const char* name_of(const char* const (&names)[N], Enum value) {
  return names[static_cast<std::size_t>(value)];
}

void write_header(YamlWriter& w, const HfModel& m, const HfImportOptions& options) {
  w.comment(fmt::format("{}: converted by `infersim import-hf` from a Hugging Face config.json ({}).",
                        options.name, m.architecture));
  w.comment(
      "Each comment names the config.json key the value comes from, or the default of the transformers "
      "config class where the key is absent. Keys not named (dtype, token ids, RoPE scaling, dropout) "
      "are not used.");
  for (const std::string& note : m.notes) w.comment("Note: " + note);
  w.raw(fmt::format("source: {}", yaml_scalar(options.source)));
  w.raw(fmt::format("description: {}",
                    yaml_scalar(fmt::format("{} ({}, imported from its Hugging Face config.json)",
                                            options.name, m.architecture))));
}

void write_body(YamlWriter& w, const ModelSpec& s) {
  w.entry("layers", s.layers);
  w.entry("hidden_size", s.hidden_size);
  w.entry("attention_heads", s.attention_heads);
  w.entry("kv_heads", s.kv_heads);
  w.optional_entry("head_dim", s.head_dim);
  w.entry("intermediate_size", s.intermediate_size);
  w.entry("mlp", name_of(kMlp, s.mlp));
  w.entry("activation", name_of(kActivation, s.activation));
  w.entry("norm", name_of(kNorm, s.norm));
  w.entry("linear_bias", name_of(kBias, s.linear_bias));
  w.entry("parallel_blocks", s.parallel_blocks);
  w.entry("position_embedding", name_of(kPosition, s.position_embedding));
  w.entry("vocab_size", s.vocab_size);
  w.entry("tied_embeddings", s.tied_embeddings);
  w.entry("max_context", s.max_context);
  if (s.sliding_window > 0) w.entry("sliding_window", s.sliding_window);
  if (!s.attention_pattern.empty()) {
    w.header("attention_pattern");
    for (const KeySpan& k : s.attention_pattern) {
      w.raw(k.kind == KeySpanKind::full
                ? std::string("  - full")
                : fmt::format("  - {}:{}", k.kind == KeySpanKind::sliding ? "sliding" : "chunked", k.tokens));
    }
  }
  if (s.qk_norm != QkNorm::none) w.entry("qk_norm", name_of(kQkNorm, s.qk_norm));
  if (s.attention_sinks) w.entry("attention_sinks", true);
}

// A class of weights_as_shipped: a dtype name, or a mapping where the scale layout is not the default.
void write_shipped(YamlWriter& w, std::string_view cls, const ShippedFormat& f) {
  const std::string dtype(dtype_name(f.dtype));
  if (!f.group_size && !f.scale_bits && f.block_rows == 1) {
    w.raw(fmt::format("  {}: {}", cls, dtype));
    return;
  }
  w.raw(fmt::format("  {}:", cls));
  w.raw(fmt::format("    dtype: {}", dtype));
  if (f.group_size) w.raw(fmt::format("    group_size: {}", *f.group_size));
  if (f.block_rows != 1) w.raw(fmt::format("    block_rows: {}", f.block_rows));
  if (f.scale_bits) {
    w.raw(fmt::format("    scale_dtype: {}", *f.scale_bits == 32   ? "fp32"
                                             : *f.scale_bits == 16 ? "fp16"
                                                                   : "e4m3"));
  }
}

void write_weights_as_shipped(YamlWriter& w, const ModelSpec& s) {
  if (!s.shipped_weights) return;
  w.header("weights_as_shipped");
  write_shipped(w, "default", *s.shipped_weights);
  if (s.shipped_expert_weights) write_shipped(w, "experts", *s.shipped_expert_weights);
}

void write_mla_and_moe(YamlWriter& w, const ModelSpec& s) {
  if (s.attention == AttentionKind::mla) {
    w.entry("attention", "mla");
    w.raw("mla:");
    w.entry("mla.q_lora_rank", s.mla.q_lora_rank);
    w.entry("mla.kv_lora_rank", s.mla.kv_lora_rank);
    w.entry("mla.qk_nope_head_dim", s.mla.qk_nope_head_dim);
    w.entry("mla.qk_rope_head_dim", s.mla.qk_rope_head_dim);
    w.entry("mla.v_head_dim", s.mla.v_head_dim);
  }
  if (!is_moe(s)) return;
  const MoeSpec& e = s.moe;
  w.raw("moe:");
  w.entry("moe.experts", e.experts);
  w.entry("moe.experts_per_token", e.experts_per_token);
  w.entry("moe.expert_intermediate_size", e.expert_intermediate_size);
  w.optional_entry("moe.shared_experts", e.shared_experts);
  w.optional_entry("moe.shared_expert_intermediate_size", e.shared_expert_intermediate_size);
  if (e.shared_expert_gate) w.entry("moe.shared_expert_gate", true);
  w.optional_entry("moe.first_dense_layers", e.first_dense_layers);
  w.optional_entry("moe.layer_step", e.layer_step);
}

// The loader's checks (kv_heads divides attention_heads, top-k <= experts, ranges) on the result, so
// that a config.json the format cannot hold is reported here, against the config.json.
void check_loads(const std::string& yaml, const HfImportOptions& options) {
  try {
    (void)load_model_text(yaml, "import-hf output");
  } catch (const ConfigError& e) {
    const std::string message = e.what();
    const std::size_t at = message.find("error: ");
    throw ConfigError(options.source, {},
                      "converts to a model infersim cannot load: " +
                          (at == std::string::npos ? message : message.substr(at + 7)));
  }
}

std::string default_name(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string directory = p.parent_path().filename().string();
  if (p.filename() == "config.json" && !directory.empty() && directory != "." && directory != "..")
    return directory;
  return p.stem().string();
}

}  // namespace

std::string hf_config_to_yaml(const std::string& json_text, const HfImportOptions& options) {
  HfConfig config(json_text, options.source);
  const HfModel model = read_hf_model(config);
  YamlWriter w(model);
  write_header(w, model, options);
  write_body(w, model.spec);
  write_mla_and_moe(w, model.spec);
  write_weights_as_shipped(w, model.spec);
  check_loads(w.text(), options);
  return w.text();
}

std::string import_hf_config_file(const std::string& path, std::string name) {
  if (name.empty()) name = default_name(path);
  return hf_config_to_yaml(read_config_file(path), {path, name});
}

}  // namespace infersim

// Hugging Face families whose layers differ from one another: Qwen3 (QK-norm), gpt-oss (banded and
// dense layers, sinks, mxfp4 experts), Gemma 3 (five local layers to one global) and Llama 4 (chunked
// local attention, NoPE global layers, dense and MoE layers interleaved). Defaults are those of the
// transformers config classes (configuration_qwen3.py, configuration_gpt_oss.py,
// configuration_gemma3.py, configuration_llama4.py), named in each value's origin.
#include <fmt/format.h>

#include "io/hf/hf_read.hpp"

namespace infersim::hf {

namespace {

// A key that may be absent: its value, or `fallback` with an origin naming the config class default.
int take_or(const HfConfig& c, HfModel& m, std::string_view yaml_key, std::string_view json_key,
            long long fallback, std::string_view config_class) {
  if (c.has(json_key)) return take(c, m, yaml_key, json_key);
  record(m, yaml_key, fmt::format("{} absent: {} default {}", c.qualified(json_key), config_class, fallback));
  return static_cast<int>(fallback);
}

KeySpan span_of(const HfConfig& c, std::string_view key, const std::string& type, long long window,
                long long chunk) {
  if (type == "full_attention") return {};
  if (type == "sliding_attention") return {KeySpanKind::sliding, window};
  if (type == "chunked_attention") return chunk > 0 ? KeySpan{KeySpanKind::chunked, chunk} : KeySpan{};
  c.fail(key, fmt::format("'{}' holds '{}': infersim models full_attention, sliding_attention and "
                          "chunked_attention",
                          c.qualified(key), excerpt(type)));
}

// Each layer's key span as the shortest pattern that repeats over the layers. One sliding entry is the
// model-wide sliding_window; full attention everywhere needs no key. A span as long as the context is
// full attention.
void set_layer_pattern(HfModel& m, std::vector<KeySpan> layers, const std::string& origin) {
  for (KeySpan& k : layers) {
    if (k.kind != KeySpanKind::full && k.tokens >= m.spec.max_context) k = {};
  }
  std::size_t period = 1;
  while (period < layers.size()) {
    bool repeats = true;
    for (std::size_t i = period; i < layers.size() && repeats; ++i) repeats = layers[i] == layers[i % period];
    if (repeats) break;
    ++period;
  }
  layers.resize(period);
  if (period == 1 && layers[0].kind == KeySpanKind::full) return;
  if (period == 1 && layers[0].kind == KeySpanKind::sliding) {
    set_sliding_window(m, layers[0].tokens, origin);
    return;
  }
  m.spec.attention_pattern = std::move(layers);
  record(m, "attention_pattern", origin);
}

// layer_types, checked to name each layer once.
std::vector<KeySpan> spans_of_types(const HfConfig& c, const std::vector<std::string>& types, int layers,
                                    long long window, long long chunk) {
  if (types.size() != static_cast<std::size_t>(layers)) {
    c.fail("layer_types", fmt::format("'{}' has {} entries, not one per layer ({})",
                                      c.qualified("layer_types"), types.size(), layers));
  }
  std::vector<KeySpan> spans;
  for (const std::string& t : types) spans.push_back(span_of(c, "layer_types", t, window, chunk));
  return spans;
}

void set_gated_rms_rotary(HfModel& m, std::string_view mlp_origin) {
  m.spec.mlp = MlpKind::gated;
  m.spec.norm = NormKind::rmsnorm;
  m.spec.parallel_blocks = false;
  m.spec.position_embedding = PositionEmbedding::rotary;
  record(m, "mlp", std::string(mlp_origin));
  record(m, "norm", "RMSNorm (rms_norm_eps)");
  record(m, "parallel_blocks", "sequential blocks");
  record(m, "position_embedding", "RoPE (rope_theta)");
}

// What a text config class gives a key the file leaves out (Gemma3TextConfig, Llama4TextConfig).
struct TextDefaults {
  const char* config_class;
  long long kv_heads;
  long long head_dim;
  long long max_context;
  bool tied_embeddings;
};

// The shape keys, norms, biases and embedding tie both multimodal text configs share.
void read_text_shape(const HfConfig& c, HfModel& m, const TextDefaults& d, std::string_view mlp_origin) {
  ModelSpec& s = m.spec;
  s.layers = take(c, m, "layers", "num_hidden_layers");
  s.hidden_size = take(c, m, "hidden_size", "hidden_size");
  s.attention_heads = take(c, m, "attention_heads", "num_attention_heads");
  s.kv_heads = take_or(c, m, "kv_heads", "num_key_value_heads", d.kv_heads, d.config_class);
  s.head_dim = take_or(c, m, "head_dim", "head_dim", d.head_dim, d.config_class);
  s.max_context = take_or(c, m, "max_context", "max_position_embeddings", d.max_context, d.config_class);
  s.tied_embeddings =
      take_flag(c, m, "tied_embeddings", "tie_word_embeddings", d.tied_embeddings,
                fmt::format("tie_word_embeddings absent: {} default {}", d.config_class, d.tied_embeddings));
  set_gated_rms_rotary(m, mlp_origin);
  read_llama_bias(c, m);
}

// Llama 4: MoE on the layers listed in moe_layers, or every interleave_moe_layer_step-th.
void read_llama4_moe(const HfConfig& c, HfModel& m) {
  MoeSpec& e = m.spec.moe;
  e.experts = take_or(c, m, "moe.experts", "num_local_experts", 16, "Llama4TextConfig");
  e.experts_per_token = take_or(c, m, "moe.experts_per_token", "num_experts_per_tok", 1, "Llama4TextConfig");
  e.expert_intermediate_size = take(c, m, "moe.expert_intermediate_size", "intermediate_size");
  e.shared_experts = 1;
  e.shared_expert_intermediate_size = e.expert_intermediate_size;
  record(m, "moe.shared_experts", "Llama4TextMoe has one shared_expert");
  record(m, "moe.shared_expert_intermediate_size", c.qualified("intermediate_size"));
  const std::vector<long long> listed = c.integer_list("moe_layers", 0, m.spec.layers - 1);
  if (listed.empty() && !c.has("moe_layers")) {
    e.layer_step = take_or(c, m, "moe.layer_step", "interleave_moe_layer_step", 1, "Llama4TextConfig");
    return;
  }
  // The format's layers, (i + 1) % step == 0, are range(step - 1, layers, step).
  const long long step = listed.empty() ? 0 : listed[0] + 1;
  bool same = step > 0;
  for (std::size_t i = 0; same && i < listed.size(); ++i)
    same = listed[i] == step - 1 + step * static_cast<long long>(i);
  if (!same || m.spec.layers / step != static_cast<long long>(listed.size())) {
    c.fail("moe_layers", fmt::format("'{}' places MoE layers the model format cannot express (it has "
                                     "every layer_step-th layer)",
                                     c.qualified("moe_layers")));
  }
  e.layer_step = static_cast<int>(step);
  record(m, "moe.layer_step", fmt::format("{}: every {}-th layer", c.qualified("moe_layers"), step));
}

}  // namespace

void read_qwen3(const HfConfig& c, HfModel& m, bool moe) {
  read_decoder(c, m, false);
  m.spec.head_dim = take_or(c, m, "head_dim", "head_dim", 128, "Qwen3Config");
  refuse_qwen2_sliding_window(c);
  read_llama_bias(c, m);
  m.spec.qk_norm = QkNorm::rmsnorm;
  record(m, "qk_norm", "Qwen3Attention: q_norm and k_norm (RMSNorm over each head)");
  if (moe) read_qwen2_moe(c, m);
}

void read_gpt_oss(const HfConfig& c, HfModel& m) {
  read_decoder(c, m, false);
  take_head_dim(c, m);
  const bool bias = c.flag("attention_bias", true);
  m.spec.linear_bias = bias ? LinearBias::all : LinearBias::none;
  record(m, "linear_bias", fmt::format("attention_bias {} (q, k, v and o)", bias));
  MoeSpec& e = m.spec.moe;
  e.experts = take(c, m, "moe.experts", "num_local_experts");
  e.experts_per_token = c.has("num_experts_per_tok")
                            ? take(c, m, "moe.experts_per_token", "num_experts_per_tok")
                            : take(c, m, "moe.experts_per_token", "experts_per_token");
  e.expert_intermediate_size = take(c, m, "moe.expert_intermediate_size", "intermediate_size");
  m.notes.push_back("Not counted: the experts' biases (3 x hidden_size an expert) and the router's.");
  const long long window = c.has("sliding_window") ? c.integer("sliding_window") : 128;
  std::vector<std::string> types = c.string_list("layer_types");
  std::string origin =
      fmt::format("{}, {} {}", c.qualified("layer_types"), c.qualified("sliding_window"), window);
  if (types.empty()) {
    for (int i = 0; i < m.spec.layers; ++i)
      types.push_back(i % 2 == 0 ? "sliding_attention" : "full_attention");
    origin = fmt::format("layer_types absent: GptOssConfig default (sliding, full, ...), window {}", window);
  }
  set_layer_pattern(m, spans_of_types(c, types, m.spec.layers, window, 0), origin);
  m.spec.attention_sinks = true;
  record(m, "attention_sinks", "GptOssAttention.sinks: one learned logit per head");
  read_quantization(c, m);
}

void read_gemma3(const HfConfig& c, HfModel& m) {
  ModelSpec& s = m.spec;
  read_text_shape(c, m, {"Gemma3TextConfig", 4, 256, 131072, true},
                  "Gemma3MLP: gate_proj, up_proj, down_proj (GeGLU)");
  s.intermediate_size = take(c, m, "intermediate_size", "intermediate_size");
  s.vocab_size = take_or(c, m, "vocab_size", "vocab_size", 262208, "Gemma3TextConfig");
  s.activation = take_activation(c, m, "hidden_activation", "gelu_pytorch_tanh");
  s.qk_norm = QkNorm::rmsnorm;
  record(m, "qk_norm", "Gemma3Attention: q_norm and k_norm (RMSNorm over each head)");
  const long long window = c.has("sliding_window") ? c.integer("sliding_window") : 4096;
  std::vector<std::string> types = c.string_list("layer_types");
  std::string origin =
      fmt::format("{}, {} {}", c.qualified("layer_types"), c.qualified("sliding_window"), window);
  if (types.empty()) {
    const std::string_view key =
        c.has("sliding_window_pattern") ? "sliding_window_pattern" : "_sliding_window_pattern";
    const long long every = c.has(key) ? c.integer(key) : 6;
    for (int i = 0; i < s.layers; ++i)
      types.push_back((i + 1) % every == 0 ? "full_attention" : "sliding_attention");
    origin = fmt::format("{} {}: layer i global when (i + 1) % {} == 0; {} {}", c.qualified(key), every,
                         every, c.qualified("sliding_window"), window);
  }
  set_layer_pattern(m, spans_of_types(c, types, s.layers, window, 0), origin);
  m.notes.push_back("The text model only. Gemma 3 has four RMSNorms a layer; two are counted.");
}

void read_llama4(const HfConfig& c, HfModel& m) {
  ModelSpec& s = m.spec;
  read_text_shape(c, m, {"Llama4TextConfig", 8, 128, 131072, false},
                  "Llama4TextMLP and experts: gate, up, down (SwiGLU)");
  s.intermediate_size =
      take_or(c, m, "intermediate_size", "intermediate_size_mlp", 16384, "Llama4TextConfig");
  s.vocab_size = take(c, m, "vocab_size", "vocab_size");
  s.activation = take_activation(c, m, "hidden_act", "silu");
  const bool qk_norm =
      take_flag(c, m, "qk_norm", "use_qk_norm", true, "use_qk_norm absent: Llama4TextConfig default true");
  s.qk_norm = qk_norm ? QkNorm::l2 : QkNorm::none;
  if (qk_norm) record(m, "qk_norm", m.origin["qk_norm"] + ": Llama4TextL2Norm, an L2 norm without weights");
  read_llama4_moe(c, m);
  const long long chunk = c.has("attention_chunk_size") ? c.integer("attention_chunk_size")
                                                        : (c.written("attention_chunk_size") ? 0 : 8192);
  std::vector<std::string> types = c.string_list("layer_types");
  std::string origin =
      fmt::format("{}, {} {}", c.qualified("layer_types"), c.qualified("attention_chunk_size"), chunk);
  if (types.empty()) {
    std::vector<long long> rope = c.integer_list("no_rope_layers", 0, 1);
    const long long every = c.has("no_rope_layer_interval") ? c.integer("no_rope_layer_interval") : 4;
    origin = fmt::format("{} (1: RoPE and chunked, 0: NoPE and full), {} {}", c.qualified("no_rope_layers"),
                         c.qualified("attention_chunk_size"), chunk);
    if (rope.empty()) {
      for (int i = 0; i < s.layers; ++i) rope.push_back((i + 1) % every != 0 ? 1 : 0);
      origin = fmt::format(
          "no_rope_layers absent or empty: every {}-th layer NoPE and full, the others chunked {}", every,
          chunk);
    }
    for (long long r : rope) types.push_back(r != 0 ? "chunked_attention" : "full_attention");
  }
  set_layer_pattern(m, spans_of_types(c, types, s.layers, 0, chunk), origin);
  m.notes.push_back("The text model only (text_config); the NoPE layers have no position encoding.");
}

void read_quantization(const HfConfig& c, HfModel& m) {
  if (!c.is_object("quantization_config")) return;
  const HfConfig q = c.object("quantization_config");
  const std::string method = q.text("quant_method", "");
  if (method == "mxfp4") {
    m.spec.shipped_weights = ShippedFormat{is_moe(m.spec) ? Dtype::bf16 : Dtype::mxfp4, {}, {}, 1};
    if (is_moe(m.spec)) m.spec.shipped_expert_weights = ShippedFormat{Dtype::mxfp4, {}, {}, 1};
    record(
        m, "weights_as_shipped",
        fmt::format("{} mxfp4 (the experts; modules_to_not_convert stay bf16)", q.qualified("quant_method")));
    return;
  }
  if (method == "fp8") {
    ShippedFormat f{q.text("fmt", "e4m3") == "e5m2" ? Dtype::fp8_e5m2 : Dtype::fp8, {}, {}, 1};
    const std::vector<long long> block = q.integer_list("weight_block_size", 1, 1 << 20);
    if (block.size() == 2) {
      f.block_rows = static_cast<int>(block[0]);
      f.group_size = static_cast<int>(block[1]);
      f.scale_bits = 32;
    } else if (!block.empty()) {
      q.fail("weight_block_size",
             fmt::format("'{}' must be [rows, columns]", q.qualified("weight_block_size")));
    }
    m.spec.shipped_weights = f;
    record(m, "weights_as_shipped",
           fmt::format("{} fp8, {}; one fp32 scale a block", q.qualified("quant_method"),
                       q.qualified("weight_block_size")));
    return;
  }
  m.notes.push_back(
      fmt::format("quantization_config (quant_method '{}') is not read: give --weights.", excerpt(method)));
}

}  // namespace infersim::hf

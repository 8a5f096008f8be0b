#include "io/hf/hf_families.hpp"

#include <fmt/format.h>

#include "io/hf/hf_read.hpp"

namespace infersim {

namespace {

using hf::record;
using hf::take;

enum class Family {
  llama,
  mistral,
  mixtral,
  qwen2,
  qwen2_moe,
  qwen3,
  qwen3_moe,
  deepseek,
  falcon,
  gpt_neox,
  gpt_oss,
  gemma3,
  gemma3_text,
  llama4,
  mistral3
};

struct Known {
  std::string_view architecture;
  std::string_view model_type;  // read when `architectures` is absent
  Family family;
};

constexpr Known kKnown[] = {
    {"LlamaForCausalLM", "llama", Family::llama},
    {"MistralForCausalLM", "mistral", Family::mistral},
    {"MixtralForCausalLM", "mixtral", Family::mixtral},
    {"Qwen2ForCausalLM", "qwen2", Family::qwen2},
    {"Qwen2MoeForCausalLM", "qwen2_moe", Family::qwen2_moe},
    {"Qwen3ForCausalLM", "qwen3", Family::qwen3},
    {"Qwen3MoeForCausalLM", "qwen3_moe", Family::qwen3_moe},
    {"DeepseekV2ForCausalLM", "deepseek_v2", Family::deepseek},
    {"DeepseekV3ForCausalLM", "deepseek_v3", Family::deepseek},
    {"FalconForCausalLM", "falcon", Family::falcon},
    {"GPTNeoXForCausalLM", "gpt_neox", Family::gpt_neox},
    {"GptOssForCausalLM", "gpt_oss", Family::gpt_oss},
    {"Gemma3ForConditionalGeneration", "gemma3", Family::gemma3},
    {"Gemma3ForCausalLM", "gemma3_text", Family::gemma3_text},
    {"Llama4ForConditionalGeneration", "llama4", Family::llama4},
    {"Mistral3ForConditionalGeneration", "mistral3", Family::mistral3},
};

}  // namespace

namespace hf {

// The keys LlamaConfig and the configs modelled on it share: pre-norm RMSNorm blocks, a gated MLP,
// RoPE. `kv_required`: Mistral's and Mixtral's config classes default num_key_value_heads to 8, not
// to num_attention_heads, so a config.json without it is asked to say it.
void read_decoder(const HfConfig& c, HfModel& m, bool kv_required) {
  ModelSpec& s = m.spec;
  s.layers = take(c, m, "layers", "num_hidden_layers");
  s.hidden_size = take(c, m, "hidden_size", "hidden_size");
  s.attention_heads = take(c, m, "attention_heads", "num_attention_heads");
  if (kv_required || c.has("num_key_value_heads")) {
    s.kv_heads = take(c, m, "kv_heads", "num_key_value_heads");
  } else {
    s.kv_heads = s.attention_heads;
    record(m, "kv_heads", "num_key_value_heads absent: = num_attention_heads (transformers default)");
  }
  s.intermediate_size = take(c, m, "intermediate_size", "intermediate_size");
  s.vocab_size = take(c, m, "vocab_size", "vocab_size");
  s.max_context = take(c, m, "max_context", "max_position_embeddings");
  s.activation = hf::take_activation(c, m, "hidden_act", "silu");
  s.tied_embeddings = hf::take_flag(c, m, "tied_embeddings", "tie_word_embeddings", false,
                                    "tie_word_embeddings absent: transformers default false");
  s.mlp = MlpKind::gated;
  s.norm = NormKind::rmsnorm;
  s.parallel_blocks = false;
  s.position_embedding = PositionEmbedding::rotary;
  record(m, "mlp", "gate_proj, up_proj, down_proj");
  record(m, "norm", "RMSNorm (rms_norm_eps)");
  record(m, "parallel_blocks", "sequential pre-norm blocks");
  record(m, "position_embedding", "RoPE (rope_theta)");
}

// LlamaConfig: attention_bias puts biases on q, k, v and o; mlp_bias on gate, up and down.
void read_llama_bias(const HfConfig& c, HfModel& m) {
  const bool attention = c.flag("attention_bias", false);
  const bool mlp = c.flag("mlp_bias", false);
  m.spec.linear_bias = attention || mlp ? (mlp ? LinearBias::all : LinearBias::qkv) : LinearBias::none;
  record(m, "linear_bias", fmt::format("attention_bias {}, mlp_bias {}", attention, mlp));
  if (attention && !mlp)
    m.notes.push_back("attention_bias true: the o_proj bias (hidden_size a layer) is not counted.");
  if (mlp && !attention)
    m.notes.push_back("mlp_bias true without attention_bias: 'all' also counts q/k/v/o biases.");
}

// Qwen2 slides its window only over the layers from max_window_layers on; one window for all layers
// would misstate the KV cache, so a config that turns it on is refused.
void refuse_qwen2_sliding_window(const HfConfig& c) {
  if (c.flag("use_sliding_window", false)) {
    c.fail("use_sliding_window",
           "'use_sliding_window' true: Qwen2 applies the window to some layers only "
           "(max_window_layers), which the model format cannot express");
  }
}

}  // namespace hf

namespace {

using hf::read_decoder;
using hf::read_llama_bias;
using hf::refuse_qwen2_sliding_window;

void read_mixtral_moe(const HfConfig& c, HfModel& m) {
  MoeSpec& e = m.spec.moe;
  e.experts = take(c, m, "moe.experts", "num_local_experts");
  e.experts_per_token = take(c, m, "moe.experts_per_token", "num_experts_per_tok");
  e.expert_intermediate_size = take(c, m, "moe.expert_intermediate_size", "intermediate_size");
}

}  // namespace

void hf::read_qwen2_moe(const HfConfig& c, HfModel& m) {
  if (c.integer("num_experts", 0) == 0) {
    m.notes.push_back("num_experts 0: every MLP is dense.");
    return;
  }
  if (c.list_size("mlp_only_layers") > 0) {
    c.fail("mlp_only_layers",
           "'mlp_only_layers' makes chosen layers dense, which the model format cannot "
           "express (it has moe.first_dense_layers and moe.layer_step)");
  }
  MoeSpec& e = m.spec.moe;
  e.experts = take(c, m, "moe.experts", "num_experts");
  e.experts_per_token = take(c, m, "moe.experts_per_token", "num_experts_per_tok");
  e.expert_intermediate_size = take(c, m, "moe.expert_intermediate_size", "moe_intermediate_size");
  if (c.optional_integer("shared_expert_intermediate_size", 0).value_or(0) > 0) {
    e.shared_experts = 1;
    record(m, "moe.shared_experts", "Qwen2MoeSparseMoeBlock has one shared_expert");
    e.shared_expert_intermediate_size =
        take(c, m, "moe.shared_expert_intermediate_size", "shared_expert_intermediate_size");
    e.shared_expert_gate = true;
    record(m, "moe.shared_expert_gate", "shared_expert_gate: Linear(hidden_size, 1), sigmoid");
  }
  e.layer_step = c.has("decoder_sparse_step") ? take(c, m, "moe.layer_step", "decoder_sparse_step") : 1;
}

namespace {

// DeepSeek-V2/V3: layer i is MoE when i >= first_k_dense_replace and i % moe_layer_freq == 0. The
// format's rule, (i - first_dense_layers + 1) % layer_step == 0, picks the same layers exactly when
// first_k_dense_replace % moe_layer_freq == 1 % moe_layer_freq (always for the published freq 1).
void read_deepseek_moe(const HfConfig& c, HfModel& m) {
  if (!c.has("n_routed_experts")) {
    m.notes.push_back("n_routed_experts null: every MLP is dense.");
    return;
  }
  MoeSpec& e = m.spec.moe;
  e.experts = take(c, m, "moe.experts", "n_routed_experts");
  e.experts_per_token = take(c, m, "moe.experts_per_token", "num_experts_per_tok");
  e.expert_intermediate_size = take(c, m, "moe.expert_intermediate_size", "moe_intermediate_size");
  if (c.optional_integer("n_shared_experts", 0).value_or(0) > 0) {
    e.shared_experts = take(c, m, "moe.shared_experts", "n_shared_experts");
    e.shared_expert_intermediate_size = e.expert_intermediate_size;
    record(m, "moe.shared_expert_intermediate_size", "moe_intermediate_size (each shared expert)");
  }
  const int first =
      c.has("first_k_dense_replace") ? take(c, m, "moe.first_dense_layers", "first_k_dense_replace", 0) : 0;
  const int freq = c.has("moe_layer_freq") ? take(c, m, "moe.layer_step", "moe_layer_freq") : 1;
  if (first % freq != 1 % freq) {
    c.fail("moe_layer_freq",
           fmt::format("'moe_layer_freq' {} with 'first_k_dense_replace' {} places MoE layers "
                       "the model format cannot express",
                       freq, first));
  }
  e.first_dense_layers = first;
  e.layer_step = freq;
}

void read_deepseek(const HfConfig& c, HfModel& m) {
  read_decoder(c, m, false);
  ModelSpec& s = m.spec;
  record(m, "kv_heads", "num_key_value_heads (not used by MLA)");
  s.attention = AttentionKind::mla;
  record(m, "attention", "multi-head latent attention (kv_lora_rank)");
  if (c.has("q_lora_rank")) {
    s.mla.q_lora_rank = take(c, m, "mla.q_lora_rank", "q_lora_rank");
  } else {
    record(m, "mla.q_lora_rank", "q_lora_rank null: queries are not compressed");
  }
  s.mla.kv_lora_rank = take(c, m, "mla.kv_lora_rank", "kv_lora_rank");
  s.mla.qk_nope_head_dim = take(c, m, "mla.qk_nope_head_dim", "qk_nope_head_dim");
  s.mla.qk_rope_head_dim = take(c, m, "mla.qk_rope_head_dim", "qk_rope_head_dim");
  s.mla.v_head_dim = take(c, m, "mla.v_head_dim", "v_head_dim");
  if (!c.has("head_dim") && s.hidden_size % s.attention_heads != 0) {
    s.head_dim = s.mla.qk_nope_head_dim + s.mla.qk_rope_head_dim;
    record(m, "head_dim", "qk_nope_head_dim + qk_rope_head_dim (not used by MLA)");
  } else {
    hf::take_head_dim(c, m);
  }
  record(m, "linear_bias", "attention_bias false; no other biases");
  if (c.flag("attention_bias", false))
    m.notes.push_back("attention_bias true: MLA projection biases are not counted.");
  read_deepseek_moe(c, m);
  if (c.optional_integer("num_nextn_predict_layers", 0).value_or(0) > 0) {
    m.notes.push_back(
        "The main model only: the multi-token-prediction module (num_nextn_predict_layers) "
        "serves training and speculative decoding and is left out, as parameter headlines leave it out.");
  }
  hf::read_quantization(c, m);
}

void read_llama(const HfConfig& c, HfModel& m) {
  read_decoder(c, m, false);
  hf::take_head_dim(c, m);
  read_llama_bias(c, m);
}

}  // namespace

// Mistral and Mixtral. MistralConfig defaults an absent sliding_window to 4096 (null: none);
// MixtralConfig defaults it to none.
void hf::read_mistral(const HfConfig& c, HfModel& m, bool mixtral) {
  read_decoder(c, m, true);
  hf::take_head_dim(c, m);
  m.spec.linear_bias = LinearBias::none;
  record(m, "linear_bias", "no biases in the Mistral architecture");
  if (c.has("sliding_window")) {
    hf::set_sliding_window(m, c.integer("sliding_window"), "sliding_window");
  } else if (!mixtral && !c.written("sliding_window")) {
    hf::set_sliding_window(m, 4096, "sliding_window absent: MistralConfig default 4096");
  }
  if (mixtral) read_mixtral_moe(c, m);
}

namespace {

void read_qwen2(const HfConfig& c, HfModel& m, bool moe) {
  read_decoder(c, m, false);
  hf::take_head_dim(c, m);
  refuse_qwen2_sliding_window(c);
  m.spec.linear_bias = LinearBias::qkv;
  record(m, "linear_bias", "Qwen2 attention: biases on q_proj, k_proj, v_proj; none on o_proj");
  if (moe) hf::read_qwen2_moe(c, m);
}

Family family_of(HfConfig& c, HfModel& m) {
  m.architecture = c.architecture();
  const bool by_type = m.architecture.empty();
  const std::string model_type = by_type ? c.text("model_type", "") : "";
  if (by_type && model_type.empty())
    c.fail("architectures", "missing required key 'architectures' (or 'model_type')");
  for (const Known& k : kKnown) {
    if (by_type ? k.model_type == model_type : k.architecture == m.architecture) {
      m.architecture = std::string(k.architecture);
      c.set_architecture(m.architecture);
      return k.family;
    }
  }
  c.fail(
      by_type ? "model_type" : "architectures",
      fmt::format("unknown architecture '{}' (infersim import-hf knows {})",
                  excerpt(by_type ? model_type : m.architecture), fmt::join(known_hf_architectures(), ", ")));
}

}  // namespace

std::vector<std::string> known_hf_architectures() {
  std::vector<std::string> names;
  for (const Known& k : kKnown) names.emplace_back(k.architecture);
  return names;
}

HfModel read_hf_model(HfConfig& config) {
  HfModel m;
  const Family family = family_of(config, m);
  switch (family) {
    case Family::llama:
      read_llama(config, m);
      break;
    case Family::mistral:
      hf::read_mistral(config, m, false);
      break;
    case Family::mixtral:
      hf::read_mistral(config, m, true);
      break;
    case Family::qwen2:
      read_qwen2(config, m, false);
      break;
    case Family::qwen2_moe:
      read_qwen2(config, m, true);
      break;
    case Family::deepseek:
      read_deepseek(config, m);
      break;
    case Family::falcon:
      hf::read_falcon(config, m);
      break;
    case Family::gpt_neox:
      hf::read_gpt_neox(config, m);
      break;
    case Family::qwen3:
    case Family::qwen3_moe:
      hf::read_qwen3(config, m, family == Family::qwen3_moe);
      break;
    case Family::gpt_oss:
      hf::read_gpt_oss(config, m);
      break;
    case Family::gemma3:
      hf::read_gemma3(config.object("text_config"), m);
      break;
    case Family::gemma3_text:
      hf::read_gemma3(config, m);
      break;
    case Family::llama4:
      hf::read_llama4(config.object("text_config"), m);
      break;
    case Family::mistral3:
      hf::read_mistral(config.object("text_config"), m, false);
      break;
  }
  if (is_moe(m.spec)) {
    const std::string from = m.origin["intermediate_size"];
    record(m, "intermediate_size",
           moe_layer_count(m.spec) == m.spec.layers
               ? from + "; required by the format, but every layer here is MoE"
               : from + ": the dense MLP of the layers that are not MoE");
  }
  return m;
}

}  // namespace infersim

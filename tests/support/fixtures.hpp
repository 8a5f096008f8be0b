#pragma once
// Hand-written model and hardware specs for unit tests, typed in from the published sources named
// beside each, so that formula tests do not depend on the YAML loader.
#include <string>

#include "core/estimate.hpp"
#include "core/hardware_spec.hpp"
#include "core/model_spec.hpp"

namespace infersim::test {

inline std::string source_path(const std::string& relative) {
  return std::string(INFERSIM_SOURCE_DIR) + "/" + relative;
}

// meta-llama/Llama-2-7b-hf config.json: 32 layers, hidden 4096, 32 heads, MHA, ffn 11008, vocab 32000.
inline ModelSpec llama2_7b() {
  ModelSpec m;
  m.name = "llama-2-7b";
  m.layers = 32;
  m.hidden_size = 4096;
  m.attention_heads = 32;
  m.kv_heads = 32;
  m.head_dim = 128;
  m.intermediate_size = 11008;
  m.vocab_size = 32000;
  m.max_context = 4096;
  return m;
}

// mistralai/Mixtral-8x7B-v0.1 config.json: Llama-2-7B-like attention with 8 KV heads, 8 experts of
// 14336, top-2, vocab 32000.
inline ModelSpec mixtral_8x7b() {
  ModelSpec m = llama2_7b();
  m.kv_heads = 8;
  m.intermediate_size = 14336;
  m.max_context = 32768;
  m.moe = {8, 2, 14336, 0, 0, false, 0, 1};
  return m;
}

// NVIDIA A100 SXM4 80GB datasheet: 312 TFLOP/s bf16 dense, 19.5 fp32, 2.039 TB/s, 80 GiB. Efficiencies
// 1 and no launch cost: the ideal roofline, so tests can check against closed forms.
inline HardwareSpec ideal_a100() {
  HardwareSpec hw;
  hw.name = "ideal-a100";
  hw.peak_flops[static_cast<std::size_t>(index_of(PeakSlot::bf16))] = 312e12;
  hw.peak_flops[static_cast<std::size_t>(index_of(PeakSlot::fp32))] = 19.5e12;
  hw.memory_capacity_B = 80.0 * 1073741824.0;
  hw.memory_bandwidth_Bps = 2.039e12;
  return hw;
}

inline Scenario scenario(long long batch, long long input, long long output) {
  Scenario sc;
  sc.batch = batch;
  sc.input_tokens = input;
  sc.output_tokens = output;
  return sc;
}

}  // namespace infersim::test

#pragma once
// The quantization flags shared by every command that takes a scenario: storage formats, the compute
// dtype, presets and group-scale overrides. Explicit --weights/--activations/--kv beat the preset.
#include <CLI/CLI.hpp>
#include <string>

namespace infersim {

struct QuantOptions {
  std::string preset;       // "" or w4a16, w8a16, w8a8, fp8, nvfp4
  std::string weights;      // "" = from the preset, else bf16
  std::string activations;  // likewise
  std::string kv;
  std::string group_size;  // "" = the format's default
  std::string scale_dtype;
  std::string zero_point;  // "", on, off
  bool quantize_embeddings = false;
};

void add_quant_options(CLI::App& command, QuantOptions& o);

}  // namespace infersim

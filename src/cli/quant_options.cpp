#include "cli/quant_options.hpp"

#include <fmt/format.h>

#include "cli/cli_values.hpp"
#include "core/errors.hpp"

namespace infersim {

namespace {

struct Preset {
  const char* name;
  Dtype weights;
  Dtype activations;
};

// W4A16 and W8A16: weight-only (AWQ / GPTQ, Lin et al. 2024; Frantar et al. 2023); W8A8: SmoothQuant
// int8 (Xiao et al. 2023); fp8: weights and activations in e4m3 (KV stays 16-bit unless --kv fp8);
// nvfp4: NVFP4 weights and activations (Blackwell).
constexpr Preset kPresets[] = {{"w4a16", Dtype::int4, Dtype::bf16},
                               {"w8a16", Dtype::int8, Dtype::bf16},
                               {"w8a8", Dtype::int8, Dtype::int8},
                               {"fp8", Dtype::fp8, Dtype::fp8},
                               {"nvfp4", Dtype::nvfp4, Dtype::nvfp4}};

// Bits of one scale for --scale-dtype.
double scale_bits_flag(const std::string& text) {
  if (text == "fp32") return 32.0;
  if (text == "fp16" || text == "bf16") return 16.0;
  if (text == "fp8" || text == "e4m3" || text == "e8m0") return 8.0;
  throw InputError(
      fmt::format("--scale-dtype must be one of fp32, fp16, bf16, e4m3 (= fp8), e8m0, got '{}'", text));
}

}  // namespace

void add_quant_options(CLI::App& command, QuantOptions& o) {
  command.add_option("--quant", o.preset, "preset: w4a16, w8a16, w8a8, fp8 or nvfp4 (explicit dtypes win)")
      ->type_name("PRESET")
      ->check(CLI::IsMember({"w4a16", "w8a16", "w8a8", "fp8", "nvfp4"}));
  command
      .add_option("--weights", o.weights,
                  "weight storage: fp32 bf16 fp16 fp8 fp8_e5m2 int8 int4 nvfp4 mxfp4 [bf16]")
      ->type_name("DTYPE");
  command
      .add_option("--activations", o.activations, "compute dtype of the GEMMs; picks the compute roof [bf16]")
      ->type_name("DTYPE");
  command.add_option("--kv", o.kv, "KV-cache storage dtype [bf16]")->type_name("DTYPE");
  command.add_option("--group-size", o.group_size, "weights per quantization scale (int4 default 128)")
      ->type_name("N");
  command.add_option("--scale-dtype", o.scale_dtype, "dtype of the group scales: fp32 fp16 bf16 e4m3 e8m0")
      ->type_name("DTYPE");
  command.add_option("--zero-point", o.zero_point, "store a zero point per group (int4 default on)")
      ->check(CLI::IsMember({"on", "off"}));
  command.add_flag(
      "--quantize-embeddings", o.quantize_embeddings,
      "store embedding and LM head in the weight format too (default: 16-bit, as AWQ/GPTQ keep them)");
}

void apply_quant_options(const QuantOptions& o, Scenario& sc) {
  Dtype weights = Dtype::bf16;
  Dtype activations = Dtype::bf16;
  for (const Preset& p : kPresets) {
    if (o.preset == p.name) weights = p.weights, activations = p.activations;
  }
  if (!o.weights.empty()) weights = dtype_flag("--weights", o.weights);
  if (!o.activations.empty()) activations = dtype_flag("--activations", o.activations);
  sc.weights = default_storage_format(weights);
  sc.activations = activations;
  sc.kv = o.kv.empty() ? Dtype::bf16 : dtype_flag("--kv", o.kv);
  if (!o.group_size.empty())
    sc.weights.group_size = static_cast<int>(positive_integer_flag("--group-size", o.group_size, 1 << 20));
  if (!o.scale_dtype.empty()) sc.weights.scale_bits = scale_bits_flag(o.scale_dtype);
  if (!o.zero_point.empty())
    sc.weights.zero_point_bits = o.zero_point == "on" ? bits_per_element(weights) : 0.0;
  sc.quantize_embeddings = o.quantize_embeddings;
}

}  // namespace infersim

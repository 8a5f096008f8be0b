#include "cli/quant_options.hpp"

namespace infersim {

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

}  // namespace infersim

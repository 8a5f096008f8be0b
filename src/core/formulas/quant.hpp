#pragma once
// Stored size of quantized weight matrices, scales included. Source: docs/formulas.md#matrix_storage_bytes;
// Lin et al. 2024 (AWQ) and Frantar et al. 2023 (GPTQ) for int4 groups with fp16 scales and 4-bit
// zero points; Xiao et al. 2023 (SmoothQuant) for per-channel int8; the OCP Microscaling (MX) spec
// v1.0 for mxfp4 (32-element blocks, E8M0 scale); NVIDIA's NVFP4 (16-element blocks, E4M3 scale, one
// fp32 scale per tensor); NVIDIA Transformer Engine per-tensor fp8 scaling.
#include <cmath>

#include "core/dtype.hpp"

namespace infersim {

struct StorageFormat {
  Dtype dtype = Dtype::bf16;
  int group_size = 0;              // weights sharing one scale along the input dim; 0: one per output row
  double scale_bits = 0.0;         // 0: no per-group/per-row scales
  double zero_point_bits = 0.0;    // asymmetric formats store a zero point per group
  double tensor_scale_bits = 0.0;  // one scale per matrix

  friend bool operator==(const StorageFormat&, const StorageFormat&) = default;
};

// The layout each format is stored in by default (docs/formulas.md#matrix_storage_bytes).
[[nodiscard]] constexpr StorageFormat default_storage_format(Dtype d) {
  switch (d) {
    case Dtype::int4:
      return {d, 128, 16.0, 4.0, 0.0};  // AWQ/GPTQ: g128, fp16 scale, 4-bit zero
    case Dtype::int8:
      return {d, 0, 16.0, 0.0, 0.0};  // per-output-channel fp16 scale
    case Dtype::nvfp4:
      return {d, 16, 8.0, 0.0, 32.0};  // e4m3 block scale + fp32 per tensor
    case Dtype::mxfp4:
      return {d, 32, 8.0, 0.0, 0.0};  // E8M0 block scale
    case Dtype::fp8:
    case Dtype::fp8_e5m2:
      return {d, 0, 0.0, 0.0, 32.0};  // one fp32 scale per tensor
    default:
      return {d, 0, 0.0, 0.0, 0.0};
  }
}

// Bytes of an [in x out] weight matrix: in*out elements, plus per output row ceil(in/g) groups
// (1 when per-row) of scale + zero point, plus the per-tensor scale.
[[nodiscard]] inline double matrix_storage_bytes(double in, double out, const StorageFormat& f) {
  const double element_bits = in * out * bits_per_element(f.dtype);
  const double groups_per_row = f.group_size > 0 ? std::ceil(in / f.group_size) : 1.0;
  const double group_bits =
      f.scale_bits > 0.0 ? out * groups_per_row * (f.scale_bits + f.zero_point_bits) : 0.0;
  return (element_bits + group_bits + f.tensor_scale_bits) / 8.0;
}

// Effective bits per weight of a matrix, scales included (e.g. int4-g128 on a 4096-wide input:
// 4 + (16 + 4)/128 = 4.156).
[[nodiscard]] inline double effective_bits_per_weight(double in, double out, const StorageFormat& f) {
  return matrix_storage_bytes(in, out, f) * 8.0 / (in * out);
}

}  // namespace infersim

#pragma once
// Numeric formats: how many bytes an element takes when stored, and which peak the compute uses.
#include <array>
#include <optional>
#include <string_view>

namespace infersim {

enum class Dtype { fp32, tf32, bf16, fp16, fp8, int8, int4 };
inline constexpr int kDtypeCount = 7;
inline constexpr std::array<Dtype, kDtypeCount> kAllDtypes = {
    Dtype::fp32, Dtype::tf32, Dtype::bf16, Dtype::fp16, Dtype::fp8, Dtype::int8, Dtype::int4};

[[nodiscard]] constexpr int index_of(Dtype d) { return static_cast<int>(d); }

// Bytes per stored element. tf32 is a tensor-core compute mode whose operands are stored as fp32
// (NVIDIA A100 whitepaper, "TF32"), so it stores 4 bytes.
[[nodiscard]] constexpr double bytes_per_element(Dtype d) {
  switch (d) {
    case Dtype::fp32: return 4.0;
    case Dtype::tf32: return 4.0;
    case Dtype::bf16: return 2.0;
    case Dtype::fp16: return 2.0;
    case Dtype::fp8: return 1.0;
    case Dtype::int8: return 1.0;
    case Dtype::int4: return 0.5;
  }
  return 0.0;
}

// A storage format for weights or KV cache; tf32 is not one (it is stored as fp32).
[[nodiscard]] constexpr bool is_storage_format(Dtype d) { return d != Dtype::tf32; }

[[nodiscard]] std::string_view dtype_name(Dtype d);
[[nodiscard]] std::optional<Dtype> parse_dtype(std::string_view name);
// "fp32, tf32, bf16, fp16, fp8, int8, int4": for error messages.
[[nodiscard]] std::string_view dtype_choices();

}  // namespace infersim

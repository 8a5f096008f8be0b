#pragma once
// Numeric formats: how many bits an element takes when stored, and which hardware peak a GEMM that
// computes in it runs at. Block-scaled formats (nvfp4, mxfp4) and group-quantized integers carry their
// scales separately (formulas/quant.hpp).
#include <array>
#include <optional>
#include <string_view>

namespace infersim {

enum class Dtype { fp32, tf32, bf16, fp16, fp8, fp8_e5m2, int8, int4, nvfp4, mxfp4 };
inline constexpr int kDtypeCount = 10;
inline constexpr std::array<Dtype, kDtypeCount> kAllDtypes = {
    Dtype::fp32,     Dtype::tf32, Dtype::bf16, Dtype::fp16,  Dtype::fp8,
    Dtype::fp8_e5m2, Dtype::int8, Dtype::int4, Dtype::nvfp4, Dtype::mxfp4};

// The peaks a spec sheet lists: one per tensor-core rate. fp8 covers e4m3 and e5m2 (same rate on
// Hopper, NVIDIA H100 datasheet); fp4 covers nvfp4 and mxfp4 (Blackwell).
enum class PeakSlot { fp32, tf32, bf16, fp16, fp8, int8, int4, fp4 };
inline constexpr int kPeakSlotCount = 8;
inline constexpr std::array<PeakSlot, kPeakSlotCount> kAllPeakSlots = {
    PeakSlot::fp32, PeakSlot::tf32, PeakSlot::bf16, PeakSlot::fp16,
    PeakSlot::fp8,  PeakSlot::int8, PeakSlot::int4, PeakSlot::fp4};

[[nodiscard]] constexpr int index_of(Dtype d) { return static_cast<int>(d); }
[[nodiscard]] constexpr int index_of(PeakSlot p) { return static_cast<int>(p); }

[[nodiscard]] constexpr PeakSlot peak_slot(Dtype d) {
  switch (d) {
    case Dtype::fp32:
      return PeakSlot::fp32;
    case Dtype::tf32:
      return PeakSlot::tf32;
    case Dtype::bf16:
      return PeakSlot::bf16;
    case Dtype::fp16:
      return PeakSlot::fp16;
    case Dtype::fp8:
    case Dtype::fp8_e5m2:
      return PeakSlot::fp8;
    case Dtype::int8:
      return PeakSlot::int8;
    case Dtype::int4:
      return PeakSlot::int4;
    case Dtype::nvfp4:
    case Dtype::mxfp4:
      return PeakSlot::fp4;
  }
  return PeakSlot::fp32;
}

// Bits of one stored element, scales excluded. tf32 is a tensor-core compute mode whose operands are
// stored as fp32 (NVIDIA A100 whitepaper, "TF32"). fp8: Micikevicius et al. 2022; nvfp4 / mxfp4:
// 4-bit E2M1 elements (OCP Microscaling spec v1.0; NVIDIA Blackwell NVFP4).
[[nodiscard]] constexpr double bits_per_element(Dtype d) {
  switch (d) {
    case Dtype::fp32:
    case Dtype::tf32:
      return 32.0;
    case Dtype::bf16:
    case Dtype::fp16:
      return 16.0;
    case Dtype::fp8:
    case Dtype::fp8_e5m2:
    case Dtype::int8:
      return 8.0;
    case Dtype::int4:
    case Dtype::nvfp4:
    case Dtype::mxfp4:
      return 4.0;
  }
  return 0.0;
}

[[nodiscard]] constexpr double bytes_per_element(Dtype d) { return bits_per_element(d) / 8.0; }

// A storage format for weights or KV cache; tf32 is not one (it is stored as fp32).
[[nodiscard]] constexpr bool is_storage_format(Dtype d) { return d != Dtype::tf32; }

[[nodiscard]] std::string_view dtype_name(Dtype d);
[[nodiscard]] std::optional<Dtype> parse_dtype(std::string_view name);
[[nodiscard]] std::string_view dtype_choices();  // for error messages
[[nodiscard]] std::string_view peak_slot_name(PeakSlot p);

}  // namespace infersim

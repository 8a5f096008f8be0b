#include "core/dtype.hpp"

namespace infersim {

namespace {
constexpr std::array<std::string_view, kDtypeCount> kNames = {"fp32",     "tf32", "bf16", "fp16",  "fp8",
                                                              "fp8_e5m2", "int8", "int4", "nvfp4", "mxfp4"};
constexpr std::array<std::string_view, kPeakSlotCount> kPeakNames = {"fp32", "tf32", "bf16", "fp16",
                                                                     "fp8",  "int8", "int4", "fp4"};
}  // namespace

std::string_view dtype_name(Dtype d) { return kNames[static_cast<std::size_t>(index_of(d))]; }
std::string_view peak_slot_name(PeakSlot p) { return kPeakNames[static_cast<std::size_t>(index_of(p))]; }

std::optional<Dtype> parse_dtype(std::string_view name) {
  if (name == "fp8_e4m3") return Dtype::fp8;  // the long name of the default fp8 flavour
  for (Dtype d : kAllDtypes) {
    if (dtype_name(d) == name) return d;
  }
  return std::nullopt;
}

std::string_view dtype_choices() {
  return "fp32, tf32, bf16, fp16, fp8 (= fp8_e4m3), fp8_e5m2, int8, int4, nvfp4, mxfp4";
}

}  // namespace infersim

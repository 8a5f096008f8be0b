#include "core/dtype.hpp"

namespace infersim {

namespace {
constexpr std::array<std::string_view, kDtypeCount> kNames = {"fp32", "tf32", "bf16", "fp16",
                                                              "fp8",  "int8", "int4"};
}

std::string_view dtype_name(Dtype d) { return kNames[static_cast<std::size_t>(index_of(d))]; }

std::optional<Dtype> parse_dtype(std::string_view name) {
  for (Dtype d : kAllDtypes) {
    if (dtype_name(d) == name) return d;
  }
  return std::nullopt;
}

std::string_view dtype_choices() { return "fp32, tf32, bf16, fp16, fp8, int8, int4"; }

}  // namespace infersim

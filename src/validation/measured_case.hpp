#pragma once
// One timed kernel case as every reference runner reports it (a row of the measured CSV):
// case, family, device, dtype, shape, flops, bytes, measured_s, repeats, spread. Plain data, shared by
// the runners (src/ref, a CUDA runner elsewhere), the CSV reader and the kernel predictor.
#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace infersim {

enum class KernelFamily {
  gemm,
  gemv,
  attention_decode,
  attention_prefill,
  norm,
  mlp,
  stream,
  model_prefill,
  model_decode
};

inline constexpr std::array<std::string_view, 9> kKernelFamilyNames = {
    "gemm", "gemv",   "attention_decode", "attention_prefill", "norm",
    "mlp",  "stream", "model_prefill",    "model_decode"};

[[nodiscard]] constexpr std::string_view family_name(KernelFamily family) {
  return kKernelFamilyNames[static_cast<std::size_t>(family)];
}

[[nodiscard]] constexpr std::optional<KernelFamily> parse_family(std::string_view name) {
  for (std::size_t i = 0; i < kKernelFamilyNames.size(); ++i)
    if (kKernelFamilyNames[i] == name) return static_cast<KernelFamily>(i);
  return std::nullopt;
}

// The value of `key` in a shape column "k=v;k=v", or none.
[[nodiscard]] constexpr std::optional<std::string_view> shape_value(std::string_view shape,
                                                                    std::string_view key) {
  while (!shape.empty()) {
    const std::size_t end = shape.find(';');
    const std::string_view item = shape.substr(0, end);
    const std::size_t eq = item.find('=');
    if (eq != std::string_view::npos && item.substr(0, eq) == key) return item.substr(eq + 1);
    if (end == std::string_view::npos) break;
    shape.remove_prefix(end + 1);
  }
  return std::nullopt;
}

struct MeasuredRow {
  std::string case_name;
  KernelFamily family = KernelFamily::gemm;
  std::string device;  // e.g. "cpu-haswell-2t"
  std::string dtype;   // e.g. "fp32"
  std::string shape;   // "key=value;key=value", e.g. "m=2048;n=2048;k=2048"
  double flops = 0.0;
  double bytes = 0.0;
  double measured_s = 0.0;  // median
  int repeats = 0;
  double spread = 0.0;  // (max - min) / median

  bool operator==(const MeasuredRow&) const = default;
};

}  // namespace infersim

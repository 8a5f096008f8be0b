#pragma once
// hardware_profiles/NAME.yaml -> a validated HardwareSpec in SI units (format: docs/formats.md).
// The only place where the profile's units (TFLOPS, TBps, GiB, GB, µs) become SI. Throws ConfigError.
#include <string>

#include "core/hardware_spec.hpp"

namespace infersim {

[[nodiscard]] HardwareSpec load_hardware(const std::string& path);
// The same from text already in memory (fuzzing, importers): `path` names it in messages and its
// stem becomes the name.
[[nodiscard]] HardwareSpec load_hardware_text(const std::string& text, const std::string& path);

}  // namespace infersim

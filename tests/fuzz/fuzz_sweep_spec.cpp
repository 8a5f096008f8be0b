// libFuzzer target: any bytes given to the sweep-spec loader either load or raise InputError (exit 2 in
// the CLI). Any other exception, a crash, a sanitizer report, a hang or a runaway allocation is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "io/sweep/sweep_spec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)infersim::load_sweep_spec_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  } catch (const infersim::InputError&) {
  }
  return 0;
}

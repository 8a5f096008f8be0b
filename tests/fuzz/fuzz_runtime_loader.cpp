// libFuzzer target: any bytes given to the runtime-profile loader either load or raise InputError (exit 2 in
// the CLI). Any other exception, a crash, a sanitizer report or a hang is a bug; libFuzzer reports it.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "io/config/runtime_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    (void)infersim::load_runtime_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  } catch (const infersim::InputError&) {
  }
  return 0;
}

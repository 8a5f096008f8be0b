// libFuzzer target: any bytes given to the Hugging Face importer as a config.json either convert to a
// model YAML that the model loader accepts, or raise InputError (exit 2 in the CLI). Any other
// exception, a crash, a sanitizer report or a hang is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/errors.hpp"
#include "io/config/model_loader.hpp"
#include "io/hf/hf_import.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string yaml;
  try {
    yaml = infersim::hf_config_to_yaml(std::string(reinterpret_cast<const char*>(data), size),
                                       {"fuzz/config.json", "fuzz"});
  } catch (const infersim::InputError&) {
    return 0;
  }
  // The importer promises YAML that the loader reads (it checks with the loader before returning), so
  // an InputError here is an importer bug: it escapes and libFuzzer reports it.
  (void)infersim::load_model_text(yaml, "fuzz.yaml");
  return 0;
}

// libFuzzer target: any bytes given to the serving trace reader either read as requests or raise
// InputError (exit 2 in the CLI). Any other exception, a crash, a sanitizer report, a hang or a runaway
// allocation is a bug. Every request it returns must hold the reader's promises.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/errors.hpp"
#include "io/serving/trace_csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    auto reader =
        infersim::TraceReader::from_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.csv");
    double last = 0.0;
    while (const auto r = reader.next()) {
      const bool ok = r->arrival_s >= last && r->input_tokens >= 1 && r->output_tokens >= 1 &&
                      r->prefix_tokens >= 0 && r->prefix_tokens <= r->input_tokens;
      if (!ok) std::abort();
      last = r->arrival_s;
    }
  } catch (const infersim::InputError&) {
  }
  return 0;
}

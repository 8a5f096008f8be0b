#pragma once
// runtime_profiles/NAME.yaml -> a validated RuntimeProfile in SI units (core/runtime_profile.hpp).
// Keys: description, source (text), step_overhead_us, host_launch_us (microseconds, >= 0), optional terms
// (docs/formats.md). `base: NAME` starts from the profile NAME (NAME.yaml beside it, else on the search path;
// a chain of bases 8 deep at most): every key given replaces the base's, a scheduler: block whole. Unknown
// or missing keys, and values out of range, throw ConfigError naming the file, the line and the key.
#include <string>
#include <string_view>
#include <vector>

#include "core/runtime_profile.hpp"
#include "io/config/search_path.hpp"

namespace infersim {

// A base is looked for beside the profile only.
[[nodiscard]] RuntimeProfile load_runtime(const std::string& path);
// A base is looked for beside the profile, else through `search` (--config-dir, the shipped profiles), so
// that a profile of the user's own may start from a shipped one.
[[nodiscard]] RuntimeProfile load_runtime(const std::string& path, const SearchPath& search);
// The same from text already in memory; `path` names it in messages and its stem becomes the name.
[[nodiscard]] RuntimeProfile load_runtime_text(const std::string& text, const std::string& path);

class YamlMap;
// `key` of `y`: CUDA-graph batch sizes a decode batch pads to, a list of 1 to 64 integers in ascending order,
// each from 1 to 10,000,000 (docs/formulas.md#cuda_graph_padding). A runtime profile's scheduler and the
// published rows' mapping read it alike.
[[nodiscard]] std::vector<long long> graph_padding_sizes(YamlMap& y, std::string_view key);

// The scheduler a static command (capacity, plan, report) serves its configuration with: `runtime`'s own
// scheduler: block, else vllm's (runtime_profiles/vllm.yaml, found on `search`), whose profile name is
// returned beside it. `runtime` keeps giving the host terms either way.
struct NamedScheduler {
  std::string runtime;
  SchedulerLimits limits;
};
[[nodiscard]] NamedScheduler scheduler_or_vllm(const RuntimeProfile& runtime, const SearchPath& search);

}  // namespace infersim

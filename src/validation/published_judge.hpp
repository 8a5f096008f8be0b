#pragma once
// `infersim validate --published` without its files: every published row, mapped to a configuration
// at the io edge (io/published/row_mapping.hpp), estimated with its runtime profile and compared with
// the published figure. The shipped model, hardware and runtime files a mapping names come from
// callables, so the file loading stays in io/; each name is asked for once.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "core/hardware_spec.hpp"
#include "core/model_spec.hpp"
#include "core/runtime_profile.hpp"
#include "validation/published.hpp"

namespace infersim {

// Each loads a shipped file by name and throws InputError when it cannot.
struct PublishedSources {
  std::function<ModelSpec(const std::string& name)> model;
  std::function<HardwareSpec(const std::string& name)> hardware;
  std::function<RuntimeProfile(const std::string& name)> runtime;
};

// The mapped cases, in order, judged: a mapped one is estimated (predicted, rel_error, fits); one the
// mapping did not map stays as it is, with its reason. A mapped configuration the engine rejects
// becomes unmapped with the engine's reason. A model, hardware or runtime file that cannot be loaded
// is an error of its own and propagates (the loader's message, exit 2).
// `progress`, when given, is called after each case with the cases judged so far and their total (a
// progress bar's feed: the serving rows take most of the time).
using JudgeProgress = std::function<void(std::size_t judged, std::size_t total)>;
[[nodiscard]] std::vector<PublishedCase> judge_published(std::vector<PublishedCase> mapped,
                                                         const PublishedSources& sources,
                                                         const JudgeProgress& progress = {});

}  // namespace infersim

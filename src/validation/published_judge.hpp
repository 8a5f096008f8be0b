#pragma once
// `infersim validate --published` without its files: every published row mapped to a configuration
// (validation/published.hpp), estimated with its runtime profile and compared with the published
// figure. The shipped model, hardware and runtime files a mapping names come from callables, so the
// file loading stays in io/; each name is asked for once.
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

// One case per row, in order. A row the mapping does not map stays unmapped with its reason; a mapped
// row whose model or hardware cannot be loaded, or whose configuration the engine rejects, becomes
// unmapped with the error. A runtime profile that cannot be loaded is an error of the mapping itself
// and propagates.
[[nodiscard]] std::vector<PublishedCase> judge_published(const std::vector<PublishedRow>& rows,
                                                         const PublishedMapping& mapping,
                                                         const PublishedSources& sources);

}  // namespace infersim

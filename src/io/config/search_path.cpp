#include "io/config/search_path.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>

#include "core/errors.hpp"
#include "io/config/close_matches.hpp"
#include "io/config/config_error.hpp"
#include "io/output/output_guard.hpp"
#include "io/text/escape.hpp"

#ifndef INFERSIM_SOURCE_DATA_DIR
#define INFERSIM_SOURCE_DATA_DIR ""
#endif
#ifndef INFERSIM_INSTALL_DATA_DIR
#define INFERSIM_INSTALL_DATA_DIR ""
#endif

namespace fs = std::filesystem;

namespace infersim {

bool looks_like_path(const std::string& name_or_path) {
  const fs::path p(name_or_path);
  return name_or_path.find('/') != std::string::npos || p.extension() == ".yaml" || p.extension() == ".yml";
}

SearchPath::SearchPath(const std::string& config_dir, const std::string& env_path) {
  for (const std::string& dir :
       {config_dir, env_path, std::string("."), std::string(INFERSIM_SOURCE_DATA_DIR),
        std::string(INFERSIM_INSTALL_DATA_DIR)}) {
    if (!dir.empty() && std::find(dirs_.begin(), dirs_.end(), dir) == dirs_.end()) dirs_.push_back(dir);
  }
}

namespace {

// Throws unless `path` is a directory that can be listed; `source` says where the path came from.
void check_directory(const char* source, const std::string& path) {
  if (path.empty()) throw InputError(fmt::format("{} is empty: it must name a directory", source));
  std::error_code ec;
  const fs::directory_iterator listing(path, ec);
  if (!ec) return;
  std::string why = ec.message();
  if (!why.empty()) why[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(why[0])));
  throw InputError(fmt::format("{} '{}' is not a readable directory: {}", source, excerpt(path), why));
}

}  // namespace

SearchPath SearchPath::from_user(const std::string& config_dir, const char* env_path) {
  if (!config_dir.empty()) check_directory("--config-dir", config_dir);
  if (env_path != nullptr) check_directory("$INFERSIM_PATH", env_path);
  return SearchPath(config_dir, env_path != nullptr ? env_path : "");
}

namespace {

// What a resolved file is called in an output's error ("output 'x' is the input model file 'y'").
const char* input_description(const std::string& kind_dir) {
  return kind_dir == "model_configs"          ? "model file"
         : kind_dir == "hardware_profiles"    ? "hardware profile"
         : kind_dir == "runtime_profiles"     ? "runtime profile"
         : kind_dir == "validation/published" ? "published mapping"
                                              : "file";
}

}  // namespace

std::optional<std::string> SearchPath::find_file(const std::string& kind_dir, const std::string& name) const {
  if (kind_dir == "model_configs" && name == kModelAliasStem) return std::nullopt;  // not a model
  for (const std::string& dir : dirs_) {
    const fs::path candidate = fs::path(dir) / kind_dir / (name + ".yaml");
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return std::nullopt;
}

std::vector<ModelAlias> SearchPath::model_aliases() const {
  std::vector<ModelAlias> all;
  for (const std::string& dir : dirs_) {
    const fs::path table = fs::path(dir) / "model_configs" / (std::string(kModelAliasStem) + ".yaml");
    std::error_code ec;
    if (!fs::is_regular_file(table, ec)) continue;
    for (ModelAlias& a : load_model_aliases(table.string())) {
      const bool known = std::any_of(all.begin(), all.end(),
                                     [&a](const ModelAlias& b) { return alias_matches(b.alias, a.alias); });
      if (!known) all.push_back(std::move(a));
    }
  }
  return all;
}

// The model file an alias names; none when no table names `name`.
std::optional<std::string> SearchPath::resolve_alias(const std::string& name) const {
  for (const ModelAlias& a : model_aliases()) {
    if (!alias_matches(a.alias, name)) continue;
    record_input(a.file, "model alias table");
    if (auto path = find_file("model_configs", a.model)) {
      record_input(*path, input_description("model_configs"));
      return path;
    }
    throw ConfigError(a.file, a.mark,
                      fmt::format("alias '{}' names model '{}', which is not found (looked for "
                                  "model_configs/{}.yaml in: {})",
                                  excerpt(a.alias), excerpt(a.model), excerpt(a.model),
                                  terminal_text(fmt::format("{}", fmt::join(dirs_, ", ")))));
  }
  return std::nullopt;
}

// A name like a Hugging Face repository ("org/Model") that is neither a file nor an alias.
void SearchPath::unknown_alias(const std::string& name) const {
  std::vector<std::string> names;
  for (const ModelAlias& a : model_aliases()) names.push_back(a.alias);
  const std::vector<std::string> close = close_matches(name, names);
  throw InputError(fmt::format(
      "unknown model '{}': no such file, and no alias of that name{} (`infersim list "
      "models` lists the models and their aliases)",
      excerpt(name), close.empty() ? "" : fmt::format("; did you mean {}?", fmt::join(close, ", "))));
}

std::string SearchPath::resolve(const std::string& kind_dir, const std::string& name_or_path) const {
  const bool models = kind_dir == "model_configs";
  // Recorded as an input before it is read: no output of the command may overwrite it.
  if (looks_like_path(name_or_path)) {
    std::error_code ec;
    const std::string extension = fs::path(name_or_path).extension().string();
    if (models && !fs::exists(name_or_path, ec)) {
      if (auto path = resolve_alias(name_or_path)) return *path;
      if (extension != ".yaml" && extension != ".yml") unknown_alias(name_or_path);
    }
    record_input(name_or_path, input_description(kind_dir));
    return name_or_path;
  }
  if (auto path = find_file(kind_dir, name_or_path)) {
    record_input(*path, input_description(kind_dir));
    return *path;
  }
  if (models) {
    if (auto path = resolve_alias(name_or_path)) return *path;
  }
  std::vector<std::string> known;
  for (const NamedFile& f : list(kind_dir)) known.push_back(f.name);
  std::vector<std::string> candidates = known;
  if (models) {
    for (const ModelAlias& a : model_aliases()) candidates.push_back(a.alias);
  }
  const std::string what = models ? "model" : kind_dir == "runtime_profiles" ? "runtime profile" : "hardware";
  const std::vector<std::string> close = close_matches(name_or_path, candidates);
  const std::string hint = !close.empty()  ? fmt::format("did you mean {}?", fmt::join(close, ", "))
                           : known.empty() ? std::string("no names are known")
                                           : fmt::format("known: {}", fmt::join(known, ", "));
  throw InputError(fmt::format(
      "unknown {} '{}': {} (looked for {}/NAME.yaml in: {}; `infersim list {}` lists them)", what,
      excerpt(name_or_path), hint, kind_dir, terminal_text(fmt::format("{}", fmt::join(dirs_, ", "))),
      what == "model"      ? "models"
      : what == "hardware" ? "hardware"
                           : "runtimes"));
}

std::vector<NamedFile> SearchPath::list(const std::string& kind_dir) const {
  std::vector<NamedFile> files;
  std::set<std::string> seen;
  for (const std::string& dir : dirs_) {
    std::error_code ec;
    fs::directory_iterator it(fs::path(dir) / kind_dir, ec);
    if (ec) continue;
    for (const fs::directory_entry& entry : it) {
      if (entry.path().extension() != ".yaml" || !entry.is_regular_file(ec)) continue;
      const std::string name = entry.path().stem().string();
      if (kind_dir == "model_configs" && name == kModelAliasStem) continue;  // the alias table
      if (seen.insert(name).second) files.push_back({name, entry.path().string()});
    }
  }
  std::sort(files.begin(), files.end(),
            [](const NamedFile& a, const NamedFile& b) { return a.name < b.name; });
  return files;
}

}  // namespace infersim

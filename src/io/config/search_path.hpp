#pragma once
// Where shipped model and hardware files are found, in order: --config-dir DIR, then $INFERSIM_PATH
// (one directory), then the working directory, then the data directories compiled in (the source
// tree and the install prefix). A name containing '/' or ending in .yaml/.yml is a path and is used
// as it is. The directories the user names must be readable directories (SearchPath::from_user).
// Models also resolve through the alias tables (model_configs/aliases.yaml, io/config/model_aliases.hpp)
// of the same directories, the first table naming an alias winning: a plain name that is no file, or a
// path that does not exist (a Hugging Face name, "org/Model"), is looked up there; an existing file
// always wins over an alias.
#include <optional>
#include <string>
#include <vector>

#include "io/config/model_aliases.hpp"

namespace infersim {

struct NamedFile {
  std::string name;  // file stem
  std::string path;
};

class SearchPath {
 public:
  // config_dir: the --config-dir value ("" when not given); env_path: $INFERSIM_PATH or "".
  SearchPath(const std::string& config_dir, const std::string& env_path);
  // The same, checked: a --config-dir given (not "") and a $INFERSIM_PATH set (env_path not null),
  // even to "", must each name a directory that can be listed, else InputError naming the flag or
  // variable and the path. Never falls back to the next directory in their place.
  [[nodiscard]] static SearchPath from_user(const std::string& config_dir, const char* env_path);

  // kind_dir is "model_configs" or "hardware_profiles". Throws InputError naming the places looked
  // in and up to three close names ("did you mean"), or every known name when none is close.
  [[nodiscard]] std::string resolve(const std::string& kind_dir, const std::string& name_or_path) const;
  // Every NAME.yaml under kind_dir in the search path, the first directory winning, sorted by name.
  // The alias table is not listed among the models.
  [[nodiscard]] std::vector<NamedFile> list(const std::string& kind_dir) const;
  // Every alias of every table in the search path, the first directory winning; ConfigError for a
  // malformed table.
  [[nodiscard]] std::vector<ModelAlias> model_aliases() const;
  [[nodiscard]] const std::vector<std::string>& directories() const { return dirs_; }

 private:
  [[nodiscard]] std::optional<std::string> find_file(const std::string& kind_dir,
                                                     const std::string& name) const;
  [[nodiscard]] std::optional<std::string> resolve_alias(const std::string& name) const;
  [[noreturn]] void unknown_alias(const std::string& name) const;

  std::vector<std::string> dirs_;
};

[[nodiscard]] bool looks_like_path(const std::string& name_or_path);

}  // namespace infersim

#pragma once
// Where shipped model and hardware files are found, in order: --config-dir DIR, then $INFERSIM_PATH
// (one directory), then the working directory, then the data directories compiled in (the source
// tree and the install prefix). A name containing '/' or ending in .yaml/.yml is a path and is used
// as it is. The directories the user names must be readable directories (SearchPath::from_user).
#include <string>
#include <vector>

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
  [[nodiscard]] std::vector<NamedFile> list(const std::string& kind_dir) const;
  [[nodiscard]] const std::vector<std::string>& directories() const { return dirs_; }

 private:
  std::vector<std::string> dirs_;
};

[[nodiscard]] bool looks_like_path(const std::string& name_or_path);

}  // namespace infersim

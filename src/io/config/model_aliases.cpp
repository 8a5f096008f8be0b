#include "io/config/model_aliases.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "io/config/yaml_map.hpp"

namespace infersim {

namespace {

constexpr std::size_t kMaxName = 200;

bool is_model_name(std::string_view name) {
  return !name.empty() && name.size() <= kMaxName && name != kModelAliasStem &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
         });
}

bool is_alias_text(std::string_view name) {
  return !name.empty() && name.size() <= kMaxName && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isgraph(static_cast<unsigned char>(c)) != 0;
  });
}

}  // namespace

bool alias_matches(std::string_view alias, std::string_view typed) {
  return alias.size() == typed.size() &&
         std::equal(alias.begin(), alias.end(), typed.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

std::vector<ModelAlias> load_model_aliases(const std::string& path) {
  return load_model_aliases_text(read_config_file(path), path);
}

std::vector<ModelAlias> load_model_aliases_text(const std::string& text, const std::string& path) {
  const YAML::Node root = parse_yaml_mapping(text, path);
  std::vector<ModelAlias> aliases;
  for (const auto& entry : root) {
    const SourceMark key_mark = YamlMap::mark_of(entry.first);
    if (!entry.first.IsScalar() || !is_alias_text(entry.first.Scalar())) {
      throw ConfigError(
          path, key_mark,
          fmt::format("an alias must be a name of 1 to {} printable characters without spaces", kMaxName));
    }
    const std::string alias = entry.first.Scalar();
    const SourceMark value_mark = YamlMap::mark_of(entry.second);
    if (!entry.second.IsScalar() || !is_model_name(entry.second.Scalar())) {
      throw ConfigError(path, value_mark,
                        fmt::format("'{}' must be a model name (lower-case letters, digits, '.', '-', '_': "
                                    "a file stem in model_configs/), got {}",
                                    excerpt(alias),
                                    entry.second.IsScalar() ? "'" + excerpt(entry.second.Scalar()) + "'"
                                                            : std::string("no single name")));
    }
    for (const ModelAlias& earlier : aliases) {
      if (alias_matches(earlier.alias, alias)) {
        throw ConfigError(path, key_mark,
                          fmt::format("duplicate alias '{}' (first at line {}; aliases are compared without "
                                      "regard to case)",
                                      excerpt(alias), earlier.mark.line + 1));
      }
    }
    aliases.push_back({alias, entry.second.Scalar(), path, value_mark});
  }
  return aliases;
}

}  // namespace infersim

#pragma once
// Checked reading of one YAML mapping: the constructor rejects duplicate keys and keys outside the
// declared set (a typo must not silently fall back to a default), every getter validates type and
// range and throws ConfigError naming the file, the line and the key. yaml-cpp stays inside io/.
#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "io/config/config_error.hpp"

namespace infersim {

// The whole text of a configuration file. Throws ConfigError for a missing or unreadable file, a
// directory, device, pipe or socket, or a file over kMaxConfigBytes (io/config/yaml_screen.hpp).
[[nodiscard]] std::string read_config_file(const std::string& path);
// Screens `text` (io/config/yaml_screen.hpp: size, UTF-8, anchors, depth) and parses it; the top level must
// be a mapping and there must be one document. `name` is the file name used in messages.
[[nodiscard]] YAML::Node parse_yaml_mapping(const std::string& text, const std::string& name);
// read_config_file + parse_yaml_mapping.
[[nodiscard]] YAML::Node load_yaml_mapping(const std::string& path);

class YamlMap {
 public:
  // context: "" at top level, "efficiency." for a nested mapping (prefixes key names in messages).
  YamlMap(YAML::Node node, std::string file, std::string context,
          std::initializer_list<std::string_view> known_keys)
      : YamlMap(std::move(node), std::move(file), std::move(context),
                std::span<const std::string_view>(known_keys.begin(), known_keys.size())) {}
  YamlMap(YAML::Node node, std::string file, std::string context,
          std::span<const std::string_view> known_keys);

  [[nodiscard]] bool has(std::string_view key) const;
  [[nodiscard]] bool is_mapping(std::string_view key) const;  // present and a mapping
  [[nodiscard]] long long integer(std::string_view key, long long min, long long max);
  [[nodiscard]] std::optional<long long> optional_integer(std::string_view key, long long min, long long max);
  // A real number in (min_exclusive, max]: positive quantities pass min_exclusive = 0.
  [[nodiscard]] double real(std::string_view key, double min_exclusive, double max);
  [[nodiscard]] std::optional<double> optional_real(std::string_view key, double min_exclusive, double max);
  // A real number in [0, max]: durations and reserves that may be zero.
  [[nodiscard]] double nonnegative_real(std::string_view key, double max);
  [[nodiscard]] std::string text(std::string_view key);
  [[nodiscard]] bool boolean(std::string_view key);
  // One of `choices`; returns its index.
  [[nodiscard]] int choice(std::string_view key, std::initializer_list<std::string_view> choices);
  [[nodiscard]] YamlMap mapping(std::string_view key, std::initializer_list<std::string_view> known_keys) {
    return mapping(key, std::span<const std::string_view>(known_keys.begin(), known_keys.size()));
  }
  [[nodiscard]] YamlMap mapping(std::string_view key, std::span<const std::string_view> known_keys);
  [[nodiscard]] YAML::Node sequence(std::string_view key);
  // The names of the keys of the mapping at `key`, in file order, for a mapping whose keys are names the
  // caller checks itself (hardware profile names, say) rather than a fixed set; `expected` says what the
  // mapping should hold when it is not one.
  [[nodiscard]] std::vector<std::string> mapping_keys(std::string_view key, const std::string& expected);
  // `key` qualified by the mapping it is in, as messages name it ("moe.experts").
  [[nodiscard]] std::string qualified(std::string_view key) const;

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] SourceMark mark() const;
  // Where the value of `key` stands (the mapping's own mark when the key is absent).
  [[nodiscard]] SourceMark mark(std::string_view key) const;
  [[nodiscard]] static SourceMark mark_of(const YAML::Node& node);

 private:
  [[nodiscard]] YAML::Node child(std::string_view key);  // marks the key as read; throws when missing
  [[noreturn]] void fail(const YAML::Node& at, std::string_view key, const std::string& expected) const;

  YAML::Node node_;
  std::string file_;
  std::string context_;
};

}  // namespace infersim

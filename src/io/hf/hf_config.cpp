#include "io/hf/hf_config.hpp"

#include <fmt/format.h>

#include "io/config/strict_number.hpp"
#include "io/config/yaml_map.hpp"
#include "io/config/yaml_screen.hpp"

namespace infersim {

namespace {

// yaml-cpp tags a quoted scalar "!" and a plain one "?": a JSON string is never a number or a bool.
bool is_json_string(const YAML::Node& node) { return node.IsScalar() && node.Tag() == "!"; }

std::string shown(const YAML::Node& node) {
  if (node.IsMap()) return "an object";
  if (node.IsSequence()) return "a list";
  const std::string text = excerpt(node.Scalar());
  return is_json_string(node) ? "\"" + text + "\"" : text;
}

}  // namespace

HfConfig::HfConfig(const std::string& json_text, std::string file) : file_(std::move(file)) {
  screen_yaml_text(json_text, file_);  // size, control characters, nesting depth
  try {
    root_ = YAML::Load(json_text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(file_, {e.mark.line, e.mark.column}, "invalid JSON: " + excerpt(e.msg));
  }
  // A YAML block mapping parses too; config.json is always one JSON object, `{ ... }`.
  if (!root_.IsMap() || root_.Style() != YAML::EmitterStyle::Flow) {
    throw ConfigError(file_, YamlMap::mark_of(root_),
                      "not a JSON object: a config.json is one `{ ... }` object");
  }
}

YAML::Node HfConfig::value(std::string_view key) const {
  const YAML::Node& root = root_;  // const: operator[] must not insert the key
  const YAML::Node node = root[std::string(key)];
  return node && !node.IsNull() ? node : YAML::Node(YAML::NodeType::Undefined);
}

bool HfConfig::has(std::string_view key) const { return value(key).IsDefined(); }

bool HfConfig::written(std::string_view key) const {
  const YAML::Node& root = root_;
  return static_cast<bool>(root[std::string(key)]);
}

SourceMark HfConfig::mark(std::string_view key) const {
  const YAML::Node node = value(key);
  return YamlMap::mark_of(node.IsDefined() ? node : root_);
}

void HfConfig::fail(std::string_view key, const std::string& message) const {
  throw ConfigError(file_, mark(key), message);
}

YAML::Node HfConfig::required(std::string_view key) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined()) {
    const std::string needed_by = architecture_.empty() ? "" : fmt::format(" (needed for {})", architecture_);
    fail(key, fmt::format("missing required key '{}'{}", key, needed_by));
  }
  return node;
}

std::string HfConfig::scalar(const YAML::Node& node, std::string_view key, std::string_view expected) const {
  if (!node.IsScalar() || is_json_string(node)) {
    fail(key, fmt::format("'{}' must be {}, got {}", key, expected, shown(node)));
  }
  return node.Scalar();
}

long long HfConfig::integer(std::string_view key, long long min, long long max) const {
  const std::string expected = fmt::format("an integer in [{}, {}]", min, max);
  const YAML::Node node = required(key);
  const auto number = parse_integer(scalar(node, key, expected));
  if (!number || *number < min || *number > max) {
    fail(key, fmt::format("'{}' must be {}, got {}", key, expected, shown(node)));
  }
  return *number;
}

std::optional<long long> HfConfig::optional_integer(std::string_view key, long long min) const {
  if (!has(key)) return std::nullopt;
  return integer(key, min);
}

std::optional<double> HfConfig::optional_real(std::string_view key) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined()) return std::nullopt;
  const auto number = parse_real(scalar(node, key, "a number"));
  if (!number) fail(key, fmt::format("'{}' must be a number, got {}", key, shown(node)));
  return number;
}

bool HfConfig::flag(std::string_view key, bool fallback) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined()) return fallback;
  const std::string text = scalar(node, key, "true or false");
  if (text != "true" && text != "false")
    fail(key, fmt::format("'{}' must be true or false, got {}", key, shown(node)));
  return text == "true";
}

std::string HfConfig::text(std::string_view key, std::string_view fallback) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined()) return std::string(fallback);
  if (!is_json_string(node)) fail(key, fmt::format("'{}' must be a string, got {}", key, shown(node)));
  return node.Scalar();
}

std::size_t HfConfig::list_size(std::string_view key) const {
  const YAML::Node node = value(key);
  if (!node.IsDefined()) return 0;
  if (!node.IsSequence()) fail(key, fmt::format("'{}' must be a list, got {}", key, shown(node)));
  return node.size();
}

std::string HfConfig::architecture() const {
  const YAML::Node node = value("architectures");
  if (!node.IsDefined()) return "";
  if (!node.IsSequence() || node.size() == 0 || !is_json_string(node[0])) {
    fail("architectures", fmt::format("'architectures' must be a list of class names, got {}", shown(node)));
  }
  return node[0].Scalar();
}

}  // namespace infersim

#include "io/config/yaml_map.hpp"

#include <fmt/format.h>
#include <yaml-cpp/anchor.h>
#include <yaml-cpp/emitterstyle.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <vector>

#include "io/config/close_matches.hpp"
#include "io/config/strict_number.hpp"
#include "io/config/text_file.hpp"
#include "io/config/yaml_screen.hpp"

namespace infersim {

std::string read_config_file(const std::string& path) {
  return read_text_file(path, kMaxConfigBytes, "a configuration file");
}

namespace {

// Notes where the events of one document begin. yaml-cpp's LoadAll loops for ever on some input
// (a stray ',' at the top level) and Load silently drops whatever follows the first document, so
// documents are counted one HandleNextDocument call at a time: the second call is the last.
class FirstMark : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& m) override { note(m); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t, const std::string&) override {
    note(m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    note(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    note(m);
  }
  void OnMapEnd() override {}
  [[nodiscard]] SourceMark mark() const { return mark_; }

 private:
  void note(const YAML::Mark& m) {
    if (mark_.line < 0) mark_ = {m.line, m.column};
  }
  SourceMark mark_;
};

void require_one_document(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  FirstMark first, second;
  if (parser.HandleNextDocument(first) && parser.HandleNextDocument(second)) {
    throw ConfigError(name, second.mark(), "content after the first YAML document: a file holds exactly one");
  }
}

}  // namespace

YAML::Node parse_yaml_mapping(const std::string& text, const std::string& name) {
  screen_yaml_text(text, name);
  YAML::Node root;
  try {
    root = YAML::Load(text);
    require_one_document(text, name);
  } catch (const YAML::Exception& e) {
    throw ConfigError(name, {e.mark.line, e.mark.column}, "invalid YAML: " + excerpt(e.msg));
  }
  if (!root.IsMap())
    throw ConfigError(name, YamlMap::mark_of(root), "the top level must be a mapping of keys to values");
  return root;
}

YAML::Node load_yaml_mapping(const std::string& path) {
  return parse_yaml_mapping(read_config_file(path), path);
}

namespace {

std::string unknown_key_message(const std::string& qualified_key, std::string_view key,
                                std::span<const std::string_view> known_keys) {
  std::string_view best;
  std::size_t best_distance = 3;  // hint only for close matches
  for (std::string_view known : known_keys) {
    const std::size_t d = key.size() > 64 ? best_distance : edit_distance(key, known);
    if (d < best_distance) best = known, best_distance = d;
  }
  std::string message = fmt::format("unknown key '{}'", excerpt(qualified_key));
  if (!best.empty()) return message + fmt::format(" (did you mean '{}'?)", best);
  return message + fmt::format(" (expected one of: {})", fmt::join(known_keys, ", "));
}

}  // namespace

YamlMap::YamlMap(YAML::Node node, std::string file, std::string context,
                 std::span<const std::string_view> known_keys)
    : node_(std::move(node)), file_(std::move(file)), context_(std::move(context)) {
  std::set<std::string, std::less<>> keys;
  for (const auto& entry : node_) {
    if (!entry.first.IsScalar()) throw ConfigError(file_, mark_of(entry.first), "keys must be plain names");
    const std::string key = entry.first.Scalar();
    if (std::find(known_keys.begin(), known_keys.end(), key) == known_keys.end()) {
      throw ConfigError(file_, mark_of(entry.first), unknown_key_message(qualified(key), key, known_keys));
    }
    if (!keys.insert(key).second) {
      throw ConfigError(file_, mark_of(entry.first),
                        fmt::format("duplicate key '{}'", excerpt(qualified(key))));
    }
  }
}

SourceMark YamlMap::mark_of(const YAML::Node& node) {
  const YAML::Mark m = node.Mark();
  return {m.line, m.column};
}

SourceMark YamlMap::mark() const { return mark_of(node_); }

SourceMark YamlMap::mark(std::string_view key) const {
  const YAML::Node& n = node_;
  const YAML::Node value = n[std::string(key)];
  return value ? mark_of(value) : mark();
}

std::string YamlMap::qualified(std::string_view key) const { return context_ + std::string(key); }

void YamlMap::fail(const YAML::Node& at, std::string_view key, const std::string& expected) const {
  std::string got;
  if (at && at.IsScalar())
    got = fmt::format(", got '{}'", excerpt(at.Scalar()));
  else if (at && at.IsMap())
    got = ", got a mapping";
  else if (at && at.IsSequence())
    got = ", got a list";
  else if (at && at.IsNull())
    got = ", got nothing";
  throw ConfigError(file_, at ? mark_of(at) : mark(),
                    fmt::format("'{}' must be {}{}", qualified(key), expected, got));
}

bool YamlMap::has(std::string_view key) const {
  const YAML::Node& n = node_;
  return static_cast<bool>(n[std::string(key)]);
}

bool YamlMap::is_mapping(std::string_view key) const {
  const YAML::Node& n = node_;
  const YAML::Node value = n[std::string(key)];
  return value && value.IsMap();
}

YAML::Node YamlMap::child(std::string_view key) {
  const YAML::Node& n = node_;
  YAML::Node node = n[std::string(key)];
  if (!node) throw ConfigError(file_, mark(), fmt::format("missing required key '{}'", qualified(key)));
  return node;
}

long long YamlMap::integer(std::string_view key, long long min, long long max) {
  const YAML::Node node = child(key);
  const std::string expected = fmt::format("an integer in [{}, {}]", min, max);
  if (!node.IsScalar()) fail(node, key, expected);
  const auto value = parse_integer(node.Scalar());
  if (!value || *value < min || *value > max) fail(node, key, expected);
  return *value;
}

std::optional<long long> YamlMap::optional_integer(std::string_view key, long long min, long long max) {
  if (!has(key)) return std::nullopt;
  return integer(key, min, max);
}

double YamlMap::real(std::string_view key, double min_exclusive, double max) {
  const YAML::Node node = child(key);
  const std::string expected = fmt::format("a number in ({}, {}]", min_exclusive, max);
  if (!node.IsScalar()) fail(node, key, expected);
  const auto value = parse_real(node.Scalar());
  if (!value || !(*value > min_exclusive) || *value > max) fail(node, key, expected);
  return *value;
}

std::optional<double> YamlMap::optional_real(std::string_view key, double min_exclusive, double max) {
  if (!has(key)) return std::nullopt;
  return real(key, min_exclusive, max);
}

double YamlMap::nonnegative_real(std::string_view key, double max) {
  const YAML::Node node = child(key);
  const std::string expected = fmt::format("a number in [0, {}]", max);
  if (!node.IsScalar()) fail(node, key, expected);
  const auto value = parse_real(node.Scalar());
  if (!value || *value < 0.0 || *value > max) fail(node, key, expected);
  return *value;
}

std::string YamlMap::text(std::string_view key) {
  const YAML::Node node = child(key);
  if (!node.IsScalar() || node.Scalar().empty()) fail(node, key, "a non-empty string");
  return node.Scalar();
}

bool YamlMap::boolean(std::string_view key) {
  const YAML::Node node = child(key);
  if (node.IsScalar() && node.Scalar() == "true") return true;
  if (node.IsScalar() && node.Scalar() == "false") return false;
  fail(node, key, "true or false");
}

int YamlMap::choice(std::string_view key, std::initializer_list<std::string_view> choices) {
  const YAML::Node node = child(key);
  std::string names;
  int index = 0;
  for (std::string_view c : choices) {
    if (node.IsScalar() && node.Scalar() == c) return index;
    names += (index++ == 0 ? "" : ", ") + std::string(c);
  }
  fail(node, key, "one of " + names);
}

YamlMap YamlMap::mapping(std::string_view key, std::span<const std::string_view> known_keys) {
  const YAML::Node node = child(key);
  if (!node.IsMap()) fail(node, key, "a mapping of keys to values");
  return YamlMap(node, file_, qualified(key) + ".", known_keys);
}

std::vector<std::string> YamlMap::mapping_keys(std::string_view key, const std::string& expected) {
  const YAML::Node node = child(key);
  if (!node.IsMap()) fail(node, key, expected);
  std::vector<std::string> names;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) throw ConfigError(file_, mark_of(entry.first), "keys must be plain names");
    names.push_back(entry.first.Scalar());
  }
  return names;
}

YAML::Node YamlMap::sequence(std::string_view key) {
  const YAML::Node node = child(key);
  if (!node.IsSequence()) fail(node, key, "a list");
  return node;
}

}  // namespace infersim

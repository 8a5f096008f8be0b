#include "io/sweep/sweep_spec.hpp"

#include <fmt/format.h>

#include "io/config/strict_number.hpp"
#include "io/config/yaml_map.hpp"

namespace infersim {

namespace {

constexpr long long kMaxAxisValues = 1'000'000;

// {from, to, mul} or {from, to, step}: integers from `from` up to `to` inclusive.
std::vector<std::string> expand_range(YamlMap& range, const std::string& key) {
  const long long from = range.integer("from", 1, 1'000'000'000'000LL);
  const long long to = range.integer("to", from, 1'000'000'000'000LL);
  const bool geometric = range.has("mul");
  if (geometric == range.has("step")) {
    throw ConfigError(range.file(), range.mark(),
                      fmt::format("range '{}' must give exactly one of 'mul' and 'step'", key));
  }
  const long long by =
      geometric ? range.integer("mul", 2, 1'000'000) : range.integer("step", 1, 1'000'000'000'000LL);
  std::vector<std::string> values;
  for (long long v = from; v <= to; v = geometric ? v * by : v + by) {
    values.push_back(std::to_string(v));
    if (static_cast<long long>(values.size()) > kMaxAxisValues) {
      throw ConfigError(range.file(), range.mark(),
                        fmt::format("range '{}' has more than {} values", key, kMaxAxisValues));
    }
  }
  return values;
}

std::vector<std::string> axis_values(const YAML::Node& node, const std::string& file,
                                     const std::string& key) {
  if (node.IsMap()) {
    YamlMap range(node, file, key + ".", {"from", "to", "mul", "step"});
    return expand_range(range, key);
  }
  std::vector<std::string> values;
  if (node.IsScalar()) values.push_back(node.Scalar());
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (!item.IsScalar() || item.Scalar().empty()) {
        throw ConfigError(file, YamlMap::mark_of(item), fmt::format("'{}' must list plain values", key));
      }
      values.push_back(item.Scalar());
    }
  }
  if (values.empty()) {
    throw ConfigError(file, YamlMap::mark_of(node),
                      fmt::format("'{}' must be a non-empty list or a range", key));
  }
  return values;
}

}  // namespace

SweepSpec load_sweep_spec(const std::string& path) {
  return load_sweep_spec_text(read_config_file(path), path);
}

SweepSpec load_sweep_spec_text(const std::string& text, const std::string& path) {
  const YAML::Node root = parse_yaml_mapping(text, path);
  const YamlMap checked(root, path, "", {kSweepKeys.begin(), kSweepKeys.end()});
  SweepSpec spec{path, {}};
  for (const auto& entry : root) {
    const std::string key = entry.first.Scalar();
    spec.axes.push_back({key, axis_values(entry.second, path, key)});
  }
  return spec;
}

std::vector<std::string> split_list(const std::string& flag, const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty())
      throw InputError(
          fmt::format("{} must be a comma-separated list without empty items, got '{}'", flag, text));
    items.push_back(item);
    if (comma == std::string::npos) return items;
    start = comma + 1;
  }
}

}  // namespace infersim

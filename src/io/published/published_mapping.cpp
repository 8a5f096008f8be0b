#include "io/published/published_mapping.hpp"

#include <fmt/format.h>

#include <functional>
#include <set>
#include <span>
#include <vector>

#include "core/errors.hpp"
#include "io/config/strict_number.hpp"
#include "io/config/yaml_map.hpp"

namespace infersim {

namespace {

constexpr double kMaxBits = 64.0;
constexpr long long kMaxCsvLine = 10'000'000;  // far above any published-data file

// Calls read(key, entry) for every entry of the table `key`; each entry must be a mapping.
// An absent table is an error unless `optional`.
void for_each_entry(const YAML::Node& root, const std::string& file, const std::string& key,
                    const std::function<void(const std::string&, YamlMap&)>& read,
                    std::span<const std::string_view> known, bool optional = false) {
  const YAML::Node table = root[key];
  if (!table && optional) return;
  if (!table) throw ConfigError(file, YamlMap::mark_of(root), "missing required key '" + key + "'");
  if (!table.IsMap()) throw ConfigError(file, YamlMap::mark_of(table), "'" + key + "' must be a mapping");
  std::set<std::string> seen;
  for (const auto& entry : table) {
    if (!entry.first.IsScalar())
      throw ConfigError(file, YamlMap::mark_of(entry.first), "keys must be plain text");
    const std::string name = entry.first.Scalar();
    const std::string where = key + "['" + excerpt(name, 40) + "']";
    if (!seen.insert(name).second)
      throw ConfigError(file, YamlMap::mark_of(entry.first), "duplicate entry " + where);
    if (!entry.second.IsMap())
      throw ConfigError(file, YamlMap::mark_of(entry.second), "'" + where + "' must be a mapping");
    YamlMap y(entry.second, file, where + ".", known);
    read(name, y);
  }
}

std::string optional_text(YamlMap& y, std::string_view key) {
  return y.has(key) ? y.text(key) : std::string();
}

// Parses the text at `key` as the scenario value `what` through estimate's parser (the same words and
// bounds as its flag), an error at the key's place in the file.
void value_at(YamlMap& y, std::string_view key, ScenarioValues& into, ScenarioKey what) {
  const std::string text = y.text(key);
  try {
    parse_scenario_value(into, what, text, fmt::format("'{}'", key));
  } catch (const InputError& e) {
    throw ConfigError(y.file(), y.mark(key), e.what());
  }
}

MetricKind kind_at(YamlMap& y) {
  const int i = y.choice("kind", {"decode_tok_s", "prefill_tok_s", "output_tok_s", "output_tok_s_per_device",
                                  "tpot_ms", "ttft_ms", "e2e_latency_s", "speedup", "none"});
  return static_cast<MetricKind>(i);
}

void for_each_entry(const YAML::Node& root, const std::string& file, const std::string& key,
                    const std::function<void(const std::string&, YamlMap&)>& read,
                    std::initializer_list<std::string_view> known) {
  for_each_entry(root, file, key, read, std::span<const std::string_view>(known.begin(), known.size()));
}

void read_names(const YAML::Node& root, const std::string& file, const std::string& key,
                std::map<std::string, NamedTarget>& into) {
  for_each_entry(root, file, key,
                 [&into](const std::string& name, YamlMap& y) {
                   into[name] = {y.text("to"), optional_text(y, "note")};
                 },
                 {"to", "note"});
}

// frameworks: a runtime profile, and the scheduler limits the source states, if any.
void read_frameworks(const YAML::Node& root, const std::string& file, PublishedMapping& m) {
  const std::vector<std::string_view> keys = framework_keys();
  for_each_entry(
      root, file, "frameworks",
      [&m](const std::string& name, YamlMap& y) {
        m.frameworks[name] = {y.text("to"), optional_text(y, "note")};
        m.framework_limits[name] = framework_limits(y);
        const bool attention_dp = y.has("attention_dp") && y.boolean("attention_dp");
        if (attention_dp) m.attention_dp_frameworks.insert(name);
        if (y.has("moe_tensor_parallel") && y.boolean("moe_tensor_parallel")) {
          if (!attention_dp)
            throw ConfigError(y.file(), y.mark("moe_tensor_parallel"),
                              "moe_tensor_parallel splits the experts among attention data-parallel ranks: "
                              "it needs attention_dp: true beside it");
          m.moe_tp_frameworks.insert(name);
        }
      },
      keys);
}

void read_serving_tables(const YAML::Node& root, const std::string& file, PublishedMapping& m) {
  const std::vector<std::string_view> loads = load_keys();
  const std::vector<std::string_view> datasets = dataset_keys();
  for_each_entry(
      root, file, "loads", [&m](const std::string& name, YamlMap& y) { m.loads[name] = load_entry(y); },
      loads, true);
  for_each_entry(
      root, file, "datasets",
      [&m](const std::string& name, YamlMap& y) { m.datasets[name] = dataset_entry(y); }, datasets, true);
}

WeightsEntry weights_entry(YamlMap& y) {
  WeightsEntry w;
  ScenarioValues& p = w.precision;
  value_at(y, "weights", p, ScenarioKey::weights);
  if (y.has("group_size")) value_at(y, "group_size", p, ScenarioKey::group_size);
  if (y.has("scale_bits")) p.scale_bits = y.nonnegative_real("scale_bits", kMaxBits);
  if (y.has("zero_point_bits")) p.zero_point_bits = y.nonnegative_real("zero_point_bits", kMaxBits);
  value_at(y, "activations", p, ScenarioKey::activations);
  if (y.has("quantize_embeddings")) p.quantize_embeddings = y.boolean("quantize_embeddings");
  if (y.has("baseline_weights")) {
    ScenarioValues& b = w.baseline.emplace();
    value_at(y, "baseline_weights", b, ScenarioKey::weights);
    value_at(y, "baseline_activations", b, ScenarioKey::activations);
    b.quantize_embeddings = false;
  }
  if (y.has("kv")) value_at(y, "kv", w.kv.emplace(), ScenarioKey::kv);
  w.note = optional_text(y, "note");
  return w;
}

KvEntry kv_entry(YamlMap& y) {
  KvEntry k;
  value_at(y, "kv", k.kv, ScenarioKey::kv);
  k.note = optional_text(y, "note");
  return k;
}

}  // namespace

PublishedMapping load_published_mapping(const std::string& path) {
  return load_published_mapping_text(read_config_file(path), path);
}

PublishedMapping load_published_mapping_text(const std::string& text, const std::string& path) {
  const YAML::Node root = parse_yaml_mapping(text, path);
  YamlMap top(root, path, "",
              {"description", "models", "hardware", "frameworks", "weights", "kv", "metrics", "lengths",
               "fit_subset", "loads", "datasets"});
  PublishedMapping m;
  (void)top.text("description");
  read_names(root, path, "models", m.models);
  read_names(root, path, "hardware", m.hardware);
  read_frameworks(root, path, m);
  read_serving_tables(root, path, m);
  for_each_entry(root, path, "weights",
                 [&m](const std::string& name, YamlMap& y) { m.weights[name] = weights_entry(y); },
                 {"weights", "group_size", "scale_bits", "zero_point_bits", "activations",
                  "quantize_embeddings", "baseline_weights", "baseline_activations", "kv", "note"});
  for_each_entry(root, path, "kv", [&m](const std::string& name, YamlMap& y) { m.kv[name] = kv_entry(y); },
                 {"kv", "note"});
  for_each_entry(root, path, "metrics",
                 [&m](const std::string& name, YamlMap& y) {
                   MetricEntry e{kind_at(y), optional_text(y, "reason"), optional_text(y, "note")};
                   if (e.kind == MetricKind::none && e.reason.empty())
                     throw ConfigError(y.file(), y.mark(), "a metric of kind none needs a 'reason'");
                   m.metrics[name] = e;
                 },
                 {"kind", "reason", "note"});
  for_each_entry(root, path, "lengths",
                 [&m](const std::string& name, YamlMap& y) {
                   m.lengths[name] = {y.integer("tokens", 0, kMaxTokens), y.text("note")};
                 },
                 {"tokens", "note"});
  // An entry is a source (all its rows) or {source: TEXT, lines: [N, ...]} (those CSV lines of it).
  for (const YAML::Node& entry : top.sequence("fit_subset")) {
    if (entry.IsScalar()) {
      m.fit_subset.push_back({entry.Scalar(), {}});
      continue;
    }
    if (!entry.IsMap())
      throw ConfigError(path, YamlMap::mark_of(entry),
                        "each 'fit_subset' entry must be a source or {source, lines}");
    YamlMap y(entry, path, "fit_subset", {"source", "lines"});
    FitSubsetEntry e{y.text("source"), {}};
    for (const YAML::Node& line : y.sequence("lines")) {
      const auto number = line.IsScalar() ? parse_integer(line.Scalar()) : std::nullopt;
      if (!number || *number < 2 || *number > kMaxCsvLine)
        throw ConfigError(path, YamlMap::mark_of(line),
                          "'fit_subset' lines must be CSV line numbers (2 or more)");
      e.lines.push_back(static_cast<int>(*number));
    }
    m.fit_subset.push_back(std::move(e));
  }
  return m;
}

}  // namespace infersim

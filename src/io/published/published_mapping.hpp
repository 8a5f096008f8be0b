#pragma once
// validation/published/mapping.yaml -> PublishedMapping: the explicit tables that turn published text
// into shipped configurations, and the loads, datasets and scheduler limits of the rows measured under
// load (io/published/serving_mapping.hpp). Every entry is a mapping with known keys; unknown or duplicate
// keys, unknown metric kinds, and precisions that estimate's flags would refuse (io/config/scenario_text.hpp:
// the same parser, the same bounds) throw ConfigError naming the file, line and key.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "io/config/scenario_text.hpp"
#include "io/published/serving_mapping.hpp"
#include "validation/published.hpp"

namespace infersim {

// Published rows a runtime-profile term was fitted on: every row of `source`, or only its `lines`.
struct FitSubsetEntry {
  std::string source;
  std::vector<int> lines;  // empty: the whole source
};

// A mapping-table entry naming a shipped file (model config, hardware profile, runtime profile).
struct NamedTarget {
  std::string to;
  std::string note;  // an assumption or a caveat, printed with the rows that use it
};

struct WeightsEntry {
  // The precision as scenario values: weights, activations and, where stated, the group size, scale and
  // zero-point widths and whether embeddings are quantized.
  ScenarioValues precision;
  // A "X vs Y" row: the precision the speedup is against (weights and activations, embeddings 16-bit).
  std::optional<ScenarioValues> baseline;
  // The KV cache's dtype where the source's weights path sets it (a runner that quantizes the KV cache
  // with the weights): it takes the place of the row's precision_kv entry and its note.
  std::optional<ScenarioValues> kv;
  std::string note;
};

struct KvEntry {
  ScenarioValues kv;  // the KV cache's dtype
  std::string note;
};

struct MetricEntry {
  MetricKind kind = MetricKind::none;
  std::string reason;  // for kind none: why no configuration reproduces it
  std::string note;
};

struct LengthEntry {
  long long tokens = 0;
  std::string note;
};

struct PublishedMapping {
  std::map<std::string, NamedTarget> models, hardware, frameworks;  // published text -> shipped name
  std::map<std::string, WeightsEntry> weights;                      // precision_weights text
  std::map<std::string, KvEntry> kv;                                // precision_kv text
  std::map<std::string, MetricEntry> metrics;
  std::map<std::string, LengthEntry> lengths;  // length texts that are not plain integers
  std::vector<FitSubsetEntry> fit_subset;      // rows a runtime term was fitted on
  // Rows measured under a load the runtime batches (io/published/serving_mapping.hpp); both tables are
  // optional. A framework entry may state scheduler limits too (absent: none stated).
  std::map<std::string, LoadEntry> loads;                   // batch_or_concurrency text
  std::map<std::string, DatasetEntry> datasets;             // length texts naming a dataset
  std::map<std::string, FrameworkLimits> framework_limits;  // framework text
  // Frameworks whose runs put their tp devices in attention data parallelism (`attention_dp: true`): the
  // row's tp becomes the layout's attention_dp (core/layout.hpp), tp 1.
  std::set<std::string> attention_dp_frameworks;
  // Of those, frameworks whose attention ranks split each routed expert's FFN among them
  // (`moe_tensor_parallel: true`; TensorRT-LLM's moe_tp_size = tp when no expert parallelism is given):
  // the layout's moe_tp becomes the row's tp.
  std::set<std::string> moe_tp_frameworks;
};

[[nodiscard]] PublishedMapping load_published_mapping(const std::string& path);
[[nodiscard]] PublishedMapping load_published_mapping_text(const std::string& text, const std::string& path);

}  // namespace infersim

#include "io/config/runtime_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string_view>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "io/config/strict_number.hpp"
#include "io/config/yaml_map.hpp"

namespace infersim {

namespace {
constexpr double kMicro = 1e-6;
// A pass slower than one second of host work is not a serving engine; the bound catches unit slips
// (a value typed in ms or s into a µs key still passes, so the YAML comments give each value's unit).
constexpr double kMaxMicroseconds = 1e6;
// Sequences or tokens one iteration can hold: far above any engine's (vLLM's largest default is 16,384).
constexpr long long kMaxSchedulerCount = 10'000'000;
// Profiles in a chain of bases: far more than any real layering needs; a cycle stops here.
constexpr int kMaxBaseDepth = 8;
}  // namespace

std::vector<long long> graph_padding_sizes(YamlMap& y, std::string_view key) {
  const YAML::Node list = y.sequence(key);
  if (list.size() < 1 || list.size() > kMaxGraphPaddingSizes)
    throw ConfigError(y.file(), y.mark(key),
                      fmt::format("'{}' must be a list of 1 to {} batch sizes, got {}", y.qualified(key),
                                  kMaxGraphPaddingSizes, list.size()));
  std::vector<long long> sizes;
  for (const YAML::Node& item : list) {
    const auto size = item.IsScalar() ? parse_integer(item.Scalar()) : std::nullopt;
    if (!size || *size < 1 || *size > kMaxSchedulerCount || (!sizes.empty() && *size <= sizes.back()))
      throw ConfigError(y.file(), YamlMap::mark_of(item),
                        fmt::format("'{}' must list batch sizes from 1 to {} in ascending order",
                                    y.qualified(key), kMaxSchedulerCount));
    sizes.push_back(*size);
  }
  return sizes;
}

namespace {

// A base profile's name, as --runtime takes one: a file stem, no path and no .yaml ending (docs/formats.md,
// runtime profiles).
bool is_profile_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && name.front() != '.' && !looks_like_path(name) &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
         });
}

// `search`: where a base not beside the profile is looked for (none: beside only); `depth`: how many profiles
// name this one as their base, in a chain.
RuntimeProfile load_runtime_text(const std::string& text, const std::string& path, const SearchPath* search,
                                 int depth);

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::equivalent(a, b, ec) && !ec;
}

// `base:` — the profile this one starts from, every key it gives replacing the base's (a `scheduler:` block
// whole); a base may name a base of its own, kMaxBaseDepth deep at most (a cycle stops there). Found beside
// the profile, else through `search` (--config-dir, the shipped runtime_profiles/).
RuntimeProfile base_profile(YamlMap& y, const SearchPath* search, int depth) {
  if (!y.has("base")) return RuntimeProfile{};
  const SourceMark at = y.mark("base");
  const std::string name = y.text("base");
  if (depth >= kMaxBaseDepth)
    throw ConfigError(
        y.file(), at,
        fmt::format("'base' goes more than {} profiles deep (profiles naming each other?)", kMaxBaseDepth));
  if (!is_profile_name(name))
    throw ConfigError(y.file(), at,
                      fmt::format("'base' must name a runtime profile beside this one or on the search path "
                                  "(letters, digits, '-', '_', '.'), got '{}'",
                                  name));
  std::string base_path = (std::filesystem::path(y.file()).parent_path() / (name + ".yaml")).string();
  std::error_code ec;
  if (search && (!std::filesystem::exists(base_path, ec) || same_file(base_path, y.file()))) {
    try {
      base_path = search->resolve("runtime_profiles", name);
    } catch (const InputError& e) {
      throw ConfigError(y.file(), at, fmt::format("'base': {}", e.what()));
    }
  }
  if (base_path == y.file() || same_file(base_path, y.file()))
    throw ConfigError(y.file(), at, "'base' names this profile itself");
  return load_runtime_text(read_config_file(base_path), base_path, search, depth + 1);
}

// `key`: a mapping of hardware profile names (file stems, as `--hardware` takes them) to values that
// `read(map, name)` reads (`what` says what they are), sorted by name; each name a plain profile name.
template <class Read>
ValuesByHardware by_hardware(YamlMap& y, std::string_view key, std::string_view what, Read read) {
  const std::vector<std::string> names =
      y.mapping_keys(key, fmt::format("a mapping of hardware profile names to {}", what));
  const std::vector<std::string_view> known(names.begin(), names.end());
  YamlMap by = y.mapping(key, std::span<const std::string_view>(known.data(), known.size()));
  ValuesByHardware values;
  for (const std::string& name : names) {
    if (name.empty() || name.find_first_of("/\\ ") != std::string::npos)
      throw ConfigError(y.file(), by.mark(name),
                        fmt::format("'{}': expected a hardware profile name (a file stem such as 'h100-sxm')",
                                    by.qualified(name)));
    values.emplace_back(name, read(by, name));
  }
  std::sort(values.begin(), values.end());
  return values;
}

// `key`: shares in (0.001, 1] by hardware profile name (by_hardware).
ValuesByHardware shares_by_hardware(YamlMap& y, std::string_view key) {
  return by_hardware(y, key, "shares in (0.001, 1]",
                     [](YamlMap& by, const std::string& name) { return by.real(name, 0.001, 1.0); });
}

// `key`: microseconds in [0, 1e6] by hardware profile name (by_hardware), in seconds.
ValuesByHardware seconds_by_hardware(YamlMap& y, std::string_view key) {
  return by_hardware(y, key, "microseconds in [0, 1000000]", [](YamlMap& by, const std::string& name) {
    return by.nonnegative_real(name, kMaxMicroseconds) * kMicro;
  });
}

RuntimeProfile load_runtime_text(const std::string& text, const std::string& path, const SearchPath* search,
                                 int depth) {
  YamlMap y(parse_yaml_mapping(text, path), path, "",
            {"base",
             "description",
             "source",
             "step_overhead_us",
             "host_launch_us",
             "launch_mode",
             "int8_weight_only_efficiency",
             "int4_weight_only_efficiency",
             "moe_gemm_efficiency",
             "moe_gemm_stream_efficiency",
             "moe_gemm_stream_efficiency_by_hardware",
             "moe_module_fixed_us_by_hardware",
             "collective_latency_us",
             "allreduce",
             "host_per_sequence_us",
             "host_overlap",
             "host_overlap_under_pp",
             "sampler_fp32_passes",
             "chunked_attention_cache",
             "scheduler"});
  const bool has_base = y.has("base");
  RuntimeProfile r = base_profile(y, search, depth);
  r.terms.name = std::filesystem::path(path).stem().string();
  r.description = y.text("description");
  r.source = y.text("source");
  // Required unless a base gives them.
  if (!has_base || y.has("step_overhead_us"))
    r.terms.step_overhead_s = y.nonnegative_real("step_overhead_us", kMaxMicroseconds) * kMicro;
  if (!has_base || y.has("host_launch_us"))
    r.terms.host_launch_s = y.nonnegative_real("host_launch_us", kMaxMicroseconds) * kMicro;
  // Optional, default async (core/runtime_profile.hpp says what each mode adds).
  if (y.has("launch_mode"))
    r.terms.launches_serialized = y.choice("launch_mode", {"async", "serialized"}) == 1;
  // Optional kernel terms, default: the hardware profile's roofs as they are.
  if (y.has("int8_weight_only_efficiency"))
    r.terms.int8_weight_only_efficiency = y.real("int8_weight_only_efficiency", 0.001, 1.0);
  if (y.has("int4_weight_only_efficiency"))
    r.terms.int4_weight_only_efficiency = y.real("int4_weight_only_efficiency", 0.001, 1.0);
  if (y.has("moe_gemm_efficiency")) r.terms.moe_gemm_efficiency = y.real("moe_gemm_efficiency", 0.001, 1.0);
  if (y.has("moe_gemm_stream_efficiency"))
    r.terms.moe_gemm_stream_efficiency = y.real("moe_gemm_stream_efficiency", 0.001, 1.0);
  if (y.has("moe_gemm_stream_efficiency_by_hardware"))
    r.terms.moe_gemm_stream_efficiency_by_hardware =
        shares_by_hardware(y, "moe_gemm_stream_efficiency_by_hardware");
  if (y.has("moe_module_fixed_us_by_hardware"))
    r.terms.moe_module_fixed_s_by_hardware = seconds_by_hardware(y, "moe_module_fixed_us_by_hardware");
  if (y.has("collective_latency_us"))
    r.terms.collective_latency_s = y.nonnegative_real("collective_latency_us", kMaxMicroseconds) * kMicro;
  // Optional, default link_model (core/runtime_profile.hpp says what each path uses).
  if (y.has("allreduce"))
    r.terms.allreduce = static_cast<AllreducePath>(y.choice("allreduce", {"link_model", "nccl", "custom"}));
  // Optional, default 0: host work per sequence in a pass; the sampler's fp32 passes over the logits.
  if (y.has("host_per_sequence_us"))
    r.terms.host_per_sequence_s = y.nonnegative_real("host_per_sequence_us", kMaxMicroseconds) * kMicro;
  // Optional, default false: the host's per-pass work runs between passes; and, default true, an overlap
  // scheduler runs under pipeline parallelism too.
  if (y.has("host_overlap")) r.terms.host_overlaps_device = y.boolean("host_overlap");
  if (y.has("host_overlap_under_pp")) r.terms.host_overlaps_under_pp = y.boolean("host_overlap_under_pp");
  if (y.has("sampler_fp32_passes"))
    r.terms.sampler_fp32_passes = y.nonnegative_real("sampler_fp32_passes", 1000.0);
  if (y.has("chunked_attention_cache"))
    r.terms.chunked_cache =
        static_cast<ChunkedCache>(y.choice("chunked_attention_cache", {"chunk", "whole"}));
  if (y.has("scheduler")) {
    YamlMap s =
        y.mapping("scheduler", {"max_num_seqs", "max_num_batched_tokens", "block_size", "chunked_prefill",
                                "preemption", "admission", "prefix_caching", "static_cache_tokens",
                                "max_prefill_seqs", "prefill_padding", "graph_padding_sizes"});
    SchedulerLimits l;
    l.max_num_seqs = s.integer("max_num_seqs", 1, kMaxSchedulerCount);
    l.max_num_batched_tokens = s.integer("max_num_batched_tokens", 1, kMaxSchedulerCount);
    l.block_tokens = s.integer("block_size", 1, 4096);
    l.chunked_prefill = s.boolean("chunked_prefill");
    l.preemption =
        s.choice("preemption", {"recompute", "swap"}) == 1 ? Preemption::swap : Preemption::recompute;
    l.reserve_full_sequence = s.has("admission") && s.choice("admission", {"on_demand", "guaranteed"}) == 1;
    if (s.has("prefix_caching")) l.prefix_caching = s.boolean("prefix_caching");
    // Optional, default: a paged cache, any number of prompts a step, prompts unpadded.
    if (s.has("static_cache_tokens"))
      l.static_cache_tokens = s.integer("static_cache_tokens", 1, kMaxSchedulerCount);
    if (s.has("max_prefill_seqs")) l.max_prefill_seqs = s.integer("max_prefill_seqs", 1, kMaxSchedulerCount);
    l.pad_prefill_pow2 =
        s.has("prefill_padding") && s.choice("prefill_padding", {"none", "power_of_two"}) == 1;
    // Optional, default: no CUDA-graph padding.
    if (s.has("graph_padding_sizes")) l.graph_padding_sizes = graph_padding_sizes(s, "graph_padding_sizes");
    r.scheduler = l;
  }
  return r;
}

}  // namespace

RuntimeProfile load_runtime(const std::string& path) {
  return load_runtime_text(read_config_file(path), path);
}

RuntimeProfile load_runtime(const std::string& path, const SearchPath& search) {
  return load_runtime_text(read_config_file(path), path, &search, 0);
}

RuntimeProfile load_runtime_text(const std::string& text, const std::string& path) {
  return load_runtime_text(text, path, nullptr, 0);
}

NamedScheduler scheduler_or_vllm(const RuntimeProfile& runtime, const SearchPath& search) {
  if (runtime.scheduler) return {runtime.terms.name, *runtime.scheduler};
  const RuntimeProfile vllm = load_runtime(search.resolve("runtime_profiles", "vllm"), search);
  if (!vllm.scheduler) throw InputError("runtime profile 'vllm' has no scheduler: block");
  return {vllm.terms.name, *vllm.scheduler};
}

}  // namespace infersim

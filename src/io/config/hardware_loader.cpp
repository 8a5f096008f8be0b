#include "io/config/hardware_loader.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "io/config/yaml_map.hpp"

namespace infersim {

namespace {

constexpr double kTera = 1e12;
constexpr double kGiga = 1e9;
constexpr double kGiB = 1073741824.0;  // 2^30
constexpr double kMiB = 1048576.0;     // 2^20
constexpr double kMicro = 1e-6;

// Plausibility bounds in the profile's own units: far above any shipping device.
constexpr double kMaxTflops = 1e6;
constexpr double kMaxMemoryGiB = 1e6;
constexpr double kMaxBandwidthTBps = 1e4;
constexpr double kMaxLinkGBps = 1e5;
constexpr double kMaxMicroseconds = 1e6;
// Floors (exclusive) on the rates times are divided by, so that no time can overflow to infinity:
// 1 MFLOP/s, 1 MB/s of memory or link bandwidth, ~1 KiB of memory, an efficiency of 0.1 %.
constexpr double kMinTflops = 1e-6;
constexpr double kMinBandwidthTBps = 1e-6;
constexpr double kMinLinkGBps = 1e-3;
constexpr double kMinMemoryGiB = 1e-6;
constexpr double kMinEfficiency = 1e-3;

void read_peaks(YamlMap& y, HardwareSpec& hw) {
  YamlMap peaks =
      y.mapping("peak_dense_TFLOPS", {"fp32", "tf32", "bf16", "fp16", "fp8", "int8", "int4", "fp4"});
  for (PeakSlot slot : kAllPeakSlots) {
    if (auto tflops = peaks.optional_real(peak_slot_name(slot), kMinTflops, kMaxTflops)) {
      hw.peak_flops[static_cast<std::size_t>(index_of(slot))] = *tflops * kTera;
    }
  }
  if (std::none_of(hw.peak_flops.begin(), hw.peak_flops.end(), [](double f) { return f > 0.0; })) {
    throw ConfigError(y.file(), peaks.mark(), "'peak_dense_TFLOPS' must give at least one dtype's peak");
  }
}

void read_memory(YamlMap& y, HardwareSpec& hw) {
  const bool binary = y.has("memory_GiB");
  const bool decimal = y.has("memory_GB");
  if (binary == decimal) {
    throw ConfigError(y.file(), y.mark("memory_GB"),
                      "give exactly one of 'memory_GiB' (2^30 bytes) and 'memory_GB' (1e9 bytes)");
  }
  hw.memory_capacity_B = binary ? y.real("memory_GiB", kMinMemoryGiB, kMaxMemoryGiB) * kGiB
                                : y.real("memory_GB", kMinMemoryGiB, kMaxMemoryGiB) * kGiga;
  hw.memory_bandwidth_Bps = y.real("memory_bandwidth_TBps", kMinBandwidthTBps, kMaxBandwidthTBps) * kTera;
  if (auto tbps = y.optional_real("memory_read_bandwidth_TBps", kMinBandwidthTBps, kMaxBandwidthTBps))
    hw.read_bandwidth_Bps = *tbps * kTera;
  hw.usable_fraction = y.optional_real("usable_fraction", 0.0, 1.0).value_or(0.9);
  if (y.has("runtime_reserve_GiB"))
    hw.runtime_reserve_B = y.nonnegative_real("runtime_reserve_GiB", kMaxMemoryGiB) * kGiB;
  if (!y.has("caches")) return;
  for (const YAML::Node& entry : y.sequence("caches")) {
    if (!entry.IsMap())
      throw ConfigError(y.file(), YamlMap::mark_of(entry), "each entry of 'caches' must be a mapping");
    YamlMap cache(entry, y.file(), "caches[].", {"level", "size_MiB", "bandwidth_TBps"});
    CacheLevel level;
    level.level = cache.text("level");
    level.size_B = cache.real("size_MiB", 0.0, kMaxMemoryGiB * 1024.0) * kMiB;
    level.bandwidth_Bps =
        cache.optional_real("bandwidth_TBps", kMinBandwidthTBps, kMaxBandwidthTBps).value_or(0.0) * kTera;
    hw.caches.push_back(level);
  }
}

// One measured point of a curve: its bytes must exceed the previous point's of the same curve.
SizePoint read_point(YamlMap& entry, std::string_view value_key, double scale,
                     const std::vector<SizePoint>& curve, const YamlMap& list) {
  const SizePoint point{
      .bytes = entry.real("bytes", 0.0, 1e15),
      .value = entry.real(value_key, 0.0, value_key == "us" ? kMaxMicroseconds : kMaxLinkGBps) * scale};
  if (!curve.empty() && point.bytes <= curve.back().bytes)
    throw ConfigError(
        list.file(), entry.mark("bytes"),
        "'" + entry.qualified("bytes") + "' must exceed the previous point's (sizes ascending)");
  return point;
}

// Measured collectives on the scale-up link (core/hardware_spec.hpp): optional lists of points.
void read_measured_collectives(YamlMap& link, Interconnect& ic) {
  if (!link.has("nccl_allreduce_busbw") && !link.has("custom_allreduce")) return;
  MeasuredCollectives m;
  if (link.has("nccl_allreduce_busbw")) {
    for (const YAML::Node& node : link.sequence("nccl_allreduce_busbw")) {
      if (!node.IsMap())
        throw ConfigError(
            link.file(), YamlMap::mark_of(node),
            "each entry of 'interconnect.nccl_allreduce_busbw' must be a mapping {bytes, GBps}");
      YamlMap entry(node, link.file(), "interconnect.nccl_allreduce_busbw[].", {"bytes", "GBps"});
      m.nccl_busbw.push_back(read_point(entry, "GBps", kGiga, m.nccl_busbw, link));
    }
  }
  if (link.has("custom_allreduce")) {
    for (const YAML::Node& node : link.sequence("custom_allreduce")) {
      if (!node.IsMap())
        throw ConfigError(
            link.file(), YamlMap::mark_of(node),
            "each entry of 'interconnect.custom_allreduce' must be a mapping {devices, bytes, us}");
      YamlMap entry(node, link.file(), "interconnect.custom_allreduce[].", {"devices", "bytes", "us"});
      const int devices = static_cast<int>(entry.integer("devices", 2, 1'000'000));
      auto same = [devices](const MeasuredCollectives::Curve& c) { return c.devices == devices; };
      auto it = std::find_if(m.custom_allreduce.begin(), m.custom_allreduce.end(), same);
      if (it == m.custom_allreduce.end())
        it = m.custom_allreduce.insert(it, {.devices = devices, .times = {}});
      it->times.push_back(read_point(entry, "us", kMicro, it->times, link));
    }
  }
  ic.measured = std::make_shared<const MeasuredCollectives>(std::move(m));
}

void read_interconnect(YamlMap& y, HardwareSpec& hw) {
  YamlMap link = y.mapping(
      "interconnect", {"link_bandwidth_per_direction_GBps", "link_latency_us", "devices_per_node",
                       "inter_node_bandwidth_per_direction_GBps", "inter_node_latency_us",
                       "host_link_bandwidth_per_direction_GBps", "nccl_allreduce_busbw", "custom_allreduce"});
  Interconnect& ic = hw.interconnect;
  ic.link_bandwidth_per_direction_Bps =
      link.real("link_bandwidth_per_direction_GBps", kMinLinkGBps, kMaxLinkGBps) * kGiga;
  ic.link_latency_s = link.real("link_latency_us", 0.0, kMaxMicroseconds) * kMicro;
  ic.devices_per_node = static_cast<int>(link.integer("devices_per_node", 1, 1'000'000));
  ic.inter_node_bandwidth_per_direction_Bps =
      link.real("inter_node_bandwidth_per_direction_GBps", kMinLinkGBps, kMaxLinkGBps) * kGiga;
  ic.inter_node_latency_s = link.real("inter_node_latency_us", 0.0, kMaxMicroseconds) * kMicro;
  if (auto gbps = link.optional_real("host_link_bandwidth_per_direction_GBps", kMinLinkGBps, kMaxLinkGBps))
    ic.host_link_bandwidth_per_direction_Bps = *gbps * kGiga;
  read_measured_collectives(link, ic);
}

// efficiency.compute_by_dtype (or grouped_gemm_kernel.share_by_dtype,
// flash_attention.prefill_efficiency_by_dtype: `parent`'s `key`): the large (grouped) GEMM's (or the
// attention kernel's) share of the peak per peak slot, for slots the profile has a peak for, into `by_slot`.
void read_share_by_dtype(YamlMap& parent, const std::string& key, const HardwareSpec& hw,
                         std::array<double, kPeakSlotCount>& by_slot) {
  if (!parent.has(key)) return;
  YamlMap by = parent.mapping(key, {"fp32", "tf32", "bf16", "fp16", "fp8", "int8", "int4", "fp4"});
  for (PeakSlot slot : kAllPeakSlots) {
    const std::string_view name = peak_slot_name(slot);
    if (!by.has(name)) continue;
    if (peak_flops(hw, slot) <= 0.0)
      throw ConfigError(
          by.file(), by.mark(name),
          "'" + by.qualified(name) + "' needs a '" + std::string(name) + "' peak in 'peak_dense_TFLOPS'");
    by_slot[static_cast<std::size_t>(index_of(slot))] = by.real(name, kMinEfficiency, 1.0);
  }
}

// gemm_tiling: how the GEMM library runs its GEMMs (core/hardware_spec.hpp GemmTiling); optional.
void read_gemm_tiling(YamlMap& y, HardwareSpec& hw) {
  if (!y.has("gemm_tiling")) return;
  YamlMap t =
      y.mapping("gemm_tiling", {"compute_units", "tile_rows", "tile_cols", "min_tile_rows", "k_overhead_B",
                                "unit_stream_GBps", "unit_fixed_us", "unit_stream_dtype"});
  GemmTiling& g = hw.gemm_tiling;
  g.compute_units = static_cast<double>(t.integer("compute_units", 1, 1'000'000));
  g.tile_rows = static_cast<double>(t.integer("tile_rows", 1, 65'536));
  g.tile_cols = static_cast<double>(t.integer("tile_cols", 1, 65'536));
  g.min_tile_rows = static_cast<double>(t.integer("min_tile_rows", 1, 65'536));
  if (g.min_tile_rows > g.tile_rows)
    throw ConfigError(t.file(), t.mark("min_tile_rows"),
                      "'gemm_tiling.min_tile_rows' must not exceed 'tile_rows'");
  g.k_overhead_B = t.nonnegative_real("k_overhead_B", 1e9);
  // The skinny-GEMM stream terms come together: the rate, the fixed time and the dtype of the kernel they
  // were measured on; one without the others is an error naming it.
  constexpr std::array<std::string_view, 3> kStreamKeys = {"unit_stream_GBps", "unit_fixed_us",
                                                           "unit_stream_dtype"};
  const auto given = std::count_if(kStreamKeys.begin(), kStreamKeys.end(), [&t](auto k) { return t.has(k); });
  if (given == 0) return;
  if (given != 3) {
    const auto missing =
        *std::find_if(kStreamKeys.begin(), kStreamKeys.end(), [&t](auto k) { return !t.has(k); });
    throw ConfigError(
        t.file(), t.mark(),
        "'gemm_tiling." + std::string(missing) +
            "' is missing: 'unit_stream_GBps', 'unit_fixed_us' and 'unit_stream_dtype' go together");
  }
  g.unit_stream_Bps = t.real("unit_stream_GBps", 0.001, 1e6) * 1e9;
  g.unit_fixed_s = t.nonnegative_real("unit_fixed_us", 1e6) * 1e-6;
  const std::string dtype = t.text("unit_stream_dtype");
  const auto slot = std::find_if(kAllPeakSlots.begin(), kAllPeakSlots.end(),
                                 [&dtype](PeakSlot p) { return peak_slot_name(p) == dtype; });
  if (slot == kAllPeakSlots.end() || peak_flops(hw, *slot) <= 0.0)
    throw ConfigError(
        t.file(), t.mark("unit_stream_dtype"),
        "'gemm_tiling.unit_stream_dtype' must name a dtype with a peak in 'peak_dense_TFLOPS' (got '" +
            dtype + "')");
  hw.unit_stream_slot = *slot;
}

// flash_attention: the fused prefill attention kernel (core/hardware_spec.hpp FlashAttentionKernel);
// optional.
void read_flash_attention(YamlMap& y, HardwareSpec& hw) {
  if (!y.has("flash_attention")) return;
  YamlMap f = y.mapping("flash_attention",
                        {"prefill_efficiency", "prefill_overhead_keys", "prefill_efficiency_by_dtype"});
  hw.flash_attention.prefill_efficiency = f.real("prefill_efficiency", kMinEfficiency, 1.0);
  hw.flash_attention.prefill_overhead_keys = f.nonnegative_real("prefill_overhead_keys", 1e9);
  read_share_by_dtype(f, "prefill_efficiency_by_dtype", hw, hw.flash_attention.efficiency_by_slot);
}

// decode_attention: the fused decode attention kernel over a paged KV cache (core/hardware_spec.hpp
// DecodeAttentionKernel); optional.
void read_decode_attention(YamlMap& y, HardwareSpec& hw) {
  if (!y.has("decode_attention")) return;
  YamlMap d = y.mapping("decode_attention", {"stream_efficiency", "call_overhead_us"});
  hw.decode_attention.stream_efficiency = d.real("stream_efficiency", kMinEfficiency, 1.0);
  hw.decode_attention.call_overhead_s = d.nonnegative_real("call_overhead_us", kMaxMicroseconds) * kMicro;
}

// grouped_gemm_kernel: the routed experts' grouped GEMM kernel where it is not the dense GEMM's; optional.
// Its stream terms go together and need the dense GEMM's (they share its tiles and its unit_stream_dtype).
void read_grouped_gemm_kernel(YamlMap& y, HardwareSpec& hw) {
  if (!y.has("grouped_gemm_kernel")) return;
  YamlMap g = y.mapping("grouped_gemm_kernel", {"share_by_dtype", "unit_stream_GBps", "unit_fixed_us"});
  read_share_by_dtype(g, "share_by_dtype", hw, hw.grouped_gemm.efficiency_by_slot);
  if (g.has("unit_stream_GBps") != g.has("unit_fixed_us"))
    throw ConfigError(g.file(), g.mark(g.has("unit_stream_GBps") ? "unit_stream_GBps" : "unit_fixed_us"),
                      "'grouped_gemm_kernel.unit_stream_GBps' and 'unit_fixed_us' go together");
  if (!g.has("unit_stream_GBps")) return;
  if (hw.gemm_tiling.unit_stream_Bps <= 0.0)
    throw ConfigError(
        g.file(), g.mark("unit_stream_GBps"),
        "'grouped_gemm_kernel.unit_stream_GBps' needs the dense GEMM's 'gemm_tiling.unit_stream_GBps', "
        "'unit_fixed_us' and 'unit_stream_dtype'");
  hw.grouped_gemm.unit_stream_Bps = g.real("unit_stream_GBps", 0.001, 1e6) * 1e9;
  hw.grouped_gemm.unit_fixed_s = g.nonnegative_real("unit_fixed_us", 1e6) * 1e-6;
}

}  // namespace

HardwareSpec load_hardware(const std::string& path) {
  return load_hardware_text(read_config_file(path), path);
}

HardwareSpec load_hardware_text(const std::string& text, const std::string& path) {
  YamlMap y(parse_yaml_mapping(text, path), path, "",
            {"description",
             "source",
             "peak_dense_TFLOPS",
             "memory_GiB",
             "memory_GB",
             "memory_bandwidth_TBps",
             "memory_read_bandwidth_TBps",
             "gemm_weight_pack_bandwidth_TBps",
             "usable_fraction",
             "runtime_reserve_GiB",
             "caches",
             "efficiency",
             "kernel_launch_overhead_us",
             "gemm_time",
             "grouped_gemm_time",
             "gemm_tiling",
             "grouped_gemm_kernel",
             "flash_attention",
             "decode_attention",
             "interconnect"});
  HardwareSpec hw;
  hw.name = std::filesystem::path(path).stem().string();
  hw.description = y.text("description");
  hw.source = y.text("source");
  read_peaks(y, hw);
  read_memory(y, hw);
  YamlMap efficiency = y.mapping("efficiency", {"compute", "compute_by_dtype", "memory", "own_kernels",
                                                "decode_attention_in_core", "skinny_gemv_in_core"});
  hw.compute_efficiency = efficiency.real("compute", kMinEfficiency, 1.0);
  read_share_by_dtype(efficiency, "compute_by_dtype", hw, hw.compute_efficiency_by_slot);
  hw.memory_efficiency = efficiency.real("memory", kMinEfficiency, 1.0);
  hw.own_kernel_efficiency = efficiency.optional_real("own_kernels", kMinEfficiency, 1.0);
  hw.decode_attention_in_core_efficiency =
      efficiency.optional_real("decode_attention_in_core", kMinEfficiency, 1.0);
  hw.skinny_gemv_in_core_efficiency = efficiency.optional_real("skinny_gemv_in_core", kMinEfficiency, 1.0);
  hw.kernel_launch_overhead_s = y.nonnegative_real("kernel_launch_overhead_us", kMaxMicroseconds) * kMicro;
  hw.gemm_time_is_sum =
      y.has("gemm_time") && y.choice("gemm_time", {"max", "sum"}) == 1;  // optional, default max
  if (y.has("grouped_gemm_time"))                                        // optional, default max
    hw.grouped_gemm_time =
        static_cast<GroupedGemmTime>(y.choice("grouped_gemm_time", {"max", "sum", "weights_serial"}));
  // A packing rate adds to the compute time only under gemm_time: sum; under max it would be ignored.
  if (y.has("gemm_weight_pack_bandwidth_TBps") && !hw.gemm_time_is_sum)
    throw ConfigError(y.file(), y.mark("gemm_weight_pack_bandwidth_TBps"),
                      "'gemm_weight_pack_bandwidth_TBps' applies only with 'gemm_time: sum' (a CPU BLAS); "
                      "add that key or remove this one");
  if (auto tbps = y.optional_real("gemm_weight_pack_bandwidth_TBps", kMinBandwidthTBps, kMaxBandwidthTBps))
    hw.weight_pack_bandwidth_Bps = *tbps * kTera;
  read_gemm_tiling(y, hw);
  read_grouped_gemm_kernel(y, hw);
  read_flash_attention(y, hw);
  read_decode_attention(y, hw);
  read_interconnect(y, hw);
  return hw;
}

}  // namespace infersim

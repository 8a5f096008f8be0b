#include "core/pass_cache.hpp"

#include <bit>
#include <cstdint>
#include <memory>

namespace infersim::detail {

namespace {

bool same(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

bool same_format(const StorageFormat& a, const StorageFormat& b) {
  return a.dtype == b.dtype && a.group_size == b.group_size && same(a.scale_bits, b.scale_bits) &&
         same(a.zero_point_bits, b.zero_point_bits) && same(a.tensor_scale_bits, b.tensor_scale_bits);
}

bool same_formats(const TensorFormats& a, const TensorFormats& b) {
  return same_format(a.weights.matrix, b.weights.matrix) &&
         same_format(a.weights.experts, b.weights.experts) &&
         same_format(a.weights.embedding, b.weights.embedding) &&
         same(a.weights.vector_bytes, b.weights.vector_bytes) && same(a.act_bytes, b.act_bytes) &&
         same(a.gemm_input_bytes, b.gemm_input_bytes) && same(a.kv_bytes, b.kv_bytes);
}

bool same_layout(const Layout& a, const Layout& b) {
  return a.tp == b.tp && a.pp == b.pp && a.ep == b.ep && a.dp == b.dp && a.attention_dp == b.attention_dp &&
         a.moe_tp == b.moe_tp && a.micro_batches == b.micro_batches && same(a.comm_overlap, b.comm_overlap);
}

bool same_link(const LinkRoof& a, const LinkRoof& b) {
  return same(a.bandwidth_Bps, b.bandwidth_Bps) && same(a.latency_s, b.latency_s);
}

bool same_tiling(const GemmTiling& a, const GemmTiling& b) {
  return same(a.compute_units, b.compute_units) && same(a.tile_rows, b.tile_rows) &&
         same(a.tile_cols, b.tile_cols) && same(a.min_tile_rows, b.min_tile_rows) &&
         same(a.k_overhead_B, b.k_overhead_B) && same(a.unit_stream_Bps, b.unit_stream_Bps) &&
         same(a.unit_fixed_s, b.unit_fixed_s);
}

// A field added to one of these structs must be added to its comparison above or below.
static_assert(sizeof(StorageFormat) == 3 * sizeof(double) + 2 * sizeof(int));
static_assert(sizeof(TensorFormats) == 3 * sizeof(StorageFormat) + 4 * sizeof(double));
// Layout: 7 ints, 4 bytes of padding, the double (an 8th int would take the padding: add it above too).
static_assert(sizeof(Layout) == 8 * sizeof(int) + sizeof(double));
// PassKey: the three enums take 12 bytes, padded to 16 before the doubles that follow them.
static_assert(sizeof(PassKey) ==
              4 * sizeof(double) + sizeof(TensorFormats) + 4 * sizeof(int) + sizeof(Layout));
static_assert(sizeof(GemmTiling) == 7 * sizeof(double));
// Roofs: 22 doubles, gemm_time_is_sum, grouped_gemm_time and allreduce in one word, the measured
// curves' pointer, and the kernel-efficiency terms' 12 doubles (GemmTiling, gemm_element_B, the two prefill
// and the two decode attention fields).
static_assert(sizeof(Roofs) == 35 * sizeof(double) + sizeof(std::shared_ptr<const MeasuredCollectives>));

}  // namespace

bool same_pass(const PassKey& a, const PassKey& b) {
  return same_layout(a.layout, b.layout) && same(a.batch, b.batch) &&
         same(a.prompt_tokens, b.prompt_tokens) && same_formats(a.formats, b.formats) &&
         a.attention == b.attention && a.mla == b.mla && a.moe_routing == b.moe_routing &&
         same(a.moe_skew, b.moe_skew) && same(a.sampler_fp32_passes, b.sampler_fp32_passes);
}

namespace {

// FNV-1a over 64-bit words (Fowler, Noll & Vo): cheap, and any differing bit changes the hash with high
// probability; a collision costs only a full comparison.
struct Fnv {
  std::uint64_t h = 14695981039346656037ULL;
  void add(std::uint64_t word) { h = (h ^ word) * 1099511628211ULL; }
  void add(double x) { add(std::bit_cast<std::uint64_t>(x)); }
  void add(int x) { add(static_cast<std::uint64_t>(static_cast<std::uint32_t>(x))); }
  void add(const StorageFormat& f) {
    add(static_cast<int>(f.dtype));
    add(f.group_size);
    add(f.scale_bits);
    add(f.zero_point_bits);
    add(f.tensor_scale_bits);
  }
};

}  // namespace

// The fields a sweep varies (lengths, dtypes, layout) only: keys differing elsewhere share a hash and are
// told apart by same_pass, so the hash stays short on the sweep's path. Two independent FNV lanes halve
// the chain of dependent multiplications.
std::uint64_t pass_hash(const PassKey& k) {
  Fnv a;
  Fnv b;
  a.add(k.batch);
  b.add(k.prompt_tokens);
  a.add(static_cast<int>(k.formats.weights.matrix.dtype));
  b.add(static_cast<int>(k.formats.weights.experts.dtype));
  a.add(k.formats.act_bytes + 8.0 * k.formats.gemm_input_bytes);
  b.add(k.formats.kv_bytes);
  const Layout& l = k.layout;
  a.add(l.tp);
  b.add(l.pp);
  a.add(l.ep ^ (l.attention_dp << 16));
  a.add(l.moe_tp);
  b.add(l.dp ^ (l.micro_batches << 16));
  return a.h ^ (b.h * 31ULL);
}

bool same_roofs(const Roofs& a, const Roofs& b) {
  return same(a.matrix_flops_per_s, b.matrix_flops_per_s) &&
         same(a.matrix16_flops_per_s, b.matrix16_flops_per_s) &&
         same(a.grouped_matrix_flops_per_s, b.grouped_matrix_flops_per_s) &&
         same(a.grouped_unit_stream_Bps, b.grouped_unit_stream_Bps) &&
         same(a.grouped_unit_fixed_s, b.grouped_unit_fixed_s) &&
         same(a.vector_flops_per_s, b.vector_flops_per_s) && same(a.memory_Bps, b.memory_Bps) &&
         same(a.decode_memory_Bps, b.decode_memory_Bps) && same(a.weight_pack_Bps, b.weight_pack_Bps) &&
         same(a.launch_s, b.launch_s) && same_link(a.intra_node, b.intra_node) &&
         same_link(a.inter_node, b.inter_node) && same(a.devices_per_node, b.devices_per_node) &&
         same(a.comm_exposed, b.comm_exposed) &&
         same(a.int8_weight_only_efficiency, b.int8_weight_only_efficiency) &&
         same(a.int4_weight_only_efficiency, b.int4_weight_only_efficiency) &&
         same(a.collective_latency_s, b.collective_latency_s) &&
         same(a.moe_gemm_efficiency, b.moe_gemm_efficiency) &&
         same(a.moe_gemm_stream_efficiency, b.moe_gemm_stream_efficiency) &&
         same(a.moe_module_fixed_s, b.moe_module_fixed_s) && a.gemm_time_is_sum == b.gemm_time_is_sum &&
         a.grouped_gemm_time == b.grouped_gemm_time && a.allreduce == b.allreduce &&
         a.measured_link == b.measured_link && same_tiling(a.gemm_tiling, b.gemm_tiling) &&
         same(a.gemm_element_B, b.gemm_element_B) && same(a.attention_flops_per_s, b.attention_flops_per_s) &&
         same(a.attention_overhead_keys, b.attention_overhead_keys) &&
         same(a.decode_attention_Bps, b.decode_attention_Bps) &&
         same(a.decode_attention_overhead_s, b.decode_attention_overhead_s);
}

}  // namespace infersim::detail

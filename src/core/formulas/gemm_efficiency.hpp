#pragma once
// A GEMM kernel's efficiency by shape: the share of the device's large-GEMM rate that a GEMM of m rows
// (tokens), n columns (outputs) and depth k reaches, as the product of one term per loss, each in (0, 1].
// Sources: NVIDIA, "Matrix Multiplication Background User's Guide" (Deep Learning Performance
// documentation, "Dimension quantization effects": tile and wave quantization), and for split-K the CUTLASS
// documentation (NVIDIA/cutlass media/docs/efficient_gemm.md, "Parallelized Reductions: Split K").
// docs/formulas.md#gemm_shape_efficiency.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "core/hardware_spec.hpp"
#include "core/operator.hpp"

namespace infersim {

// A mean count of rows as a kernel's tiles see it (a grouped GEMM's rows per group: the routed rows over the
// experts a step is expected to reach): a fraction of under a thousandth of a row above a whole number is
// dropped, so that an expectation a hair short of every expert (127.99999 of 128) does not count
// 16.0000001 rows a group as a 17th row and pad them to a tile of 32. Counts below one row, whole counts
// and larger fractions are unchanged. docs/formulas.md#gemm_shape_efficiency.
[[nodiscard]] inline double tiled_rows(double m) {
  const double whole = std::floor(m);
  return m >= 1.0 && m - whole < 1e-3 ? whole : m;
}

// The row tile the library runs a GEMM of m rows with: its large-GEMM tile when m fills one, else the
// smallest power of two that holds m, no smaller than the MMA instruction's rows (min_tile_rows).
[[nodiscard]] inline double gemm_row_tile(double m, double tile_rows, double min_tile_rows) {
  if (m >= tile_rows) return tile_rows;
  const double pow2 =
      static_cast<double>(std::bit_ceil(static_cast<std::uint64_t>(std::ceil(std::max(m, 1.0)))));
  return std::min(tile_rows, std::max(pow2, min_tile_rows));
}

// Tile quantization: the share of the padded tiles along one dimension that holds real rows or columns,
// extent / (ceil(extent / tile) * tile).
[[nodiscard]] inline double tile_padding_efficiency(double extent, double tile) {
  return extent / (std::ceil(extent / tile) * tile);
}

// Split-K: a GEMM of fewer output tiles than compute units has its K cut into this many slices, each a work
// unit of its own, so that the units fill: floor(units / tiles), at least 1.
[[nodiscard]] inline double split_k_slices(double tiles, double units) {
  return std::max(1.0, std::floor(units / tiles));
}

// Wave quantization: work units run one per compute unit at a time, in ceil(work / units) waves; the
// share of the waves' slots that holds work is work / (ceil(work / units) * units).
[[nodiscard]] inline double wave_efficiency(double work_units, double units) {
  return work_units / (std::ceil(work_units / units) * units);
}

// K mainloop: a work unit's fixed cost (pipeline fill, epilogue) equals k_overhead of depth in time, so a
// unit of depth k runs its mainloop for the share k / (k + k_overhead) of its time (same units for both).
[[nodiscard]] inline double k_mainloop_efficiency(double k, double k_overhead) {
  return k / (k + k_overhead);
}

// The product of the terms above for `g.groups` independent GEMMs of one shape sharing the waves (a grouped
// MoE GEMM) on tiling `t`, with K measured in bytes at element_B bytes per element.
[[nodiscard]] inline double gemm_shape_efficiency(const GemmShape& g, const GemmTiling& t, double element_B) {
  const double m = tiled_rows(g.m);
  const double rows = gemm_row_tile(m, t.tile_rows, t.min_tile_rows);
  const double padding = tile_padding_efficiency(m, rows) * tile_padding_efficiency(g.n, t.tile_cols);
  const double tiles = g.groups * std::ceil(m / rows) * std::ceil(g.n / t.tile_cols);
  const double slices = split_k_slices(tiles, t.compute_units);
  const double wave = wave_efficiency(tiles * slices, t.compute_units);
  return padding * wave * k_mainloop_efficiency(g.k * element_B / slices, t.k_overhead_B);
}

// A skinny GEMM run without split-K: each work unit (an output tile of one group) streams its slab of the
// weights, the tile's columns over the whole depth, through its own load pipeline, which keeps a bounded
// number of bytes in flight and so pulls at most unit_stream_Bps (Little's law: bytes in flight / memory
// latency). With few units (few column tiles, no split of K) that rate, not the memory system, bounds the
// time: unit_fixed_s + waves * slab / unit_stream_Bps, the waves as ceil(units / compute units). Units
// that share a slab (row tiles of one column tile) each stream it. `weights_B` is the whole operator's.
// docs/formulas.md#gemm_unit_stream.
[[nodiscard]] inline double gemm_unit_stream_s(const GemmShape& g, const GemmTiling& t, double weights_B) {
  const double m = tiled_rows(g.m);
  const double rows = gemm_row_tile(m, t.tile_rows, t.min_tile_rows);
  const double column_tiles = g.groups * std::ceil(g.n / t.tile_cols);
  const double units = column_tiles * std::ceil(m / rows);
  const double waves = std::ceil(units / t.compute_units);
  return t.unit_fixed_s + waves * (weights_B / column_tiles) / t.unit_stream_Bps;
}

}  // namespace infersim

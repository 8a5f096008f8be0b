#include "io/published/host_profile.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "io/text/escape.hpp"

namespace infersim {

namespace {

constexpr double kMiB = 1048576.0;
constexpr double kGiB = 1073741824.0;

std::string header(const HostCalibration& h, const std::string& provenance) {
  return fmt::format(
      "# {} ({} threads, OpenBLAS core {}).\n"
      "# Written by `infersim calibrate` on {}.\n"
      "# Every figure below was measured on this host by infersim's calibration kernels "
      "(src/ref/cpu/calibrate.cpp);\n"
      "# the shapes differ from the validation suite's (src/ref/cpu/suite.cpp), so `infersim validate` "
      "predicts "
      "new shapes.\n",
      terminal_text(h.cpu_model), h.threads, terminal_text(h.blas_core), terminal_text(provenance));
}

std::string body(const HostCalibration& h) {
  return fmt::format(
      "description: {}\n"
      "source: \"measured by infersim calibrate (src/ref/cpu/calibrate.cpp)\"\n"
      "peak_dense_TFLOPS:\n"
      "  fp32: {:.6g}  # measured: fp32 FMA throughput, {} threads x 8 independent FMA chains (16 lanes, or "
      "8 where the host has AVX2 without AVX-512)\n"
      "memory_GiB: {:.4g}  # physical memory (sysconf)\n"
      "# A CPU has no spec-sheet figure here: the measured STREAM triad is the roof (efficiency.memory 1).\n"
      "memory_bandwidth_TBps: {:.6g}  # measured: triad a = b + s*c, 3 x {:.0f} MiB, STREAM byte count, "
      "median run\n",
      yaml_scalar(fmt::format("{} ({} threads), measured by infersim calibrate", h.cpu_model, h.threads)),
      h.fma_peak_flops / 1e12, h.threads, h.memory_B / kGiB, h.triad_Bps / 1e12,
      h.triad_working_set_B / 3.0 / kMiB);
}

// The decode kernels are read streams, which on a CPU run below the triad: measured apart.
std::string read_bandwidth(const HostCalibration& h) {
  if (h.read_Bps <= 0.0) return "";
  return fmt::format(
      "memory_read_bandwidth_TBps: {:.6g}  # measured: sum of one {:.0f} MiB array, every thread its own "
      "chunk, median run\n",
      h.read_Bps / 1e12, h.read_working_set_B / kMiB);
}

// OpenBLAS packs an nn.Linear-layout weight (a transpose) below the read stream's rate: measured apart.
std::string weight_pack_bandwidth(const HostCalibration& h) {
  if (h.weight_pack_Bps <= 0.0) return "";
  return fmt::format(
      "gemm_weight_pack_bandwidth_TBps: {:.6g}  # measured: sgemm Y = X W^T, W 1024 x 4096 from DRAM, the "
      "weights' time solved from 8 and 64 rows, median pair\n",
      h.weight_pack_Bps / 1e12);
}

std::string caches(const HostCalibration& h) {
  if (h.llc_size_B <= 0.0 || h.llc_Bps <= 0.0)
    return "# caches: the last-level cache size was not found in sysfs\n";
  return fmt::format(
      "caches:\n"
      "  - level: LLC\n"
      "    size_MiB: {:.6g}  # sysfs cpu0 cache, highest level (what this machine's cores see)\n"
      "    bandwidth_TBps: {:.6g}  # measured: triad with a {:.3g} MiB working set (half the LLC), median "
      "run\n",
      h.llc_size_B / kMiB, h.llc_Bps / 1e12, h.llc_working_set_B / kMiB);
}

// The attention and 2..16-row GEMV kernels are ours, not the BLAS's: their own efficiency, measured on
// the prefill attention kernel (src/ref/cpu/calibrate.hpp).
std::string attention_line(const HostCalibration& h) {
  if (h.attention_flops <= 0.0 || h.fma_peak_flops <= 0.0) return "";
  return fmt::format(
      "  own_kernels: {:.4f}  # measured: our causal prefill attention kernel {:.4g} GFLOP/s (batch 1, 4 "
      "heads, "
      "head_dim 128, seq 768, in cache) / FMA peak\n",
      std::min(1.0, h.attention_flops / h.fma_peak_flops), h.attention_flops / 1e9);
}

// Our streaming decode kernels' in-core throughput, their data in L2 (src/ref/cpu/calibrate.hpp).
std::string in_core_lines(const HostCalibration& h) {
  if (h.fma_peak_flops <= 0.0) return "";
  const auto line = [&h](const char* key, double flops, const char* what) {
    return fmt::format(
        "  {}: {:.4f}  # measured: our {} {:.4g} GFLOP/s in L2, every thread its own / FMA peak\n", key,
        std::min(1.0, flops / h.fma_peak_flops), what, flops / 1e9);
  };
  std::string lines;
  if (h.decode_attention_in_core_flops > 0.0)
    lines +=
        line("decode_attention_in_core", h.decode_attention_in_core_flops,
             "decode attention kernel's per-query-head work (8 less 2 heads on one KV head, context 512)");
  if (h.skinny_gemv_in_core_flops > 0.0)
    lines +=
        line("skinny_gemv_in_core", h.skinny_gemv_in_core_flops, "GEMV kernel (8 rows, 32 x 4096 weights)");
  if (lines.empty()) return "";
  return lines +
         "  # A streaming kernel's in-core work and its transfers from memory add on these cores (the ECM\n"
         "  # model, Treibig & Hager 2009): validate adds them for decode attention and the skinny GEMV.\n";
}

std::string roofs(const HostCalibration& h) {
  return fmt::format(
      "efficiency:\n"
      "  compute: {:.4f}  # measured: best sgemm {:.4g} GFLOP/s (n = {}, OpenBLAS core {}), its operands' "
      "transfer "
      "time taken out (gemm_time: sum), / FMA peak {:.4g} GFLOP/s\n"
      "{}{}"
      "  memory: 1.0  # the measured triad is the bandwidth above\n"
      "kernel_launch_overhead_us: {:.4g}  # measured: empty fork-join over {} threads (median); "
      "an 8x8x8 sgemm call takes {:.3g} us\n"
      "# OpenBLAS packs GEMM operands in a copy phase of its own (Goto & van de Geijn 2008) and a core "
      "streaming a\n"
      "# GEMV issues every load between its FMAs (the ECM model, Treibig & Hager 2009): compute and memory "
      "add.\n"
      "gemm_time: sum\n"
      "interconnect:  # not applicable to a single host; the format requires the block: placeholders\n"
      "  link_bandwidth_per_direction_GBps: 1  # placeholder, no scale-up link\n"
      "  link_latency_us: 1  # placeholder\n"
      "  devices_per_node: 1\n"
      "  inter_node_bandwidth_per_direction_GBps: 1  # placeholder, no network modelled\n"
      "  inter_node_latency_us: 1  # placeholder\n",
      host_compute_efficiency(h), h.sgemm_flops / 1e9, h.sgemm_n, h.blas_core, h.fma_peak_flops / 1e9,
      attention_line(h), in_core_lines(h), h.fork_join_s * 1e6, h.threads, h.tiny_sgemm_s * 1e6);
}

}  // namespace

double host_compute_efficiency(const HostCalibration& h) {
  if (h.fma_peak_flops <= 0.0 || h.sgemm_flops <= 0.0) return 1.0;
  // Under gemm_time: sum the sgemm's time is compute + its operands' transfer (A, B read, C written, at
  // the bandwidth the predictor would give them: the LLC's when they fit it, else the triad's); the
  // efficiency is that of the compute part. Timing noise can put it a hair above the FMA burst; the
  // profile format caps efficiency at 1.
  const double n = h.sgemm_n;
  const double flops = 2.0 * n * n * n;
  const double bytes = 3.0 * n * n * sizeof(float);
  const double bandwidth = h.llc_Bps > 0.0 && bytes <= h.llc_size_B ? h.llc_Bps : h.triad_Bps;
  const double time_s = flops / h.sgemm_flops;
  const double transfer_s = bandwidth > 0.0 ? bytes / bandwidth : 0.0;
  const double compute_s = transfer_s < time_s ? time_s - transfer_s : time_s;
  return std::min(1.0, flops / compute_s / h.fma_peak_flops);
}

std::string host_profile_yaml(const HostCalibration& host, const std::string& provenance) {
  return header(host, provenance) + body(host) + read_bandwidth(host) + weight_pack_bandwidth(host) +
         caches(host) + roofs(host);
}

}  // namespace infersim

#pragma once
// A runtime profile: what the serving engine adds to the device's own time on every forward pass
// (docs/formulas.md#runtime_overhead). Real engines reach only part of the roofline at batch 1 because the
// host works between and around the kernels; the profile names that work in a few physical terms
// (runtime_profiles/*.yaml give the values and their sources). The default RuntimeTerms{} adds nothing: the
// device alone.
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/key_span.hpp"

namespace infersim {

// Which all-reduce the runtime calls on the scale-up link (docs/formulas.md#measured_collective):
// link_model: the alpha-beta model of the hardware profile's link terms; nccl: NCCL, at the hardware
// profile's measured bus-bandwidth curve where it gives one; custom: the engine's own one-shot / two-shot
// kernel at the profile's measured curve for the group size while the message is within it, NCCL's past
// it, the link model where the group size has no curve. All-gathers and all-to-alls follow nccl in both.
enum class AllreducePath { link_model, nccl, custom };

// A runtime profile's per-device values: (hardware profile name, value), sorted by name.
using ValuesByHardware = std::vector<std::pair<std::string, double>>;

struct RuntimeTerms {
  std::string name = "none";         // "none": no runtime term, the device alone
  double step_overhead_s = 0.0;      // host work per forward pass (a prefill or one decode step): sampling,
                                     //   scheduler, interpreter loop, graph launch, the device-to-host sync
  double host_launch_s = 0.0;        // host time to issue one kernel; 0 when a pass is one CUDA-graph launch
  bool launches_serialized = false;  // true: the device waits for each kernel's issue, nothing overlaps
  // The engine's own kernels, where they differ from the hardware profile's achievable roofs:
  double int8_weight_only_efficiency = 1.0;  // its W8A16 GEMMs stream int8 weights at this share of the
  double int4_weight_only_efficiency =
      1.0;  //   16-bit weight rate (dequantizing in the mat-vec); W4A16 likewise
  // Its grouped MoE GEMM kernels (the routed experts' up and down projections) compute at this share of
  // the rate the hardware profile's GEMM library reaches on the same shape
  // (docs/formulas.md#moe_gemm_kernel).
  double moe_gemm_efficiency = 1.0;
  // And they stream the experts' weights at this share of the hardware profile's memory roof (their
  // activations at the roof; docs/formulas.md#moe_gemm_kernel)...
  double moe_gemm_stream_efficiency = 1.0;
  // ...or at a share of its own on the devices named here (hardware profile name, share; sorted by name),
  // where a kernel measurement of those kernels on that device gives one.
  ValuesByHardware moe_gemm_stream_efficiency_by_hardware;
  // The fixed time of one call of its MoE module (routing, the activations' quantization, both grouped GEMMs,
  // the finalize) beyond what the operators' roofs and launches give, on the devices named here (hardware
  // profile name, seconds; sorted by name) where a kernel measurement of the module on that device gives one;
  // 0 elsewhere (docs/formulas.md#moe_module_fixed_time).
  ValuesByHardware moe_module_fixed_s_by_hardware;
  double collective_latency_s = 0.0;  // added to every collective it calls (its all-reduce path's
                                      //   fixed cost beyond the link latencies of the hardware profile)
  AllreducePath allreduce = AllreducePath::link_model;
  // Host work per sequence in the pass (the scheduler's and input preparation's per-request bookkeeping,
  // detokenizing its new token): grows with the batch. Default 0; docs/formulas.md#runtime_overhead.
  double host_per_sequence_s = 0.0;
  // true: an overlap scheduler (TensorRT-LLM's PyTorch executor, SGLang's zero-overhead scheduler) runs the
  // host's per-pass work for one pass while the device runs the next, so that work costs time only where it
  // is longer than the device's pass. false: it runs between passes (docs/formulas.md#runtime_overhead).
  bool host_overlaps_device = false;
  // false: that scheduler does not run when the layout has pipeline stages (TensorRT-LLM's PyTorch executor
  // runs its plain pipeline loop at pp > 1), so the host's work adds up there
  // (docs/formulas.md#runtime_overhead).
  bool host_overlaps_under_pp = true;
  // The sampler's passes over each sampled row's logits in fp32, reads and writes counted apart (its
  // casting, temperature, softmax and draw kernels; docs/formulas.md#sampler). 0: no sampler operator.
  double sampler_fp32_passes = 0.0;
  // What its KV cache keeps of a chunked-attention layer: the current chunk, or the whole sequence
  // (core/key_span.hpp ChunkedCache; docs/formulas.md#key_span). Memory only: attention reads the chunk.
  ChunkedCache chunked_cache = ChunkedCache::chunk;

  friend bool operator==(const RuntimeTerms&, const RuntimeTerms&) = default;
};

// The value a per-device list of a runtime profile (hardware profile name, value) gives the hardware profile
// named `hardware`, or `fallback` where the list names no such device.
inline double value_for_hardware(const ValuesByHardware& by_hardware, std::string_view hardware,
                                 double fallback) {
  for (const auto& [name, value] : by_hardware)
    if (name == hardware) return value;
  return fallback;
}

// The share of the memory roof at which `rt`'s grouped MoE GEMMs stream the experts' weights on the hardware
// profile named `hardware`: its own value where the runtime profile gives one, the runtime's otherwise
// (docs/formulas.md#moe_gemm_kernel).
inline double moe_gemm_stream_share(const RuntimeTerms& rt, std::string_view hardware) {
  return value_for_hardware(rt.moe_gemm_stream_efficiency_by_hardware, hardware,
                            rt.moe_gemm_stream_efficiency);
}

// The fixed seconds a call of `rt`'s MoE module takes on the hardware profile named `hardware` beyond its
// operators' roofs: the runtime profile's value for that device, 0 where it gives none
// (docs/formulas.md#moe_module_fixed_time).
inline double moe_module_fixed_s(const RuntimeTerms& rt, std::string_view hardware) {
  return value_for_hardware(rt.moe_module_fixed_s_by_hardware, hardware, 0.0);
}

// A serving engine's scheduler, as its engine arguments name them (the `scheduler:` block of a runtime
// profile; serving/simulator.hpp runs it). Plain data.
enum class Preemption { recompute, swap };
struct SchedulerLimits {
  long long max_num_seqs = 256;             // running sequences
  long long max_num_batched_tokens = 8192;  // tokens per iteration
  long long block_tokens = 16;              // tokens per KV-cache block
  bool chunked_prefill = true;              // prompts split across iterations beside the decodes
  Preemption preemption = Preemption::recompute;
  // Admit a request only when the blocks of its whole sequence (input + output) are free, so nothing is
  // ever preempted (TensorRT-LLM's GUARANTEED_NO_EVICT); false: blocks on demand (vLLM, SGLang).
  bool reserve_full_sequence = false;
  // Requests of a prefix group share the cached KV blocks of their common prefix, whose prefill the
  // later ones skip (vLLM's automatic prefix caching, SGLang's radix cache).
  bool prefix_caching = true;
  // Static shapes (JetStream's compiled generate step): > 0, each of the max_num_seqs decode slots owns a
  // static KV cache of this many tokens, and every generate step attends over the whole cache of every
  // slot, occupied or not (masked positions cost as much as used ones); 0: a paged cache, each sequence
  // attends its own context. docs/formulas.md#static_decode.
  long long static_cache_tokens = 0;
  // Prompts prefilled in one iteration at most (JetStream: one per prefill call); 0: no limit but the
  // token budget.
  long long max_prefill_seqs = 0;
  // true: a prompt is padded to the next power of two (16 at least) before its prefill, as statically
  // compiled prefills are (JetStream's prefill length buckets); docs/formulas.md#static_decode.
  bool pad_prefill_pow2 = false;
  // CUDA-graph padding (TensorRT-LLM's cuda_graph_config with enable_padding): the batch sizes the runtime
  // captured, ascending; an iteration of decode rows alone runs the graph of the smallest size that holds
  // them, its extra rows dummy sequences. Empty: no padding. docs/formulas.md#cuda_graph_padding.
  std::vector<long long> graph_padding_sizes;
};
// The most CUDA-graph batch sizes a runtime profile, the published mapping or `serve --graph-padding` gives.
inline constexpr std::size_t kMaxGraphPaddingSizes = 64;

struct RuntimeProfile {
  RuntimeTerms terms;
  std::optional<SchedulerLimits> scheduler;  // none: the profile cannot serve (no continuous batching)
  std::string description;
  std::string source;
};

// Host time to issue a pass of `kernels` kernels one at a time: N * t_launch.
[[nodiscard]] constexpr double host_issue_s(double kernels, double host_launch_s) {
  return kernels * host_launch_s;
}

// The host's work per pass: t_step + sequences * t_sequence.
[[nodiscard]] constexpr double host_pass_s(double sequences, const RuntimeTerms& r) {
  return r.step_overhead_s + sequences * r.host_per_sequence_s;
}

// Whether the host's per-pass work overlaps the device's pass under a layout of `pipeline_stages` stages.
[[nodiscard]] constexpr bool host_overlap_runs(const RuntimeTerms& r, int pipeline_stages) {
  return r.host_overlaps_device && (pipeline_stages <= 1 || r.host_overlaps_under_pp);
}

// What the runtime adds to a pass of `sequences` sequences whose kernels keep the device busy for device_s:
//   asynchronous launches: overhead = max(0, N * t_launch - device_s) + host;
//   serialized launches:   overhead = N * t_launch + host;
//   host = t_step + sequences * t_sequence, or max(0, that - device_s) under an overlap scheduler.
// Kernel launches are asynchronous (CUDA Programming Guide, "Asynchronous Concurrent Execution"): the
// host queues kernels while the device runs earlier ones, so issuing costs time only where it is slower
// than executing. A runtime that waits on the device between kernels (a synchronising call per graph
// node) gets no overlap: issue and execution add up. The per-pass work does not overlap in a plain loop:
// sampling needs this pass's logits and the next pass needs the sampled token. An overlap scheduler
// launches pass n+1 on the device's own sampled tokens before the host has processed pass n (TensorRT-LLM
// "Overlap Scheduler"; SGLang v0.4's zero-overhead batch scheduler; NanoFlow, Zhu et al. 2024), so the
// host's work hides behind the device's pass and a pass lasts the longer of the two — where that scheduler
// runs for the layout's `pipeline_stages` (host_overlap_runs).
[[nodiscard]] constexpr double runtime_overhead_s(double device_s, double kernels, double sequences,
                                                  const RuntimeTerms& r, int pipeline_stages) {
  const double issue_s = host_issue_s(kernels, r.host_launch_s);
  const double host_s = host_pass_s(sequences, r);
  return (r.launches_serialized ? issue_s : std::max(0.0, issue_s - device_s)) +
         (host_overlap_runs(r, pipeline_stages) ? std::max(0.0, host_s - device_s) : host_s);
}

}  // namespace infersim

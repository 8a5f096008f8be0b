// The table rendering of an estimate, for people: scaled units, aligned columns.
#include <fmt/format.h>

#include "core/time_by_class.hpp"
#include "io/report/report.hpp"
#include "io/report/result_check.hpp"

namespace infersim {

namespace {

std::string human_bytes(double bytes) {
  if (bytes >= 1e9) return fmt::format("{:.2f} GB", bytes / 1e9);
  if (bytes >= 1e6) return fmt::format("{:.2f} MB", bytes / 1e6);
  if (bytes >= 1e3) return fmt::format("{:.2f} kB", bytes / 1e3);
  return fmt::format("{:.0f} B", bytes);
}

std::string human_time(double seconds) {
  if (seconds >= 1.0) return fmt::format("{:.3f} s", seconds);
  if (seconds >= 1e-3) return fmt::format("{:.3f} ms", seconds * 1e3);
  return fmt::format("{:.2f} us", seconds * 1e6);
}

std::string human_count(double n) {
  if (n >= 1e12) return fmt::format("{:.2f} T", n / 1e12);
  if (n >= 1e9) return fmt::format("{:.2f} G", n / 1e9);
  if (n >= 1e6) return fmt::format("{:.2f} M", n / 1e6);
  return fmt::format("{:.0f}", n);
}

std::string operator_table(const char* title, const PhaseResult& phase) {
  std::string out = fmt::format("\n{}\n{:<16} {:>7} {:>11} {:>11} {:>11} {:>11} {:>9} {:>13} {:>12} {:>6}\n",
                                title, "operator", "kernels", "FLOP", "weights", "activations", "KV cache",
                                "FLOP/B", "bound", "time", "share");
  for (const OpResult& op : phase.ops) {
    const Traffic& t = op.cost.bytes;
    out += fmt::format("{:<16} {:>7} {:>11} {:>11} {:>11} {:>11} {:>9.1f} {:>13} {:>12} {:>5.1f}%\n", op.name,
                       human_count(op.kernels), human_count(op.cost.flops), human_bytes(t.weights_read_B),
                       human_bytes(t.act_read_B + t.act_written_B), human_bytes(t.kv_read_B + t.kv_written_B),
                       op.intensity, bound_name(op.bound), human_time(op.time_s),
                       phase.time_s > 0.0 ? 100.0 * op.time_s / phase.time_s : 0.0);
  }
  // The total of the rows above, bytes by kind as in the rows: one device per stage (the header's TFLOP
  // are the replica's, every device counted).
  Traffic sum;
  double kernels = 0.0;
  for (const OpResult& op : phase.ops) {
    sum = plus(sum, op.cost.bytes);
    kernels += op.kernels;
  }
  const double bytes = total_bytes(sum);
  out += fmt::format("{:<16} {:>7} {:>11} {:>11} {:>11} {:>11} {:>9.1f} {:>13} {:>12}\n", "total/device",
                     human_count(kernels), human_count(phase.flops), human_bytes(sum.weights_read_B),
                     human_bytes(sum.act_read_B + sum.act_written_B),
                     human_bytes(sum.kv_read_B + sum.kv_written_B), bytes > 0.0 ? phase.flops / bytes : 0.0,
                     fmt::format("{}-bound", bound_name(phase.bound)), human_time(phase.time_s));
  // The same time by kind of work (docs/formulas.md#time_by_class).
  out += "by kind:";
  for (int c = 0; c < kOpClasses; ++c) {
    const double share = phase.time_s > 0.0 ? phase.class_s[static_cast<std::size_t>(c)] / phase.time_s : 0.0;
    out += fmt::format("  {} {:.1f}%", time_class_name(c), 100.0 * share);
  }
  return out + "\n";
}

}  // namespace

std::string to_table(const EstimateReport& r, bool breakdown) {
  check_estimate(r.estimate);
  const Scenario& sc = r.scenario;
  const Estimate& e = r.estimate;
  std::string out = fmt::format("{} on {} ({})\n", terminal_text(r.model.name),
                                terminal_text(r.hardware.name), terminal_text(r.hardware.description));
  const Layout& l = sc.layout;
  const std::string experts =
      sc.expert_weights ? fmt::format(" (routed experts {})", dtype_name(sc.expert_weights->dtype)) : "";
  const std::string streaming =
      sc.kv_window > 0
          ? fmt::format(" (StreamingLLM: {} sink + {} recent tokens cached)", sc.kv_sinks, sc.kv_window)
          : "";
  out += fmt::format("batch {}, input {} tokens, output {} tokens; weights {}{}, activations {}, KV {}{}\n",
                     sc.batch, sc.input_tokens, sc.output_tokens, dtype_name(sc.weights.dtype), experts,
                     dtype_name(sc.activations), dtype_name(sc.kv), streaming);
  if (l.attention_dp > 1) {
    out += fmt::format(
        "{} device(s): attention data-parallel {} x pp {} x dp {} ({} micro-batch(es)); batch {} on each "
        "attention rank, {}\n\n",
        e.devices, l.attention_dp, l.pp, l.dp, l.micro_batches, sc.batch,
        l.moe_tp == 1 ? fmt::format("experts split {} ways", l.attention_dp)
        : l.moe_tp == l.attention_dp
            ? fmt::format("every expert on every rank, its FFN split {} ways", l.moe_tp)
            : fmt::format("experts split {} ways, each expert's FFN {} ways", l.attention_dp / l.moe_tp,
                          l.moe_tp));
  } else {
    out += fmt::format("{} device(s): tp {} x pp {} x dp {} (ep {}, {} micro-batch(es))\n\n", e.devices, l.tp,
                       l.pp, l.dp, l.ep, l.micro_batches);
  }
  out += fmt::format("  parameters        {} total, {} active per token\n", human_count(e.params_total),
                     human_count(e.params_active));
  out += fmt::format("  weights           {} ({:.3g} bits per parameter)\n", human_bytes(e.weight_bytes),
                     e.weight_bits_effective);
  out += fmt::format("  KV cache          {} at the end ({} per token)\n", human_bytes(e.kv_cache_bytes),
                     human_bytes(e.kv_bytes_per_token));
  out += fmt::format("  activations       {} (prefill peak)\n", human_bytes(e.activation_bytes));
  out += fmt::format("  runtime reserve   {}\n", human_bytes(e.runtime_reserve_bytes));
  out += fmt::format("  per device        weights {}, KV cache {}\n", human_bytes(e.weight_bytes_per_device),
                     human_bytes(e.kv_cache_bytes_per_device));
  out += fmt::format("  memory / device   {} of {} usable ({} device): {}\n",
                     human_bytes(e.memory_per_device_bytes), human_bytes(e.usable_memory_bytes),
                     human_bytes(e.device_memory_bytes), e.fits ? "fits" : "DOES NOT FIT");
  // The times are computed whether or not the memory fits: say so, lest they be read as achievable.
  if (!e.fits)
    out +=
        "  (the times below assume it fitted; the capacity command finds the batch, context or devices that "
        "do)\n";
  out += "\n";
  out += fmt::format("  TTFT (prefill)    {}  {}-bound, {}FLOP\n", human_time(e.ttft_s),
                     bound_name(e.prefill.bound), human_count(e.prefill_flops));
  out += fmt::format("  TPOT (decode)     {}  {}-bound at mean context {}\n", human_time(e.tpot_s),
                     bound_name(e.decode_step.bound), e.decode_mean_context);
  out += fmt::format("  communication     {} in prefill, {} per decode step\n",
                     human_time(e.comm_time_prefill_s), human_time(e.comm_time_per_decode_step_s));
  out += fmt::format("  runtime ({})  {} in prefill, {} per decode step (included above)\n",
                     terminal_text(r.scenario.runtime.name), human_time(e.runtime_overhead_prefill_s),
                     human_time(e.runtime_overhead_per_step_s));
  out += fmt::format("  end-to-end        {}\n", human_time(e.e2e_latency_s));
  out += fmt::format("  throughput        {:.1f} output tokens/s\n", e.output_throughput_tok_s);
  if (breakdown) {
    out += operator_table("Prefill of one (micro-)batch, one device per stage, stages summed", e.prefill);
    out += operator_table(fmt::format("Decode step at mean context {}", e.decode_mean_context).c_str(),
                          e.decode_step);
  }
  return out;
}

}  // namespace infersim

#include "io/report/plan_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "io/report/report.hpp"
#include "io/report/result_check.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

std::string layout_text(const Layout& l) { return fmt::format("tp{} pp{}", l.tp, l.pp); }

// Weights / activations / KV cache, as the column header says.
std::string quant_text(const PlanCandidate& c, Dtype kv) {
  return fmt::format("{}/{}/{}", dtype_name(c.weights), dtype_name(c.activations), dtype_name(kv));
}

// Rejected candidates that would have cost less than the best feasible one, had they met the targets.
std::vector<const PlanCandidate*> cheaper_rejections(const PlanResult& r, std::size_t limit) {
  std::vector<const PlanCandidate*> out;
  const double best = r.feasible.empty() ? 1e300 : r.feasible.front().cost;
  for (const PlanCandidate& c : r.rejected) {
    if (c.cost < best && out.size() < limit) out.push_back(&c);
  }
  return out;
}

std::string ms_text(double s) {
  return s < 1.0 ? fmt::format("{:.1f} ms", s * 1e3) : fmt::format("{:.3f} s", s);
}

// The serving answer's lines in capacity's table (the static answers' column width).
std::string capacity_serving_lines(const CapacityServing& s) {
  const serving::ServingCapacity& a = s.answer;
  const serving::MaxRateResult& m = a.search;
  const std::string label = "  serving rate meeting the SLOs      ";
  if (a.not_simulated) return label + "not simulated: " + terminal_text(*a.not_simulated) + "\n";
  if (!m.rate_rps && !m.next_rate_rps) return label + "none: no request of these lengths fits the KV cache\n";
  if (!m.rate_rps) {
    return label + fmt::format("none: even {:.4g} req/s (1 % of the offline rate) misses the p{:g} targets\n",
                               *m.next_rate_rps, a.percentile);
  }
  const serving::ServeSummary& at = m.at_rate.summary;
  std::string out =
      label + fmt::format("{:.4g} req/s (p{:g} TTFT {}, TPOT {}, {:.1f} tok/s per device)\n", *m.rate_rps,
                          a.percentile, ms_text(serving::summary_percentile(at, a.percentile, true)),
                          ms_text(serving::summary_percentile(at, a.percentile, false)),
                          a.throughput_per_device_tok_s);
  out += fmt::format("{:37}continuous batching: {} Poisson requests, {}'s scheduler; ", "", s.requests,
                     terminal_text(s.scheduler));
  out += m.next_rate_rps ? fmt::format("{:.4g} req/s misses\n", *m.next_rate_rps)
                         : "met up to the search's bound, twice the offline rate\n";
  return out;
}

std::string optional_number(const std::optional<double>& v) { return v ? format_number(*v) : "null"; }

// capacity's serving keys, each after a comma (docs/output-keys.md, capacity).
std::string capacity_serving_json(const CapacityServing& s) {
  const serving::ServingCapacity& a = s.answer;
  std::string out = fmt::format(
      ",\n  \"serving_scheduler\": {},\n  \"serving_requests\": {},\n  \"serving_percentile\": {}",
      json_string(s.scheduler), s.requests, format_number(a.percentile));
  if (a.not_simulated) return out + ",\n  \"serving_not_simulated\": " + json_string(*a.not_simulated);
  const serving::MaxRateResult& m = a.search;
  std::optional<double> ttft, tpot;
  if (m.rate_rps) {
    ttft = serving::summary_percentile(m.at_rate.summary, a.percentile, true);
    tpot = serving::summary_percentile(m.at_rate.summary, a.percentile, false);
  }
  return out + fmt::format(
                   ",\n  \"serving_offline_rate_rps\": {},\n  \"serving_max_rate_rps\": {},\n  "
                   "\"serving_next_rate_rps\": {},\n  \"serving_ttft_s\": {},\n  \"serving_tpot_s\": {},\n  "
                   "\"serving_throughput_per_device_tok_s\": {}",
                   format_number(m.offline_rps), optional_number(m.rate_rps),
                   optional_number(m.next_rate_rps), optional_number(ttft), optional_number(tpot),
                   format_number(a.throughput_per_device_tok_s));
}
}  // namespace

std::string capacity_table(const CapacityReport& r) {
  const CapacityResult& c = r.result;
  check_capacity(c);
  const Scenario& sc = r.scenario;
  // Attention data-parallel ranks each hold a batch of their own: the batches below are one rank's.
  const std::string layout =
      sc.layout.attention_dp > 1
          ? fmt::format("attention data-parallel {} x pp {}{} (batches per rank)", sc.layout.attention_dp,
                        sc.layout.pp,
                        sc.layout.moe_tp > 1 ? fmt::format(", each expert split {} ways", sc.layout.moe_tp)
                                             : std::string())
          : fmt::format("tp {} x pp {}", sc.layout.tp, sc.layout.pp);
  std::string out = fmt::format("{} on {}: input {}, output {} tokens, {}, weights {}, KV {}\n",
                                terminal_text(r.model.name), terminal_text(r.hardware.name), sc.input_tokens,
                                sc.output_tokens, layout, dtype_name(sc.weights.dtype), dtype_name(sc.kv));
  // A context limit is the model's own maximum or what memory allows: say which.
  auto context = [&r](long long tokens) {
    if (tokens == 0) return std::string("none (not even one token fits)");
    return fmt::format(
        "{} tokens{}", tokens,
        tokens >= r.model.max_context ? " (the model's maximum context; memory holds it)" : " (memory)");
  };
  if (c.max_batch == 0)
    out += "  largest batch that fits            none: not even batch 1 fits this layout\n";
  else
    out += fmt::format("  largest batch that fits            {}\n", c.max_batch);
  out += fmt::format("  longest context at batch 1         {}\n", context(c.max_context_batch1));
  if (sc.batch != 1)
    out += fmt::format("  longest context at batch {:<9} {}\n", sc.batch, context(c.max_context_at_batch));
  if (c.min_devices == 0)
    out += "  fewest devices holding the model   none: no layout searched holds the model\n";
  else
    out += fmt::format("  fewest devices holding the model   {} (tp {} x pp {})\n", c.min_devices, c.min_tp,
                       c.min_pp);
  if (r.targets.ttft_s > 0.0 || r.targets.tpot_s > 0.0) {
    if (c.slo_max_batch == 0)
      out += "  static batch meeting the SLOs      none: no batch meets the targets\n";
    else
      out += fmt::format(
          "  static batch meeting the SLOs      {} (all started together: TTFT {:.1f} ms, TPOT {:.2f} ms, "
          "{:.1f} tok/s per device)\n",
          c.slo_max_batch, c.slo_ttft_s * 1e3, c.slo_tpot_s * 1e3, c.slo_throughput_per_device_tok_s);
  }
  if (r.serving) out += capacity_serving_lines(*r.serving);
  return out;
}

std::string capacity_json(const CapacityReport& r) {
  const CapacityResult& c = r.result;
  check_capacity(c);
  return fmt::format(
      "{{\n  \"model\": {},\n  \"hardware\": {},\n  \"input_tokens\": {},\n  \"output_tokens\": {},\n"
      "  \"tp\": {},\n  \"pp\": {},\n  \"batch\": {},\n  \"max_batch\": {},\n  \"max_context_batch1\": {},\n"
      "  \"max_context_at_batch\": {},\n  \"min_devices\": {},\n  \"min_tp\": {},\n  \"min_pp\": {},\n"
      "  \"ttft_slo_s\": {},\n  \"tpot_slo_s\": {},\n  \"slo_max_batch\": {},\n"
      "  \"slo_throughput_per_device_tok_s\": {}{}{}\n}}\n",
      json_string(r.model.name), json_string(r.hardware.name), r.scenario.input_tokens,
      r.scenario.output_tokens, r.scenario.layout.tp, r.scenario.layout.pp, r.scenario.batch, c.max_batch,
      c.max_context_batch1, c.max_context_at_batch, c.min_devices, c.min_tp, c.min_pp,
      format_number(r.targets.ttft_s), format_number(r.targets.tpot_s), c.slo_max_batch,
      format_number(c.slo_throughput_per_device_tok_s),
      r.scenario.layout.attention_dp > 1
          ? fmt::format(",\n  \"attention_dp\": {},\n  \"moe_tp\": {}", r.scenario.layout.attention_dp,
                        r.scenario.layout.moe_tp)
          : std::string(),
      r.serving ? capacity_serving_json(*r.serving) : "");
}

namespace {

// A candidate's simulation keys, each after a comma (docs/output-keys.md, plan).
std::string candidate_simulation_json(const PlanCandidate& c) {
  if (!c.simulated) {
    return fmt::format(", \"simulated\": false{}",
                       c.not_simulated.empty() ? "" : ", \"not_simulated\": " + json_string(c.not_simulated));
  }
  const PlanCandidate::Simulated& s = *c.simulated;
  return fmt::format(
      ", \"simulated\": true, \"sim_rate_per_replica_rps\": {}, \"sim_ttft_p99_s\": {}, \"sim_tpot_p99_s\": "
      "{}, "
      "\"replicas_added\": {}",
      format_number(s.rate_per_replica_rps), format_number(s.ttft_p99_s), format_number(s.tpot_p99_s),
      s.replicas_added);
}

// plan's table header, the columns of the simulation only when it ran.
std::string plan_header(const PlanRequest& q, const PlanResult& r, const PlanSimulationText& sim) {
  std::string out;
  if (sim.candidates > 0) {
    out += fmt::format(
        "(static screen: steady-state continuous batching, TTFT without queueing, runtime {}; the cheapest\n"
        " simulated: p99 with queueing, one replica at rate / replicas, {} Poisson requests, {}'s "
        "scheduler)\n\n",
        terminal_text(q.base.runtime.name), sim.requests, terminal_text(sim.scheduler));
  } else {
    out += fmt::format("(steady-state continuous batching; TTFT excludes queueing; runtime {})\n\n",
                       terminal_text(q.base.runtime.name));
  }
  out += fmt::format("{:>4} {:<16} {:<10} {:<16} {:>6} {:>9} {:>9} ", "rank", "hardware", "layout",
                     "weights/act/kv", "batch", "TTFT ms", "TPOT ms");
  if (sim.candidates > 0) out += fmt::format("{:>9} {:>9} ", "p99 TTFT", "p99 TPOT");
  return out + fmt::format("{:>9} {:>8} {:>8} {:>12}\n", "req/s", "replicas", "devices",
                           r.priced ? "USD/hour" : "cost");
}

std::string plan_row(int rank, const PlanCandidate& c, const PlanRequest& q, const PlanResult& r,
                     const PlanSimulationText& sim) {
  std::string out =
      fmt::format("{:>4} {:<16} {:<10} {:<16} {:>6} {:>9.1f} {:>9.2f} ", rank, terminal_text(c.hardware),
                  layout_text(c.layout), quant_text(c, q.base.kv), c.batch, c.ttft_s * 1e3, c.step_s * 1e3);
  if (sim.candidates > 0 && c.simulated)
    out += fmt::format("{:>9.1f} {:>9.2f} ", c.simulated->ttft_p99_s * 1e3, c.simulated->tpot_p99_s * 1e3);
  else if (sim.candidates > 0)
    out += fmt::format("{:>9} {:>9} ", "-", "-");
  const std::string replicas =
      c.simulated && c.simulated->replicas_added > 0
          ? fmt::format("{}+{}", c.replicas - c.simulated->replicas_added, c.simulated->replicas_added)
          : std::to_string(c.replicas);
  return out + fmt::format("{:>9.2f} {:>8} {:>8} {:>12}\n", c.replica_rps, replicas, c.devices,
                           r.priced ? fmt::format("{:.2f}", c.cost) : fmt::format("{} devices", c.devices));
}

// Below the table: what +N replicas means, and why shown candidates were not simulated.
std::string plan_notes(const PlanResult& r, int top) {
  std::string out;
  bool added = false;
  std::vector<std::pair<std::string, std::string>> why;  // reason, the ranks it applies to
  int rank = 0;
  for (const PlanCandidate& c : r.feasible) {
    if (++rank > top) break;
    added = added || (c.simulated && c.simulated->replicas_added > 0);
    if (c.not_simulated.empty()) continue;
    auto it = std::find_if(why.begin(), why.end(), [&](const auto& w) { return w.first == c.not_simulated; });
    if (it == why.end())
      why.push_back({c.not_simulated, std::to_string(rank)});
    else
      it->second += ", " + std::to_string(rank);
  }
  if (added)
    out += "R+N replicas: N added to the static screen's R so that the simulated p99 meets the targets\n";
  for (const auto& [reason, ranks] : why)
    out += fmt::format("not simulated (rank{} {}): {}\n", ranks.find(',') == std::string::npos ? "" : "s",
                       ranks, terminal_text(reason));
  return out;
}

}  // namespace

std::string plan_table(const ModelSpec& m, const PlanRequest& q, const PlanResult& r, int top,
                       const PlanSimulationText& sim) {
  check_plan(r);
  std::string out = fmt::format("{} at {} requests/s, {} in / {} out, TTFT <= {:.0f} ms, TPOT <= {:.1f} ms\n",
                                terminal_text(m.name), q.rate_rps, q.base.input_tokens, q.base.output_tokens,
                                q.targets.ttft_s * 1e3, q.targets.tpot_s * 1e3);
  out += plan_header(q, r, sim);
  int rank = 0;
  for (const PlanCandidate& c : r.feasible) {
    if (++rank > top) break;
    out += plan_row(rank, c, q, r, sim);
  }
  if (r.feasible.empty()) out += "no candidate meets the targets\n";
  out += plan_notes(r, top);
  const auto cheaper = cheaper_rejections(r, 12);
  if (!cheaper.empty()) out += "\nCheaper candidates that fail (per replica):\n";
  for (const PlanCandidate* c : cheaper) {
    out += fmt::format("  {:<16} {:<10} {:<16} {}\n", terminal_text(c->hardware), layout_text(c->layout),
                       quant_text(*c, q.base.kv), c->failure);
  }
  return out;
}

std::string plan_json(const ModelSpec& m, const PlanRequest& q, const PlanResult& r, int top,
                      const PlanSimulationText& sim) {
  check_plan(r);
  std::string rows;
  int rank = 0;
  for (const PlanCandidate& c : r.feasible) {
    if (++rank > top) break;
    rows += fmt::format(
        "{}    {{\"rank\": {}, \"hardware\": {}, \"tp\": {}, \"pp\": {}, \"weights\": {}, "
        "\"activations\": {}, \"kv\": {}, \"batch\": {}, \"ttft_s\": {}, \"tpot_s\": {}, "
        "\"replica_rps\": {}, \"replicas\": {}, \"devices\": {}, \"cost\": {}{}}}",
        rank == 1 ? "" : ",\n", rank, json_string(c.hardware), c.layout.tp, c.layout.pp,
        json_string(dtype_name(c.weights)), json_string(dtype_name(c.activations)),
        json_string(dtype_name(q.base.kv)), c.batch, format_number(c.ttft_s), format_number(c.step_s),
        format_number(c.replica_rps), c.replicas, c.devices, format_number(c.cost),
        sim.candidates > 0 ? candidate_simulation_json(c) : "");
  }
  const std::string simulation =
      sim.candidates > 0
          ? fmt::format(
                "  \"simulated_candidates\": {},\n  \"sim_requests\": {},\n  \"sim_scheduler\": {},\n",
                sim.candidates, sim.requests, json_string(sim.scheduler))
          : "";
  return fmt::format(
      "{{\n  \"model\": {},\n  \"rate_rps\": {},\n  \"runtime\": {},\n{}  \"feasible\": {},\n  "
      "\"candidates\": [\n{}\n  ]\n}}\n",
      json_string(m.name), format_number(q.rate_rps), json_string(q.base.runtime.name), simulation,
      r.feasible.empty() ? "false" : "true", rows);
}

}  // namespace infersim

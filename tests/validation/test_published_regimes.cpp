// The regime table of validate --published (docs/formulas.md#regime_error), on hand-made judged rows.
#include <algorithm>
#include <catch2/catch.hpp>

#include "io/published/published_report.hpp"
#include "validation/published_regimes.hpp"

using namespace infersim;

namespace {

PublishedCase row(MetricKind metric, double rel_error, long long batch, int tp, const char* model,
                  Dtype weights = Dtype::bf16) {
  PublishedCase c;
  MappedConfig m;
  m.model = model;
  m.metric = metric;
  m.scenario.batch = batch;
  m.scenario.layout.tp = tp;
  m.scenario.weights = default_storage_format(weights);
  c.mapping.config = m;
  c.rel_error = rel_error;
  return c;
}

const auto kMoe = [](const std::string& model) { return model == "mixtral-8x7b"; };

const RegimeError& find(const std::vector<RegimeError>& t, const char* axis, const char* regime) {
  for (const RegimeError& r : t) {
    if (r.axis == axis && r.regime == regime) return r;
  }
  FAIL("no regime " << axis << " " << regime);
  return t.front();
}

}  // namespace

TEST_CASE("A rate's error turns into the time domain: 25 % too fast a rate is 20 % too short a time") {
  // Predicted 125 tok/s against 100 measured: time per token 1/125 against 1/100, 0.8 - 1 = -0.2.
  CHECK(*time_domain_error(row(MetricKind::decode_tok_s, 0.25, 1, 1, "m")) == Approx(-0.2));
  // A time keeps its error: predicted 90 ms against 100 ms measured.
  CHECK(*time_domain_error(row(MetricKind::tpot_ms, -0.1, 1, 1, "m")) == Approx(-0.1));
  // So does a static batch's whole run: predicted 1.5 s against 2 s measured.
  CHECK(*time_domain_error(row(MetricKind::e2e_latency_s, -0.25, 8, 2, "m")) == Approx(-0.25));
  // A speed-up is a ratio of two times: reported apart.
  CHECK(!time_domain_error(row(MetricKind::speedup, 0.1, 1, 1, "m")));
}

TEST_CASE("Rows land in their regimes, fitted, unmapped and speed-up rows are left out") {
  std::vector<PublishedCase> cases = {
      row(MetricKind::tpot_ms, -0.10, 1, 1, "llama"),                    // -0.10
      row(MetricKind::decode_tok_s, 0.25, 64, 8, "mixtral-8x7b"),        // -0.20
      row(MetricKind::ttft_ms, 0.30, 8, 1, "llama", Dtype::fp8),         // +0.30
      row(MetricKind::output_tok_s, 1.0, 960, 4, "llama", Dtype::int4),  // 1/2 - 1 = -0.50
      row(MetricKind::speedup, 0.5, 1, 1, "llama"),
  };
  PublishedCase fitted = row(MetricKind::tpot_ms, 0.9, 1, 1, "llama");
  fitted.fitted = true;
  cases.push_back(fitted);
  cases.push_back(PublishedCase{});  // unmapped
  const std::vector<RegimeError> t = regime_errors(cases, kMoe);
  CHECK(find(t, "batch", "1").rows == 1);
  CHECK(find(t, "batch", "1").signed_mean == Approx(-0.10));
  CHECK(find(t, "batch", "2-31").signed_mean == Approx(0.30));
  CHECK(find(t, "batch", ">= 32").rows == 2);
  CHECK(find(t, "batch", ">= 32").signed_mean == Approx(-0.35));  // (-0.2 - 0.5) / 2
  CHECK(find(t, "batch", ">= 32").mape == Approx(0.35));
  CHECK(find(t, "precision", "16-bit").rows == 2);
  CHECK(find(t, "precision", "8-bit or narrower").signed_mean == Approx(-0.10));  // (0.3 - 0.5) / 2
  CHECK(find(t, "experts", "MoE").rows == 1);
  CHECK(find(t, "experts", "dense").rows == 3);
  CHECK(find(t, "tensor parallel", "tp > 1").rows == 2);
  CHECK(find(t, "phase", "TTFT (prefill)").rows == 1);
  CHECK(find(t, "phase", "TPOT (decode)").rows == 2);
  CHECK(find(t, "phase", "throughput (end to end)").mape == Approx(0.5));
  // At least 2 rows leaning beyond 20 %: batch >= 32 (-35 %) does, the 16-bit rows (-15 %) do not.
  const std::vector<RegimeError> lean = leaning_regimes(t, 2, 0.20);
  CHECK(std::any_of(lean.begin(), lean.end(), [](const RegimeError& r) { return r.regime == ">= 32"; }));
  CHECK(std::none_of(lean.begin(), lean.end(), [](const RegimeError& r) { return r.regime == "16-bit"; }));
}

TEST_CASE("Every judged row: the serving group joins with its own batch regime, fitted rows stay out") {
  // A serving row (its load set) at +25 % throughput (time -20 %) beside a one-configuration row at
  // -10 % TPOT: the one-configuration table keeps only the latter; the every-judged table takes both, the
  // serving row under the scheduler's batch regime; as one: (-0.2 - 0.1) / 2 = -0.15, MAPE 0.15.
  PublishedCase serving = row(MetricKind::output_tok_s, 0.25, 1, 8, "mixtral-8x7b");
  serving.mapping.config->load = ServingLoad{};
  PublishedCase fitted = row(MetricKind::output_tok_s, 0.9, 1, 1, "llama");
  fitted.mapping.config->load = ServingLoad{};
  fitted.fitted = true;
  const std::vector<PublishedCase> cases = {row(MetricKind::tpot_ms, -0.10, 1, 1, "llama"), serving, fitted};
  const std::vector<RegimeError> one = regime_errors(cases, kMoe);
  CHECK(find(one, "batch", "1").rows == 1);
  CHECK(find(one, "experts", "MoE").rows == 0);
  CHECK(std::none_of(one.begin(), one.end(),
                     [](const RegimeError& r) { return r.regime == "scheduler's (serving)"; }));
  const std::vector<RegimeError> every = regime_errors(cases, kMoe, RegimeRows::every_judged);
  CHECK(find(every, "batch", "1").rows == 1);
  CHECK(find(every, "batch", "scheduler's (serving)").rows == 1);
  CHECK(find(every, "batch", "scheduler's (serving)").signed_mean == Approx(-0.2));
  CHECK(find(every, "experts", "MoE").rows == 1);
  CHECK(find(every, "tensor parallel", "tp > 1").rows == 1);
  CHECK(find(every, "phase", "throughput (end to end)").rows == 1);
  const RegimeError all = all_judged_error(cases);
  CHECK(all.rows == 2);
  CHECK(all.signed_mean == Approx(-0.15));
  CHECK(all.mape == Approx(0.15));
}

TEST_CASE("Every judged row by device: one regime per hardware profile, in name order, fitted rows out") {
  // h200-sxm: one TPOT row at -10 %. b200: a serving row at +25 % throughput (time -20 %) and a TPOT row at
  // +30 %: signed mean (-0.2 + 0.3) / 2 = +0.05, MAPE (0.2 + 0.3) / 2 = 0.25. a100-80gb-sxm: only a fitted
  // row, so no regime. The one-configuration table has no device axis.
  const auto on = [](PublishedCase c, const char* hardware) {
    c.mapping.config->hardware = hardware;
    return c;
  };
  PublishedCase serving = on(row(MetricKind::output_tok_s, 0.25, 1, 1, "llama"), "b200");
  serving.mapping.config->load = ServingLoad{};
  PublishedCase fitted = on(row(MetricKind::tpot_ms, 0.9, 1, 1, "llama"), "a100-80gb-sxm");
  fitted.fitted = true;
  const std::vector<PublishedCase> cases = {
      on(row(MetricKind::tpot_ms, -0.10, 1, 1, "llama"), "h200-sxm"), serving,
      on(row(MetricKind::tpot_ms, 0.30, 1, 1, "llama"), "b200"), fitted};
  const std::vector<RegimeError> every = regime_errors(cases, kMoe, RegimeRows::every_judged);
  std::vector<std::string> devices;
  for (const RegimeError& r : every) {
    if (r.axis == "device") devices.push_back(r.regime);
  }
  CHECK(devices == std::vector<std::string>{"b200", "h200-sxm"});
  CHECK(every.back().regime == "h200-sxm");  // the device regimes close the table
  CHECK(find(every, "device", "b200").rows == 2);
  CHECK(find(every, "device", "b200").signed_mean == Approx(0.05));
  CHECK(find(every, "device", "b200").mape == Approx(0.25));
  CHECK(find(every, "device", "h200-sxm").signed_mean == Approx(-0.10));
  const std::vector<RegimeError> one = regime_errors(cases, kMoe);
  CHECK(std::none_of(one.begin(), one.end(), [](const RegimeError& r) { return r.axis == "device"; }));
}

TEST_CASE("Rows grouped by the kind of work that takes most of their predicted time") {
  // Three judged rows with breakdowns: two mostly in GEMMs (time errors -0.10 and -0.30), one mostly in
  // attention (+0.20); a speed-up row, a fitted row and a row without a breakdown are left out.
  const auto with = [](PublishedCase c, TimeByClass t) {
    c.time_by_class = t;
    return c;
  };
  TimeByClass gemm_heavy;
  gemm_heavy.device_s = {3.0, 0.0, 1.0, 0.0, 0.0};  // GEMMs 3/4, attention 1/4
  TimeByClass gemm_and_host;
  gemm_and_host.device_s = {1.0, 0.0, 0.0, 0.0, 0.0};
  gemm_and_host.host_s = 1.0;  // a tie breaks to the first row: GEMMs 1/2, host 1/2
  TimeByClass attention_heavy;
  attention_heavy.device_s = {1.0, 0.0, 3.0, 0.0, 0.0};  // GEMMs 1/4, attention 3/4
  PublishedCase fitted = with(row(MetricKind::tpot_ms, 0.9, 1, 1, "m"), gemm_heavy);
  fitted.fitted = true;
  const std::vector<PublishedCase> cases = {
      with(row(MetricKind::tpot_ms, -0.10, 1, 1, "m"), gemm_heavy),
      with(row(MetricKind::tpot_ms, -0.30, 1, 1, "m"), gemm_and_host),
      with(row(MetricKind::tpot_ms, 0.20, 1, 1, "m"), attention_heavy),
      with(row(MetricKind::speedup, 0.5, 1, 1, "m"), gemm_heavy),
      fitted,
      row(MetricKind::tpot_ms, 0.7, 1, 1, "m"),  // no breakdown
  };
  const std::vector<TimeClassError> g = time_class_errors(cases);
  REQUIRE(g.size() == kTimeClasses + 1);
  const TimeClassError& gemms = g[static_cast<std::size_t>(OpClass::gemm)];
  CHECK(gemms.rows == 2);
  CHECK(gemms.signed_mean == Approx(-0.20));
  CHECK(gemms.mape == Approx(0.20));
  CHECK(gemms.share[0] == Approx(0.625));          // (3/4 + 1/2) / 2
  CHECK(gemms.share[2] == Approx(0.125));          // (1/4 + 0) / 2
  CHECK(gemms.share[kOpClasses] == Approx(0.25));  // the host: (0 + 1/2) / 2
  const TimeClassError& attention = g[static_cast<std::size_t>(OpClass::attention)];
  CHECK(attention.rows == 1);
  CHECK(attention.signed_mean == Approx(0.20));
  CHECK(attention.share[2] == Approx(0.75));
  CHECK(g[static_cast<std::size_t>(OpClass::expert_gemm)].rows == 0);
  const TimeClassError& all = g.back();
  CHECK(all.time_class == kTimeClasses);
  CHECK(all.rows == 3);
  CHECK(all.signed_mean == Approx(-0.20 / 3.0));  // (-0.1 - 0.3 + 0.2) / 3
  CHECK(all.mape == Approx(0.20));                // (0.1 + 0.3 + 0.2) / 3
}

TEST_CASE("Every judged row by pipeline stages: pp 1 and pp > 1 beside tensor parallelism, report only") {
  // Two judged rows at pp 1 (TPOT -10 % and +30 %: signed mean +0.10, MAPE 0.20) and one at pp 4 (a serving
  // row, +25 % throughput: time -20 %); a fitted pp 4 row stays out. The one-configuration (gated) table has
  // no pipeline axis.
  const auto staged = [](PublishedCase c, int pp) {
    c.mapping.config->scenario.layout.pp = pp;
    return c;
  };
  PublishedCase serving = staged(row(MetricKind::output_tok_s, 0.25, 1, 1, "llama"), 4);
  serving.mapping.config->load = ServingLoad{};
  PublishedCase fitted = staged(row(MetricKind::tpot_ms, 0.9, 1, 1, "llama"), 4);
  fitted.fitted = true;
  const std::vector<PublishedCase> cases = {row(MetricKind::tpot_ms, -0.10, 1, 1, "llama"),
                                            row(MetricKind::tpot_ms, 0.30, 1, 1, "llama"), serving, fitted};
  const std::vector<RegimeError> every = regime_errors(cases, kMoe, RegimeRows::every_judged);
  CHECK(find(every, "pipeline", "pp 1").rows == 2);
  CHECK(find(every, "pipeline", "pp 1").signed_mean == Approx(0.10));
  CHECK(find(every, "pipeline", "pp 1").mape == Approx(0.20));
  CHECK(find(every, "pipeline", "pp > 1").rows == 1);
  CHECK(find(every, "pipeline", "pp > 1").signed_mean == Approx(-0.20));
  // Right after tensor parallelism's two regimes.
  const auto at = [&every](const char* axis, const char* regime) {
    return std::find_if(every.begin(), every.end(),
                        [&](const RegimeError& r) { return r.axis == axis && r.regime == regime; }) -
           every.begin();
  };
  CHECK(at("pipeline", "pp 1") == at("tensor parallel", "tp > 1") + 1);
  CHECK(at("pipeline", "pp > 1") == at("tensor parallel", "tp > 1") + 2);
  const std::vector<RegimeError> one = regime_errors(cases, kMoe);
  CHECK(std::none_of(one.begin(), one.end(), [](const RegimeError& r) { return r.axis == "pipeline"; }));
}

TEST_CASE("The regime table's target line: regimes of >= 5 rows leaning beyond 10 % either way are named") {
  // Hand-made regimes: 19 rows at -12.9 % (beyond 10 %), 44 at -9.0 % (within), 6 at +10.5 % (beyond, the
  // other way) and 3 at -40 % (too few rows to count). The target is printed whether or not a gate is on.
  const std::vector<RegimeError> leaning = {{"batch", ">= 32", 19, -0.129, 0.13},
                                            {"tensor parallel", "tp > 1", 44, -0.090, 0.11},
                                            {"phase", "TTFT (prefill)", 6, 0.105, 0.2},
                                            {"experts", "MoE", 3, -0.40, 0.4}};
  const std::string report = regime_section(leaning, std::nullopt, 5);
  CHECK(report.find("Target: every regime of >= 5 rows within 10% either way: NOT met by batch >= 32 "
                    "(-12.9%); phase TTFT (prefill) (+10.5%)\n") != std::string::npos);
  const std::vector<RegimeError> within = {{"batch", ">= 32", 19, -0.099, 0.13},
                                           {"experts", "MoE", 3, -0.40, 0.4}};
  CHECK(regime_section(within, 0.15, 5).find("within 10% either way: met\n") != std::string::npos);
}

TEST_CASE("Every judged row's line says whether its time-domain MAPE meets the 10 % target") {
  const RegimeError above{"all", "all", 417, -0.050, 0.108};
  CHECK(every_judged_section({}, above).find("MAPE 10.8% (time domain; target <= 10%: NOT met)") !=
        std::string::npos);
  const RegimeError below{"all", "all", 417, -0.050, 0.098};
  CHECK(every_judged_section({}, below).find("MAPE 9.8% (time domain; target <= 10%: met)") !=
        std::string::npos);
}

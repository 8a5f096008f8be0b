#include "serving/max_rate.hpp"

#include <algorithm>
#include <stdexcept>

namespace infersim::serving {

namespace {

class SyntheticSource : public RequestSource {
 public:
  explicit SyntheticSource(const WorkloadSpec& w) : w_(w) {}
  std::optional<Request> next() override { return w_.next(); }

 private:
  SyntheticWorkload w_;
};

ServeResult run_at(StepTimer& timer, const ServeConfig& cfg, WorkloadSpec w, const SloTargets& slo,
                   double rate_rps) {
  w.arrivals = Arrivals::poisson;
  w.rate_rps = rate_rps;
  SyntheticSource source(w);
  return simulate(timer, cfg, source, requests_to_issue(w), slo, rate_rps);
}

// The probes of one search: each run's percentiles go into the curve, the last run is kept.
class Search {
 public:
  Search(StepTimer& timer, const ServeConfig& cfg, const WorkloadSpec& w, const SloTargets& slo, double p)
      : timer_(timer), cfg_(cfg), w_(w), slo_(slo), p_(p) {}

  bool probe(double rate) {
    last = run_at(timer_, cfg_, w_, slo_, rate);
    const bool ok = meets_slo(last.summary, slo_, p_);
    curve.push_back({rate, summary_percentile(last.summary, p_, true),
                     summary_percentile(last.summary, p_, false), last.summary.output_throughput_tok_s, ok});
    return ok;
  }

  std::vector<RateProbe> curve;
  ServeResult last;

 private:
  StepTimer& timer_;
  const ServeConfig& cfg_;
  const WorkloadSpec& w_;
  const SloTargets& slo_;
  double p_;
};

// The bisection between a rate that meets (lo, its run `at_lo`) and one that misses (hi), to 1 %.
void bisect(Search& s, double lo, double hi, ServeResult at_lo, MaxRateResult& out) {
  while (hi - lo > 0.01 * hi) {
    const double mid = 0.5 * (lo + hi);
    if (s.probe(mid)) {
      lo = mid;
      at_lo = std::move(s.last);
    } else {
      hi = mid;
    }
  }
  out.rate_rps = lo;
  out.next_rate_rps = hi;
  out.at_rate = std::move(at_lo);
}

// The search of find_max_rate once the offline rate is known; the curve in probing order. The answer is
// most often within 10 % of the offline rate, so the rates 10 % either side are probed before the
// search's bounds (fewer probes, and fewer at twice the rate, the longest runs under a minimum duration).
void search(Search& s, double ceiling, MaxRateResult& out) {
  constexpr double kNear = 0.1;
  if (s.probe(ceiling)) {
    ServeResult at_lo = std::move(s.last);
    double lo = ceiling;
    for (const double rate : {(1.0 + kNear) * ceiling, 2.0 * ceiling}) {
      if (!s.probe(rate)) {
        bisect(s, lo, rate, std::move(at_lo), out);
        return;
      }
      lo = rate;
      at_lo = std::move(s.last);
    }
    out.rate_rps = lo;  // every rate up to the search's bound meets
    out.at_rate = std::move(at_lo);
    return;
  }
  double hi = ceiling;
  for (const double rate : {(1.0 - kNear) * ceiling, 0.01 * ceiling}) {
    if (s.probe(rate)) {
      bisect(s, rate, hi, std::move(s.last), out);
      return;
    }
    hi = rate;
  }
  out.next_rate_rps = 0.01 * ceiling;  // even 1 % of the offline rate misses
}

}  // namespace

double summary_percentile(const ServeSummary& s, double percentile, bool ttft) {
  if (percentile == 50.0) return ttft ? s.ttft_p50_s : s.tpot_p50_s;
  if (percentile == 90.0) return ttft ? s.ttft_p90_s : s.tpot_p90_s;
  if (percentile == 99.0) return ttft ? s.ttft_p99_s : s.tpot_p99_s;
  if (percentile == s.slo_percentile) return ttft ? s.ttft_at_slo_percentile_s : s.tpot_at_slo_percentile_s;
  throw std::invalid_argument(
      "summary_percentile: the summary holds the 50th, 90th and 99th percentiles and its targets' one");
}

bool meets_slo(const ServeSummary& s, const SloTargets& slo, double percentile) {
  if (s.requests == 0 || s.rejected > 0) return false;
  if (slo.ttft_s && summary_percentile(s, percentile, true) > *slo.ttft_s) return false;
  if (slo.tpot_s && summary_percentile(s, percentile, false) > *slo.tpot_s) return false;
  return true;
}

double offline_rate_rps(StepTimer& timer, const ServeConfig& cfg, const WorkloadSpec& workload) {
  WorkloadSpec w = workload;
  w.arrivals = Arrivals::offline;
  SyntheticSource source(w);
  return simulate(timer, cfg, source, w.requests, {}, 0.0).summary.request_throughput_rps;
}

MaxRateResult find_max_rate(StepTimer& timer, const ServeConfig& cfg, const WorkloadSpec& workload,
                            const SloTargets& slo, double percentile) {
  if (!slo.ttft_s && !slo.tpot_s) throw std::invalid_argument("find_max_rate: no target given");
  if (!(percentile > 0.0 && percentile <= 100.0))
    throw std::invalid_argument("find_max_rate: the percentile must be in (0, 100]");
  SloTargets held = slo;  // every probe's summary reports TTFT and TPOT at the searched percentile
  held.percentile = percentile;
  MaxRateResult out;
  out.offline_rps = offline_rate_rps(timer, cfg, workload);
  if (!(out.offline_rps > 0.0)) return out;
  Search s(timer, cfg, workload, held, percentile);
  search(s, out.offline_rps, out);
  out.curve = std::move(s.curve);
  std::sort(out.curve.begin(), out.curve.end(),
            [](const RateProbe& a, const RateProbe& b) { return a.rate_rps < b.rate_rps; });
  return out;
}

std::vector<RatePoint> latency_curve(StepTimer& timer, const ServeConfig& cfg, const WorkloadSpec& workload,
                                     const std::vector<double>& rates_rps) {
  std::vector<RatePoint> out;
  out.reserve(rates_rps.size());
  for (const double rate : rates_rps) out.push_back({rate, run_at(timer, cfg, workload, {}, rate).summary});
  return out;
}

}  // namespace infersim::serving

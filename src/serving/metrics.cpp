#include "serving/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace infersim::serving {

namespace {

bool time_ok(double t) { return std::isfinite(t) && t >= 0.0; }

void check_record(const RequestRecord& r) {
  const bool ordered = r.arrival_s <= r.first_scheduled_s && r.first_scheduled_s <= r.first_token_s &&
                       r.first_token_s <= r.finish_s;
  if (!time_ok(r.arrival_s) || !time_ok(r.finish_s) || !ordered || r.input_tokens < 1 ||
      r.output_tokens < 1 || r.preemptions < 0)
    throw std::invalid_argument("MetricsCollector: request " + std::to_string(r.id) +
                                " has times out of order or counts below 1");
}

}  // namespace

bool queue_grows(double arrivals, double waiting_start, double waiting_end) {
  const double allowance = 0.05 * arrivals + 2.0 * std::sqrt(std::max(0.0, waiting_start + waiting_end));
  return waiting_end - waiting_start > allowance;
}

MetricsCollector::MetricsCollector(SloTargets slo) : slo_(slo), percentile_for_slo_(slo.percentile) {
  if (!(percentile_for_slo_ > 0.0 && percentile_for_slo_ <= 100.0))
    throw std::invalid_argument("MetricsCollector: the SLO percentile must be in (0, 100]");
}

void MetricsCollector::on_request_done(const RequestRecord& r) {
  check_record(r);
  const double ttft = r.first_token_s - r.arrival_s;
  const double e2e = r.finish_s - r.arrival_s;
  ttft_.add(ttft);
  e2e_.add(e2e);
  queue_sum_s_ += r.first_scheduled_s - r.arrival_s;
  bool met = !slo_.ttft_s || ttft <= *slo_.ttft_s;
  if (r.output_tokens > 1) {
    const double tpot = (e2e - ttft) / static_cast<double>(r.output_tokens - 1);
    tpot_.add(tpot);
    met = met && (!slo_.tpot_s || tpot <= *slo_.tpot_s);
  }
  if (met) ++met_slo_;
  first_arrival_s_ = completed_ > 0 ? std::min(first_arrival_s_, r.arrival_s) : r.arrival_s;
  last_finish_s_ = completed_ > 0 ? std::max(last_finish_s_, r.finish_s) : r.finish_s;
  arrival_times_.add(r.arrival_s);
  scheduled_times_.add(r.first_scheduled_s);
  ++completed_;
  input_tokens_ += static_cast<double>(r.input_tokens);
  output_tokens_ += static_cast<double>(r.output_tokens);
}

void MetricsCollector::on_token_gaps(double gap_s, long long count) {
  if (count < 0) throw std::invalid_argument("MetricsCollector: a negative number of token gaps");
  if (count > 0) itl_.add(gap_s, static_cast<double>(count));
}

void MetricsCollector::on_rejected() { ++rejected_; }

void MetricsCollector::on_preemption() { ++preemptions_; }

void MetricsCollector::on_step(double start_s, double step_s, long long running, long long kv_blocks_used) {
  if (!time_ok(start_s) || !time_ok(step_s) || running < 0 || kv_blocks_used < 0)
    throw std::invalid_argument("MetricsCollector: a step with a negative or non-finite value");
  busy_s_ += step_s;
  running_time_ += static_cast<double>(running) * step_s;
  batch_max_ = std::max(batch_max_, running);
  kv_blocks_peak_ = std::max(kv_blocks_peak_, kv_blocks_used);
}

void MetricsCollector::on_graph_rows(long long decode_rows, long long padding_rows) {
  if (decode_rows < 0 || padding_rows < 0)
    throw std::invalid_argument("MetricsCollector: a negative number of decode rows");
  graph_padding_ = true;
  graph_rows_ += static_cast<double>(decode_rows + padding_rows);
  padding_rows_ += static_cast<double>(padding_rows);
}

ServeSummary MetricsCollector::summary(long long kv_blocks_total, double arrival_window_end_s,
                                       double offered_rate_rps) const {
  ServeSummary s;
  s.requests = completed_;
  s.duration_s = completed_ > 0 ? last_finish_s_ - first_arrival_s_ : 0.0;
  const double per_s = s.duration_s > 0.0 ? 1.0 / s.duration_s : 0.0;
  s.request_throughput_rps = static_cast<double>(completed_) * per_s;
  s.output_throughput_tok_s = output_tokens_ * per_s;
  s.total_throughput_tok_s = (input_tokens_ + output_tokens_) * per_s;
  const auto fill = [](const Histogram& h, double& mean, double& p50, double& p90, double& p99) {
    mean = h.mean();
    p50 = h.percentile(50.0);
    p90 = h.percentile(90.0);
    p99 = h.percentile(99.0);
  };
  fill(ttft_, s.ttft_mean_s, s.ttft_p50_s, s.ttft_p90_s, s.ttft_p99_s);
  fill(tpot_, s.tpot_mean_s, s.tpot_p50_s, s.tpot_p90_s, s.tpot_p99_s);
  fill(itl_, s.itl_mean_s, s.itl_p50_s, s.itl_p90_s, s.itl_p99_s);
  fill(e2e_, s.e2e_mean_s, s.e2e_p50_s, s.e2e_p90_s, s.e2e_p99_s);
  s.slo_percentile = percentile_for_slo_;
  s.ttft_at_slo_percentile_s = ttft_.percentile(percentile_for_slo_);
  s.tpot_at_slo_percentile_s = tpot_.percentile(percentile_for_slo_);
  s.queue_mean_s = completed_ > 0 ? queue_sum_s_ / static_cast<double>(completed_) : 0.0;
  s.batch_mean = busy_s_ > 0.0 ? running_time_ / busy_s_ : 0.0;
  s.batch_max = batch_max_;
  s.kv_blocks_total = kv_blocks_total;
  s.kv_utilization_peak =
      kv_blocks_total > 0 ? static_cast<double>(kv_blocks_peak_) / static_cast<double>(kv_blocks_total) : 0.0;
  s.preemptions = preemptions_;
  s.rejected = rejected_;
  if (graph_padding_) s.graph_padding_share = graph_rows_ > 0.0 ? padding_rows_ / graph_rows_ : 0.0;
  // The second half of the arrival window: a stable server's queue has settled by then (or the run is
  // too short to tell), an overloaded one's keeps growing (docs/formulas.md#overload_test).
  if (offered_rate_rps > 0.0 && completed_ > 0 && arrival_window_end_s > first_arrival_s_) {
    const double window_mid_s = 0.5 * (first_arrival_s_ + arrival_window_end_s);
    const auto waiting = [this](double t_s) {
      return arrival_times_.count_at_most(t_s) - scheduled_times_.count_at_most(t_s);
    };
    const double arrivals =
        arrival_times_.count_at_most(arrival_window_end_s) - arrival_times_.count_at_most(window_mid_s);
    s.overloaded = queue_grows(arrivals, waiting(window_mid_s), waiting(arrival_window_end_s));
  }
  if (slo_.ttft_s || slo_.tpot_s) {
    s.goodput_rps = static_cast<double>(met_slo_) * per_s;
    const long long offered = completed_ + rejected_;
    s.slo_attainment = offered > 0 ? static_cast<double>(met_slo_) / static_cast<double>(offered) : 0.0;
  }
  return s;
}

bool MetricsCollector::percentile_slo_met() const {
  const auto meets = [this](const Histogram& h, const std::optional<double>& target) {
    return !target || h.count() <= 0.0 || h.percentile(percentile_for_slo_) <= *target;
  };
  return meets(ttft_, slo_.ttft_s) && meets(tpot_, slo_.tpot_s);
}

}  // namespace infersim::serving

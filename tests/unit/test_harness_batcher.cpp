// The harness batcher in front of the serving engine (serving/harness_batcher.hpp,
// docs/formulas.md#harness_batcher). Every expected batch below is worked by hand from the rule of AMD's
// MLPerf harness loop (sync_sut.py, batch_samples_loop): after the first request it checks at each
// arrival, and after each `window` of waiting with none, whether `max` requests have queued or `window`
// has passed since its last batch (or the first request); if so it sends the oldest `max` (or all).
#include <algorithm>
#include <catch2/catch.hpp>
#include <vector>

#include "core/errors.hpp"
#include "core/step.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "serving/harness_batcher.hpp"
#include "serving/simulator.hpp"
#include "support/fixtures.hpp"
#include "support/request_list.hpp"

using namespace infersim;
using namespace infersim::serving;

namespace {

std::vector<Dispatch> batches(const std::vector<double>& arrivals_s, HarnessBatcherSpec spec) {
  HarnessBatcher b(spec);
  std::vector<Dispatch> sent;
  for (double a : arrivals_s) b.arrive(a, sent);
  b.finish(sent);
  return sent;
}

void check_batches(const std::vector<Dispatch>& got, const std::vector<Dispatch>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CHECK(got[i].time_s == Approx(want[i].time_s).margin(1e-12));
    CHECK(got[i].count == want[i].count);
  }
}

}  // namespace

TEST_CASE("Harness batcher: a batch goes out at the first check a window after the last") {
  // Window 0.3 s from the first request (t = 0): the checks at 0.1 and 0.2 find 0.1 and 0.2 s passed;
  // the one at 0.35 finds 0.35 s and sends all four. The request at 0.4 then waits out a window of no
  // arrivals: the harness wakes at 0.7, 0.35 s after the last batch, and sends it.
  check_batches(batches({0.0, 0.1, 0.2, 0.35, 0.4}, {96, 0.3}), {{0.35, 4}, {0.7, 1}});
  // A lone request after a quiet spell goes out at once: the wait after t = 0 runs out at 0.3 and sends
  // the first request then; at t = 1 more than a window has passed since that batch.
  check_batches(batches({0.0, 1.0}, {96, 0.3}), {{0.3, 1}, {1.0, 1}});
}

TEST_CASE("Harness batcher: a full batch goes out at the arrival that fills it") {
  // Two a batch, a 10 s window: the second and fourth arrivals fill a batch; the fifth waits from t = 4
  // until the harness wakes at 14, 11 s after the batch at 3.
  check_batches(batches({0.0, 1.0, 2.0, 3.0, 4.0}, {2, 10.0}), {{1.0, 2}, {3.0, 2}, {14.0, 1}});
  // MLPerf Offline's 200 requests at t = 0 in batches of 96: two full at once, the last 8 a window later.
  check_batches(batches(std::vector<double>(200, 0.0), {96, 0.3}), {{0.0, 96}, {0.0, 96}, {0.3, 8}});
}

TEST_CASE("Harness batcher: requests keep their arrival and take their batch's dispatch") {
  test::ListSource inner({{0, 0.0, 10, 1}, {1, 0.1, 10, 1}, {2, 0.35, 10, 1}, {3, 0.4, 10, 1}});
  BatchedSource source(inner, {96, 0.3}, 4);
  const double want_dispatch[] = {0.35, 0.35, 0.35, 0.7};
  const long long want_batch[] = {0, 0, 0, 1};
  for (int i = 0; i < 4; ++i) {
    const auto r = source.next();
    REQUIRE(r);
    CHECK(r->id == i);
    CHECK(received_s(*r) == Approx(want_dispatch[i]));
    CHECK(r->batch == want_batch[i]);
  }
  CHECK_FALSE(source.next());
  // Its requests are at most max_requests of the inner source's.
  test::ListSource three({{0, 0.0, 10, 1}, {1, 0.0, 10, 1}, {2, 0.0, 10, 1}});
  BatchedSource two(three, {96, 0.3}, 2);
  CHECK(two.next());
  CHECK(two.next());
  CHECK_FALSE(two.next());
}

TEST_CASE("Harness batcher: a batch goes to one replica whole and latency counts from the arrival") {
  // Three 100-token prompts at t = 0, one output token each, on two replicas, batches of two, a 0.3 s
  // window: requests 0 and 1 go out at t = 0 to replica 0 and prefill in one step; request 2 goes out at
  // 0.3 to the idle replica 1 and prefills alone, so its first token comes a lone prefill after 0.3 s.
  const ModelSpec model = load_model(test::source_path("model_configs/llama-3-8b.yaml"));
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  const Scenario sc;
  ServeConfig cfg;
  cfg.limits.max_num_seqs = 8;
  cfg.limits.max_num_batched_tokens = 1024;
  cfg.replicas = 2;
  const auto run = [&](const ServeConfig& c, int n) {
    StepTimer timer(model, hw, sc);
    test::ListSource source(test::at_zero(n, 100, 1));
    std::vector<RequestRecord> records;
    ServeObserver obs;
    obs.request = [&](const RequestRecord& r) { records.push_back(r); };
    (void)simulate(timer, c, source, n, {}, 0.0, obs);
    std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    return records;
  };
  const double lone_s = run(cfg, 1).at(0).first_token_s;
  cfg.harness_batcher = HarnessBatcherSpec{2, 0.3};
  const std::vector<RequestRecord> r = run(cfg, 3);
  REQUIRE(r.size() == 3);
  CHECK(r[0].first_token_s == r[1].first_token_s);  // one step on one replica
  CHECK(r[0].first_token_s > lone_s);
  CHECK(r[2].arrival_s == 0.0);
  CHECK(r[2].first_scheduled_s == Approx(0.3));
  CHECK(r[2].first_token_s == Approx(0.3 + lone_s));
  // Without the batcher the router alternates: requests 0 and 2 share replica 0, request 1 is alone.
  cfg.harness_batcher.reset();
  const std::vector<RequestRecord> rr = run(cfg, 3);
  CHECK(rr[1].first_token_s == Approx(lone_s));
  CHECK(rr[0].first_token_s == rr[2].first_token_s);
}

TEST_CASE("Harness batcher: a batch of none or a window that is not a positive time is refused") {
  CHECK(why_invalid(HarnessBatcherSpec{0, 0.3}).value() == "the harness batch must hold at least 1 request");
  CHECK(why_invalid(HarnessBatcherSpec{96, 0.0}).has_value());
  CHECK_FALSE(why_invalid(HarnessBatcherSpec{96, 0.3}).has_value());
  const ModelSpec model = load_model(test::source_path("model_configs/llama-3-8b.yaml"));
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  StepTimer timer(model, hw, Scenario{});
  ServeConfig cfg;
  cfg.harness_batcher = HarnessBatcherSpec{96, -1.0};
  test::ListSource source(test::at_zero(1, 10, 1));
  CHECK_THROWS_AS(simulate(timer, cfg, source, 1, {}, 0.0), InputError);
}

// The serving simulator (src/serving/simulator.hpp) against expectations derived independently of it:
// the static-batch estimate where the schedule is a static batch, Little's law, hard KV limits, and a
// brute-force recount of the running contexts' sums.
#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <random>
#include <vector>

#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/step.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "serving/contexts.hpp"
#include "serving/simulator.hpp"
#include "support/fixtures.hpp"
#include "support/request_list.hpp"

using namespace infersim;
using namespace infersim::serving;

namespace {

struct Rig {
  ModelSpec model = load_model(test::source_path("model_configs/llama-3-8b.yaml"));
  HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h100-sxm.yaml"));
  Scenario sc;
};

using test::at_zero;
using test::ListSource;

// `n` requests of 100 + 100 tokens at t = 0 through `cfg`: the result and the most sequences any iteration
// ran.
struct CountedRun {
  ServeResult out;
  long long most_running = 0;
};
CountedRun run_counting(StepTimer& timer, const ServeConfig& cfg, int n) {
  ListSource source(at_zero(n, 100, 100));
  CountedRun r;
  ServeObserver obs;
  obs.step = [&](const StepRecord& s) { r.most_running = std::max(r.most_running, s.running); };
  r.out = simulate(timer, cfg, source, n, {}, 0.0, obs);
  return r;
}

}  // namespace

TEST_CASE("One request alone: TTFT and TPOT are estimate's at batch 1") {
  // Alone, the request's prefill is one iteration (1024 tokens within the 8192-token budget) and each of its
  // 255 decode steps runs it alone at contexts 1025..1279: the static batch of one that estimate() times.
  Rig r;
  r.sc.input_tokens = 1024;
  r.sc.output_tokens = 256;
  const Estimate e = estimate(r.model, r.hw, r.sc);
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig cfg;
  ListSource source(at_zero(1, 1024, 256));
  std::vector<RequestRecord> done;
  ServeObserver obs;
  obs.request = [&](const RequestRecord& x) { done.push_back(x); };
  const ServeResult out = simulate(timer, cfg, source, 1, {}, 0.0, obs);
  REQUIRE(done.size() == 1);
  CHECK(out.summary.ttft_mean_s == Approx(e.ttft_s).epsilon(0.005));
  CHECK(out.summary.tpot_mean_s == Approx(e.tpot_s).epsilon(0.005));
}

TEST_CASE("N requests at t = 0, chunking off: the last TTFT and the mean TPOT are estimate's at batch N") {
  // Room for all 16 at once: one prefill iteration of 16 x 512 tokens (estimate's batched prefill), then
  // decode steps of 16 rows from context 513 on, as estimate's static batch.
  Rig r;
  r.sc.batch = 16;
  r.sc.input_tokens = 512;
  r.sc.output_tokens = 128;
  const Estimate e = estimate(r.model, r.hw, r.sc);
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig cfg;
  cfg.limits.chunked_prefill = false;
  cfg.limits.max_num_seqs = 64;
  cfg.limits.max_num_batched_tokens = 16 * 512;
  ListSource source(at_zero(16, 512, 128));
  double last_first_token = 0.0;
  ServeObserver obs;
  obs.request = [&](const RequestRecord& x) {
    last_first_token = std::max(last_first_token, x.first_token_s);
  };
  const ServeResult out = simulate(timer, cfg, source, 16, {}, 0.0, obs);
  CHECK(out.summary.requests == 16);
  CHECK(last_first_token == Approx(e.ttft_s).epsilon(0.01));
  CHECK(out.summary.tpot_mean_s == Approx(e.tpot_s).epsilon(0.01));
}

TEST_CASE("Little's law on a long stable Poisson run") {
  // L = lambda W (Little 1961): the time-averaged number of requests in the system over a window equals the
  // window's arrival rate times the mean time in system of the requests that arrived in it. The window
  // [200 s, 1000 s] sits far from the empty start and the drain at the end.
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig cfg;
  WorkloadSpec w;
  w.rate_rps = 4.0;
  w.requests = 5000;
  w.seed = 7;
  w.input = {LengthDist::Kind::uniform, 200, 2000};
  w.output = {LengthDist::Kind::uniform, 50, 400};
  SyntheticWorkload workload(w);
  class Source : public RequestSource {
   public:
    explicit Source(SyntheticWorkload& w) : w_(w) {}
    std::optional<Request> next() override { return w_.next(); }
    SyntheticWorkload& w_;
  } source(workload);
  std::vector<RequestRecord> done;
  ServeObserver obs;
  obs.request = [&](const RequestRecord& x) { done.push_back(x); };
  const ServeResult out = simulate(timer, cfg, source, w.requests, {}, w.rate_rps, obs);
  REQUIRE(!out.summary.overloaded);
  const double t0 = 200.0;
  const double t1 = 1000.0;
  double area = 0.0;  // integral over [t0, t1] of the requests in the system
  double latency = 0.0;
  int arrived = 0;
  for (const RequestRecord& x : done) {
    area += std::max(0.0, std::min(x.finish_s, t1) - std::max(x.arrival_s, t0));
    if (x.arrival_s >= t0 && x.arrival_s < t1) {
      ++arrived;
      latency += x.finish_s - x.arrival_s;
    }
  }
  const double in_system = area / (t1 - t0);
  const double lambda = arrived / (t1 - t0);
  CHECK(in_system == Approx(lambda * latency / arrived).epsilon(0.02));
}

TEST_CASE("A KV budget of exactly k sequences never runs more than k, short memory preempts, all complete") {
  // 100 + 100 tokens in blocks of 16 need ceil(200 / 16) = 13 blocks at their end; 3 x 13 = 39 blocks hold
  // three whole sequences. With guaranteed admission nothing beyond three ever runs; on demand, more are
  // admitted early and must be preempted as they grow, and still every request completes.
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  for (const bool guaranteed : {true, false}) {
    ServeConfig cfg;
    cfg.kv_blocks = 39;
    cfg.limits.reserve_full_sequence = guaranteed;
    const CountedRun run = run_counting(timer, cfg, 20);
    CHECK(run.out.summary.requests == 20);
    CHECK(run.out.summary.rejected == 0);
    if (guaranteed) {
      CHECK(run.most_running == 3);
      CHECK(run.out.summary.preemptions == 0);
    } else {
      CHECK(run.out.summary.preemptions > 0);
    }
  }
}

TEST_CASE("A replica's given KV blocks are split among its pipeline's virtual engines, as memory's are") {
  // 100 + 100 tokens in blocks of 16 need 13 blocks each (as above). A replica of two pipeline stages given
  // 39 blocks runs two virtual engines of floor(39 / 2) = 19 blocks each: one whole sequence each under
  // guaranteed admission (19 / 13 = 1), so no iteration runs more than one and each engine reports 19 blocks.
  // (Each engine taking all 39 would run three at once in each: the replica's cache counted twice.) Fewer
  // blocks than stages leave an engine none: an input error, not a run that rejects everything.
  Rig r;
  r.sc.layout.pp = 2;
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig cfg;
  cfg.kv_blocks = 39;
  cfg.limits.reserve_full_sequence = true;
  const CountedRun run = run_counting(timer, cfg, 8);
  CHECK(run.out.summary.requests == 8);
  CHECK(run.most_running == 1);
  CHECK(run.out.kv_blocks_per_replica == 19);
  cfg.kv_blocks = 1;
  CHECK_THROWS_AS(run_counting(timer, cfg, 1), InputError);
}

TEST_CASE("Chunking off: a request whose recomputed prompt outgrows a step is dropped, not waited on") {
  // 20 blocks of 16 tokens; a step holds 128 tokens and never splits a prompt. A and B (100 + 100 tokens)
  // cannot prefill together (200 > 128): A first, then B beside A's first decode row. Both grow; past 160
  // tokens each would hold ceil(161 / 16) = 11 blocks, 22 > 20, so B, the newer, is preempted by recompute
  // with about 160 tokens to prefill again, more than a step's 128. It can never run again: it leaves the
  // queue among the rejected (vLLM V0 ignores a prompt over its limit), and A finishes alone (13 blocks).
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig cfg;
  cfg.kv_blocks = 20;
  cfg.limits.block_tokens = 16;
  cfg.limits.chunked_prefill = false;
  cfg.limits.max_num_seqs = 8;
  cfg.limits.max_num_batched_tokens = 128;
  ListSource source(at_zero(2, 100, 100));
  const ServeResult out = simulate(timer, cfg, source, 2, {}, 0.0, {});
  CHECK(out.summary.requests == 1);
  CHECK(out.summary.rejected == 1);
  CHECK(out.summary.preemptions == 1);
}

TEST_CASE("Random limits and loads: every request finishes or is counted rejected, and the run ends") {
  // A property over 60 seeded random configurations: token and sequence limits, block sizes, tiny KV budgets,
  // chunked prefill on or off, guaranteed or on-demand admission, recompute or swap, one or two replicas,
  // random lengths and arrivals; models of each key span (Llama-3-8B full, Gemma 3 sliding, Llama 4 Scout
  // chunked under either cache, and as two attention data-parallel ranks). Whatever the schedule, the
  // simulator ends without an internal error and no request is lost: finished + rejected = sent.
  const HardwareSpec hw = load_hardware(test::source_path("hardware_profiles/h200-sxm.yaml"));
  const ModelSpec models[] = {load_model(test::source_path("model_configs/llama-3-8b.yaml")),
                              load_model(test::source_path("model_configs/gemma-3-27b.yaml")),
                              load_model(test::source_path("model_configs/llama-4-scout-17b-16e.yaml"))};
  std::mt19937_64 gen(2026);
  const auto pick = [&](long long lo, long long hi) {
    return lo + static_cast<long long>(gen() % (hi - lo + 1));
  };
  for (int trial = 0; trial < 60; ++trial) {
    const ModelSpec& m = models[trial % 3];
    Scenario sc;
    sc.runtime.chunked_cache = pick(0, 1) ? ChunkedCache::whole : ChunkedCache::chunk;
    ServeConfig cfg;
    cfg.replicas = static_cast<int>(pick(1, 2));
    if (trial % 3 == 2 && pick(0, 1)) {
      sc.layout.attention_dp = 2;
      cfg.replicas = 2;
    }
    StepTimer timer(m, hw, sc);
    cfg.limits.max_num_seqs = pick(1, 32);
    cfg.limits.max_num_batched_tokens = cfg.limits.max_num_seqs + pick(0, 400);
    cfg.limits.block_tokens = pick(1, 32);
    cfg.limits.chunked_prefill = pick(0, 1) == 1;
    cfg.limits.reserve_full_sequence = pick(0, 1) == 1;
    cfg.limits.preemption = pick(0, 1) ? Preemption::swap : Preemption::recompute;
    cfg.host_link_Bps = 64e9;
    cfg.kv_blocks = pick(8, 200);
    const int n = 40;
    std::vector<Request> requests;
    double t = 0.0;
    for (int i = 0; i < n; ++i) {
      t += static_cast<double>(pick(0, 100)) * 1e-3;
      requests.push_back({i, t, pick(1, 300), pick(1, 300)});
    }
    ListSource source(requests);
    INFO("trial " << trial << ": " << m.name << ", seqs " << cfg.limits.max_num_seqs << ", tokens "
                  << cfg.limits.max_num_batched_tokens << ", block " << cfg.limits.block_tokens
                  << ", KV blocks " << *cfg.kv_blocks << ", chunked " << cfg.limits.chunked_prefill
                  << ", guaranteed " << cfg.limits.reserve_full_sequence << ", replicas " << cfg.replicas
                  << ", attention dp " << sc.layout.attention_dp);
    ServeResult out;
    REQUIRE_NOTHROW(out = simulate(timer, cfg, source, n, {}, 0.0, {}));
    CHECK(out.summary.requests + out.summary.rejected == n);
  }
}

TEST_CASE("A request longer than the context or than the whole KV capacity is rejected, not run") {
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig cfg;
  cfg.kv_blocks = 10;  // 160 tokens
  ListSource source({{0, 0.0, 100, 50}, {1, 0.0, 150, 50}, {2, 0.0, 9000, 10}});
  const ServeResult out = simulate(timer, cfg, source, 3, {}, 0.0);
  CHECK(out.summary.requests == 1);
  CHECK(out.summary.rejected == 2);
}

TEST_CASE("Percentiles are ordered and the same seed gives the same summary") {
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig cfg;
  WorkloadSpec w;
  w.rate_rps = 8.0;
  w.requests = 500;
  w.seed = 3;
  w.input = {LengthDist::Kind::lognormal, 1024, 0.5};
  w.output = {LengthDist::Kind::lognormal, 256, 0.5};
  const auto run = [&] {
    SyntheticWorkload workload(w);
    class Source : public RequestSource {
     public:
      explicit Source(SyntheticWorkload& x) : w_(x) {}
      std::optional<Request> next() override { return w_.next(); }
      SyntheticWorkload& w_;
    } source(workload);
    return simulate(timer, cfg, source, w.requests, {}, w.rate_rps).summary;
  };
  const ServeSummary a = run();
  const ServeSummary b = run();
  for (const auto& [p50, p90, p99] : {std::tuple{a.ttft_p50_s, a.ttft_p90_s, a.ttft_p99_s},
                                      {a.tpot_p50_s, a.tpot_p90_s, a.tpot_p99_s},
                                      {a.itl_p50_s, a.itl_p90_s, a.itl_p99_s},
                                      {a.e2e_p50_s, a.e2e_p90_s, a.e2e_p99_s}}) {
    CHECK(p50 <= p90);
    CHECK(p90 <= p99);
  }
  CHECK(a.duration_s == b.duration_s);
  CHECK(a.ttft_p99_s == b.ttft_p99_s);
  CHECK(a.itl_mean_s == b.itl_mean_s);
}

TEST_CASE("The running contexts' sums equal a recount, member by member") {
  // Random joins, leaves and steps; after each, every sum the step model reads is recounted from the
  // members' contexts with the span formulas of core/key_span.hpp, under both caches of a chunked span
  // (its chunk's blocks, or the whole sequence's: the keys attended are the same).
  const ChunkedCache cache = GENERATE(ChunkedCache::chunk, ChunkedCache::whole);
  SpanGroups spans;
  spans.count = 3;
  spans.group[0] = {KeySpan{}, 2};
  spans.group[1] = {KeySpan{KeySpanKind::sliding, 40}, 3};
  spans.group[2] = {KeySpan{KeySpanKind::chunked, 32}, 1};
  const long long block = 16;
  ContextSet set(spans, block, cache);
  std::map<int, long long> members;  // handle -> context
  std::mt19937_64 gen(11);
  for (int i = 0; i < 3000; ++i) {
    const auto action = gen() % 10;
    if (action < 3 || members.empty()) {
      const auto context = static_cast<long long>(gen() % 100);
      members[set.add(context)] = context;
    } else if (action < 5) {
      auto it = members.begin();
      std::advance(it, static_cast<long>(gen() % members.size()));
      set.remove(it->first);
      members.erase(it);
    } else {
      set.advance();
      for (auto& [h, t] : members) ++t;
    }
    for (int s = 0; s < spans.count; ++s) {
      const KeySpan span = spans.group[static_cast<std::size_t>(s)].span;
      const long long cap = span.kind == KeySpanKind::full ||
                                    (span.kind == KeySpanKind::chunked && cache == ChunkedCache::whole)
                                ? 0
                                : span.tokens;
      double keys = 0.0;
      long long blocks = 0;
      long long new_blocks = 0;
      for (const auto& [h, t] : members) {
        keys += attended_keys(span, static_cast<double>(t + 1));
        blocks += span_blocks(t, cap, block);
        new_blocks += span_blocks(t + 1, cap, block) - span_blocks(t, cap, block);
        REQUIRE(set.context(h) == t);
      }
      REQUIRE(set.next_keys(s) == keys);
      REQUIRE(set.blocks(s) == blocks);
      REQUIRE(set.next_new_blocks(s) == new_blocks);
    }
  }
}

TEST_CASE("Prefix caching: later requests of a group skip the cached prefix's prefill") {
  // Eight requests of one group, each arriving after the last has finished: a 600-token prompt whose
  // first 512 tokens (32 whole blocks of 16) are the shared prefix. The first computes all 600; the
  // others find the prefix cached (kept in the free pool after its last user) and compute 88 each:
  // 600 + 7 x 88 = 1,216 prompt tokens. Without caching: 8 x 600 = 4,800.
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  std::vector<Request> reqs;
  for (int i = 0; i < 8; ++i) reqs.push_back({i, 10.0 * i, 600, 10, 0, 512});
  for (const bool caching : {true, false}) {
    ServeConfig cfg;
    cfg.limits.prefix_caching = caching;
    ListSource source(reqs);
    long long prompt_tokens = 0;
    ServeObserver obs;
    obs.step = [&](const StepRecord& s) { prompt_tokens += s.prefill_tokens; };
    const ServeResult out = simulate(timer, cfg, source, 8, {}, 0.0, obs);
    CHECK(out.summary.requests == 8);
    CHECK(prompt_tokens == (caching ? 1216 : 4800));
  }
}

TEST_CASE("Two replicas behind round-robin serve twice the requests in the same time") {
  // 2N identical requests at t = 0 on two replicas: round-robin hands each replica N, the schedule of
  // one replica serving N, so the duration equals one replica's with N and the throughput doubles.
  Rig r;
  StepTimer timer(r.model, r.hw, r.sc);
  ServeConfig one;
  ListSource half(at_zero(40, 700, 120));
  const ServeSummary a = simulate(timer, one, half, 40, {}, 0.0).summary;
  for (const Router router : {Router::round_robin, Router::least_outstanding}) {
    ServeConfig two;
    two.replicas = 2;
    two.router = router;
    ListSource all(at_zero(80, 700, 120));
    const ServeSummary b = simulate(timer, two, all, 80, {}, 0.0).summary;
    CHECK(b.duration_s == Approx(a.duration_s).epsilon(1e-9));
    CHECK(b.output_throughput_tok_s == Approx(2.0 * a.output_throughput_tok_s).epsilon(1e-9));
  }
}

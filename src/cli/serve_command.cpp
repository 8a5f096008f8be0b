#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/guarded_main.hpp"
#include "cli/progress_bar.hpp"
#include "cli/scenario_options.hpp"
#include "core/errors.hpp"
#include "core/step.hpp"
#include "io/config/value_text.hpp"
#include "io/output/atomic_output.hpp"
#include "io/report/report.hpp"
#include "io/serving/length_text.hpp"
#include "io/serving/serve_report.hpp"
#include "io/serving/trace_csv.hpp"

namespace infersim {

namespace {

struct ServeOptions {
  ScenarioOptions scenario;
  std::optional<std::string> rate;
  std::optional<std::string> concurrency;
  bool offline = false;
  std::optional<std::string> trace;
  std::string burstiness = "1";
  std::string requests = "1000";
  std::optional<std::string> min_duration;
  std::string seed = "0";
  std::optional<std::string> max_num_seqs;
  std::optional<std::string> max_num_batched_tokens;
  std::optional<std::string> block_size;
  std::optional<std::string> chunked_prefill;
  std::optional<std::string> preemption;
  std::optional<std::string> prefix_caching;
  std::optional<std::string> static_cache;
  std::optional<std::string> graph_padding;
  std::optional<std::string> harness_batcher;
  std::optional<std::string> kv_blocks;
  std::string router = "round-robin";
  std::optional<std::string> ttft_slo;
  std::optional<std::string> tpot_slo;
  std::string percentile = "99";
  bool find_max_rate = false;
  std::string format = "table";
  bool breakdown = false;
  std::string output;
  std::string timeline;
  bool progress = false;
  bool quiet = false;
  bool batch_given = false;
};

// --graph-padding: "off", or batch sizes "1,2,4,...,512" in ascending order
// (docs/formulas.md#cuda_graph_padding).
std::vector<long long> graph_padding_flag(const std::string& text) {
  std::vector<long long> sizes;
  if (text == "off") return sizes;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const long long size =
        positive_integer_flag("--graph-padding", text.substr(start, comma - start), 10'000'000);
    if (!sizes.empty() && size <= sizes.back())
      throw InputError("--graph-padding must list batch sizes in ascending order, got '" + text + "'");
    sizes.push_back(size);
    if (sizes.size() > kMaxGraphPaddingSizes)
      throw InputError("--graph-padding takes at most " + std::to_string(kMaxGraphPaddingSizes) +
                       " batch sizes");
    start = comma + 1;
  }
  return sizes;
}

// --harness-batcher MAX:WINDOW, e.g. 96:300ms (docs/formulas.md#harness_batcher).
serving::HarnessBatcherSpec harness_batcher_flag(const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos)
    throw InputError("--harness-batcher takes MAX:WINDOW, e.g. 96:300ms, got '" + text + "'");
  serving::HarnessBatcherSpec b;
  b.max_queries = positive_integer_flag("--harness-batcher's MAX", text.substr(0, colon), 10'000'000);
  b.window_s = duration_flag("--harness-batcher's WINDOW", text.substr(colon + 1), kMaxTargetSeconds).seconds;
  return b;
}

constexpr long long kMaxRequests = 100'000'000;
constexpr double kMaxRate = 1e6;

struct Setup {
  LoadedScenario loaded;
  serving::ServeConfig config;
  serving::WorkloadSpec workload;
  serving::SloTargets slo;
  std::string workload_text;
};

std::optional<double> target(const char* flag, const std::optional<std::string>& text, double warn_s) {
  if (!text) return std::nullopt;
  const DurationValue d = duration_flag(flag, *text, warn_s);
  if (!d.warning.empty()) std::cerr << "infersim: warning: " << d.warning << "\n";
  return d.seconds;
}

Setup setup(const ServeOptions& o, const SearchPath& search) {
  if (o.batch_given) {
    throw InputError("serve takes no -b/--batch: the scheduler forms the batch (set --max-num-seqs)");
  }
  const int modes = (o.rate ? 1 : 0) + (o.concurrency ? 1 : 0) + (o.offline ? 1 : 0) + (o.trace ? 1 : 0);
  if (modes != 1 && !(o.find_max_rate && modes == 0)) {
    throw InputError(
        "give exactly one load: --rate R (Poisson), --concurrency C (closed loop), --offline "
        "(every request at t = 0) or --trace FILE.csv");
  }
  if (o.find_max_rate && (o.concurrency || o.offline || o.trace)) {
    throw InputError(
        "--find-max-rate searches the Poisson rate: it takes no --concurrency, --offline or --trace");
  }
  if (o.harness_batcher && o.concurrency) {
    throw InputError(
        "--harness-batcher batches open-loop arrivals (--rate, --offline, --trace, --find-max-rate); "
        "a closed loop's clients wait for their own replies");
  }
  if (o.min_duration && !o.rate && !o.find_max_rate) {
    throw InputError(
        "--min-duration lasts an open-loop load at a rate: give --rate R or --find-max-rate (an offline "
        "run, a closed loop and a trace have their own lengths)");
  }
  if (o.find_max_rate && !o.ttft_slo && !o.tpot_slo) {
    throw InputError("--find-max-rate needs a target: --ttft-slo and/or --tpot-slo");
  }
  Setup s;
  ScenarioOptions fixed = o.scenario;
  fixed.input = "1";  // the workload gives the lengths; the scenario only has to be valid
  fixed.output = "1";
  s.loaded = load_scenario(fixed, search);
  const RuntimeProfile& runtime = s.loaded.runtime;
  if (!runtime.scheduler) {
    throw InputError("runtime '" + runtime.terms.name +
                     "' batches statically (its profile has no scheduler: block): serve needs a continuous-"
                     "batching runtime such as vllm, sglang or trtllm");
  }
  serving::ServeConfig& c = s.config;
  c.limits = *runtime.scheduler;
  if (o.max_num_seqs)
    c.limits.max_num_seqs = positive_integer_flag("--max-num-seqs", *o.max_num_seqs, 10'000'000);
  if (o.max_num_batched_tokens) {
    c.limits.max_num_batched_tokens =
        positive_integer_flag("--max-num-batched-tokens", *o.max_num_batched_tokens, 10'000'000);
  }
  if (o.block_size) c.limits.block_tokens = positive_integer_flag("--block-size", *o.block_size, 4096);
  if (o.chunked_prefill) c.limits.chunked_prefill = *o.chunked_prefill == "on";
  if (o.preemption) c.limits.preemption = *o.preemption == "swap" ? Preemption::swap : Preemption::recompute;
  if (o.prefix_caching) c.limits.prefix_caching = *o.prefix_caching == "on";
  if (o.static_cache) {
    c.limits.static_cache_tokens =
        *o.static_cache == "off" ? 0 : positive_integer_flag("--static-cache", *o.static_cache, 10'000'000);
  }
  if (o.graph_padding) c.limits.graph_padding_sizes = graph_padding_flag(*o.graph_padding);
  if (o.harness_batcher) c.harness_batcher = harness_batcher_flag(*o.harness_batcher);
  if (o.kv_blocks) c.kv_blocks = positive_integer_flag("--kv-blocks", *o.kv_blocks, 1'000'000'000'000LL);
  c.replicas = batch_ranks(s.loaded.scenario.layout);  // an attention data-parallel rank schedules its own
  c.router =
      o.router == "least-outstanding" ? serving::Router::least_outstanding : serving::Router::round_robin;
  c.host_link_Bps = s.loaded.hardware.interconnect.host_link_bandwidth_per_direction_Bps;
  if (c.limits.preemption == Preemption::swap && !c.host_link_Bps) {
    throw InputError("--preemption swap needs the host link's bandwidth: hardware profile '" +
                     s.loaded.hardware.name + "' has no interconnect.host_link_bandwidth_per_direction_GBps");
  }
  serving::WorkloadSpec& w = s.workload;
  w.input = parse_length_dist(o.scenario.input, "--input");
  w.output = parse_length_dist(o.scenario.output, "--output");
  w.requests = positive_integer_flag("--requests", o.requests, kMaxRequests);
  w.seed = static_cast<std::uint64_t>(nonnegative_real_flag("--seed", o.seed, 9e15));
  w.max_context = s.loaded.model.max_context;
  w.burstiness = positive_real_flag("--burstiness", o.burstiness, 1e6);
  w.arrivals = o.offline             ? serving::Arrivals::offline
               : w.burstiness == 1.0 ? serving::Arrivals::poisson
                                     : serving::Arrivals::gamma;
  if (o.rate) w.rate_rps = positive_real_flag("--rate", *o.rate, kMaxRate);
  if (o.min_duration)
    w.min_duration_s = duration_flag("--min-duration", *o.min_duration, kMaxTargetSeconds).seconds;
  serving::check_workload(w);
  s.slo = {target("--ttft-slo", o.ttft_slo, kWarnTtftSeconds),
           target("--tpot-slo", o.tpot_slo, kWarnTpotSeconds)};
  s.workload_text = fmt::format(
      "{}, {} requests{}, input {}, output {}",
      o.offline       ? std::string("offline (all at t = 0)")
      : o.concurrency ? "closed loop, concurrency " + *o.concurrency
      : o.trace       ? "trace " + *o.trace
      : o.find_max_rate
          ? std::string("Poisson, rate searched")
          : fmt::format("{} {} req/s",
                        w.arrivals == serving::Arrivals::gamma ? "gamma (burstiness " + o.burstiness + ")"
                                                               : std::string("Poisson"),
                        w.rate_rps),
      o.find_max_rate ? w.requests : serving::requests_to_issue(w),
      w.min_duration_s > 0.0 ? fmt::format(" (at least {:g} s of arrivals)", w.min_duration_s)
                             : std::string(),
      o.scenario.input, o.scenario.output);
  if (o.trace) s.workload_text = "trace " + *o.trace;
  if (c.harness_batcher) {
    s.workload_text += fmt::format(", through a harness batcher ({} requests or {:g} ms a batch)",
                                   c.harness_batcher->max_queries, c.harness_batcher->window_s * 1e3);
  }
  return s;
}

class SyntheticSource : public serving::RequestSource {
 public:
  explicit SyntheticSource(const serving::WorkloadSpec& w) : w_(w) {}
  std::optional<serving::Request> next() override { return w_.next(); }

 private:
  serving::SyntheticWorkload w_;
};

class TraceSource : public serving::RequestSource {
 public:
  explicit TraceSource(const std::string& path) : reader_(path) {}
  std::optional<serving::Request> next() override { return reader_.next(); }

 private:
  TraceReader reader_;
};

std::string rate_json(const std::optional<double>& rate) { return rate ? format_number(*rate) : "null"; }

// The search's own keys, after a run's summary or alone (docs/output-keys.md, serve --find-max-rate).
std::string search_json(const serving::MaxRateResult& r, double p) {
  return fmt::format(
      "  \"max_rate_rps\": {},\n  \"next_rate_rps\": {},\n  \"offline_rate_rps\": {},\n  \"percentile\": "
      "{},\n  \"curve\": {}\n}}\n",
      rate_json(r.rate_rps), rate_json(r.next_rate_rps), format_number(r.offline_rps), format_number(p),
      rate_curve_json(r.curve));
}

std::string search_text(const serving::MaxRateResult& r, double p) {
  if (!r.rate_rps && !r.next_rate_rps) return "no rate meets the targets: no request can run\n";
  if (!r.rate_rps) {
    return fmt::format("no rate meets the targets: even {:.4g} req/s (1 % of the offline rate) misses them\n",
                       *r.next_rate_rps);
  }
  if (!r.next_rate_rps) {
    return fmt::format(
        "\nevery rate up to {:.4g} req/s (the search's bound, twice the offline rate) meets the p{:g} "
        "targets\n\n",
        *r.rate_rps, p);
  }
  return fmt::format("\nhighest rate meeting the p{:g} targets: {:.4g} req/s ({:.4g} req/s misses them)\n\n",
                     p, *r.rate_rps, *r.next_rate_rps);
}

// The requests a run of the search at `rate_rps` issued.
long long requests_at(serving::WorkloadSpec w, double rate_rps) {
  w.rate_rps = rate_rps;
  return serving::requests_to_issue(w);
}

int run_find_max_rate(const ServeOptions& o, Setup& s, StepTimer& timer) {
  const double p = positive_real_flag("--percentile", o.percentile, 100.0);
  const serving::MaxRateResult r = serving::find_max_rate(timer, s.config, s.workload, s.slo, p);
  std::string report_json;
  std::string report_table;
  if (r.rate_rps) {
    const ServeReport report{s.loaded.model.name, s.loaded.hardware.name, s.loaded.runtime.terms.name,
                             fmt::format("Poisson {:.4g} req/s (highest meeting the targets), {} requests",
                                         *r.rate_rps, requests_at(s.workload, *r.rate_rps)),
                             r.at_rate};
    report_json = serve_json(report);
    report_json.resize(report_json.size() - 3);  // "\n}\n": the search's keys follow
    report_json += ",\n";
    if (o.breakdown)
      report_json += "  \"time_by_class\": " + time_by_class_json(r.at_rate.time_by_class) + ",\n";
    report_table = serve_table(report);
    if (o.breakdown) report_table += time_by_class_table(r.at_rate.time_by_class);
  }
  if (o.format == "json") {
    std::cout << (r.rate_rps ? report_json : std::string("{\n")) << search_json(r, p);
  } else if (o.format == "csv") {
    // One table for a script: every rate probed, `found` true on the rate found; with --breakdown, the run
    // at the rate found by kind of work instead, as a run's breakdown replaces its summary row (the header
    // alone when no rate is found).
    std::cout << (!o.breakdown ? rate_curve_csv(r.curve, p, r.rate_rps)
                  : r.rate_rps ? time_by_class_csv(r.at_rate.time_by_class)
                               : std::string("kind,time_s,share\n"));
  } else {
    std::cout << "rates probed (common random numbers: one arrival sample scaled to each rate)\n"
              << rate_curve_table(r.curve, p) << search_text(r, p) << report_table;
  }
  return r.rate_rps ? kExitOk : kExitAnswerNo;
}

int run_serve(const ServeOptions& o, const SearchPath& search) {
  Setup s = setup(o, search);
  StepTimer timer(s.loaded.model, s.loaded.hardware, s.loaded.scenario);
  if (o.find_max_rate) return run_find_max_rate(o, s, timer);
  std::vector<std::string> inputs;
  if (o.trace) inputs.push_back(*o.trace);
  std::optional<AtomicOutput> requests_file;
  std::optional<AtomicOutput> timeline_file;
  if (!o.output.empty()) {
    requests_file.emplace(o.output, inputs);
    requests_file->write(requests_csv_header());
  }
  if (!o.timeline.empty()) {
    timeline_file.emplace(o.timeline, inputs);
    timeline_file->write(timeline_csv_header());
  }
  const long long requests = serving::requests_to_issue(s.workload);
  ProgressBar bar(show_progress(o.progress, o.quiet), static_cast<std::uint64_t>(requests), "requests");
  serving::ServeObserver observer;
  if (requests_file)
    observer.request = [&](const serving::RequestRecord& r) { requests_file->write(requests_csv_row(r)); };
  if (timeline_file)
    observer.step = [&](const serving::StepRecord& r) { timeline_file->write(timeline_csv_row(r)); };
  observer.progress = [&](long long done, long long) { bar.update(static_cast<std::uint64_t>(done)); };
  std::unique_ptr<serving::RequestSource> source;
  double offered = 0.0;
  if (o.trace) {
    source = std::make_unique<TraceSource>(*o.trace);
  } else if (o.concurrency) {
    const long long clients = positive_integer_flag("--concurrency", *o.concurrency, 1'000'000);
    source = std::make_unique<serving::ClosedLoopSource>(serving::SyntheticWorkload(s.workload), clients);
  } else {
    source = std::make_unique<SyntheticSource>(s.workload);
    if (!o.offline) offered = s.workload.rate_rps;
  }
  const ServeReport report{s.loaded.model.name, s.loaded.hardware.name, s.loaded.runtime.terms.name,
                           s.workload_text,
                           serving::simulate(timer, s.config, *source, requests, s.slo, offered, observer)};
  std::string text;
  if (o.format == "json") {
    text = serve_json(report);
    if (o.breakdown) {  // one more key: "\n}\n" closes the summary
      text.resize(text.size() - 3);
      text += ",\n  \"time_by_class\": " + time_by_class_json(report.result.time_by_class) + "\n}\n";
    }
  } else if (o.format == "csv") {
    text = o.breakdown ? time_by_class_csv(report.result.time_by_class) : serve_csv(report);
  } else {
    text = serve_table(report) + (o.breakdown ? time_by_class_table(report.result.time_by_class) : "");
  }
  if (requests_file) requests_file->commit();
  if (timeline_file) timeline_file->commit();
  if (report.result.summary.rejected > 0 && !o.quiet) {
    const long long cache = s.config.limits.static_cache_tokens;
    std::cerr << "infersim: warning: " << report.result.summary.rejected
              << " requests were refused: input + output longer than the model's context ("
              << s.loaded.model.max_context << " tokens)"
              << (cache > 0 ? " or the static cache (" + std::to_string(cache) + " tokens)" : std::string())
              << ", a prompt over --max-num-batched-tokens without chunked prefill (a preempted request's "
                 "recomputed prompt too), or more KV blocks than a replica has\n";
  }
  std::cout << text << std::flush;
  return kExitOk;
}

}  // namespace

void add_serve_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<ServeOptions>();
  o->scenario.runtime = "vllm";
  CLI::App* sub = app.add_subcommand(
      "serve",
      "Simulate a serving engine under load: continuous batching over a paged KV cache; TTFT, TPOT, ITL "
      "and end-to-end latency percentiles, throughput, goodput");
  sub->footer(
      "Every iteration is timed by the same engine model as `estimate` (operators, roofs, collectives, "
      "runtime).\n"
      "Lengths: --input/--output take 1024, uniform:LO:HI, normal:MEAN:SD or lognormal:MEAN:SIGMA.\n"
      "Exit code 3 when --find-max-rate finds no rate meeting the targets.\n"
      "Examples:\n"
      "  infersim serve -m llama-3-70b -g h100-sxm --tp 4 --rate 5 --requests 2000\n"
      "  infersim serve -m llama-3-8b -g h100-sxm --offline --requests 1000 --input lognormal:1024:0.5\n"
      "  infersim serve -m llama-3-70b -g h100-sxm --tp 4 --find-max-rate --ttft-slo 1s --tpot-slo 50ms\n"
      "  infersim serve -m llama-3-8b -g a100-80gb-sxm --concurrency 32 --runtime sglang --format json\n"
      "  infersim serve -m qwen3-30b-a3b -g h100-sxm --quant fp8 --offline --requests 500 --breakdown");
  add_scenario_options(*sub, o->scenario, "not taken: the scheduler forms the batch");
  sub->add_option("--rate", o->rate, "open loop: mean arrival rate, requests/s (Poisson)")->type_name("R");
  sub->add_option("--burstiness", o->burstiness, "Gamma arrivals of shape K (CV 1/sqrt K; 1: Poisson)")
      ->type_name("K")
      ->capture_default_str();
  sub->add_option("--concurrency", o->concurrency,
                  "closed loop: C clients, each sending its next request when its "
                  "last completes")
      ->type_name("C");
  sub->add_flag("--offline", o->offline, "every request at t = 0 (max-load throughput, MLPerf Offline)");
  sub->add_option("--trace", o->trace,
                  "arrivals from a CSV: arrival_s,input_tokens,output_tokens[,prefix_group,"
                  "prefix_tokens]")
      ->type_name("FILE");
  sub->add_option("--requests", o->requests, "requests to simulate")->type_name("N")->capture_default_str();
  sub->add_option(
         "--min-duration", o->min_duration,
         "with --rate or --find-max-rate: issue requests for at least this long, rate x TIME of them "
         "when that is more than --requests (MLPerf's performance runs last at least 600 s): 600 or "
         "600s")
      ->type_name("TIME");
  sub->add_option("--seed", o->seed, "random seed (same seed, same output)")
      ->type_name("S")
      ->capture_default_str();
  sub->add_option("--max-num-seqs", o->max_num_seqs, "running sequences at most (default: the runtime's)")
      ->type_name("N");
  sub->add_option("--max-num-batched-tokens", o->max_num_batched_tokens,
                  "tokens per iteration at most (default: the runtime's)")
      ->type_name("N");
  sub->add_option("--block-size", o->block_size, "tokens per KV-cache block (default: the runtime's)")
      ->type_name("N");
  sub->add_option("--chunked-prefill", o->chunked_prefill, "split prompts across iterations: on or off")
      ->check(CLI::IsMember({"on", "off"}));
  sub->add_option("--preemption", o->preemption, "when KV blocks run out: recompute or swap (to host memory)")
      ->check(CLI::IsMember({"recompute", "swap"}));
  sub->add_option("--prefix-caching", o->prefix_caching,
                  "share the KV blocks of a trace's prefix groups: on or off (default: the runtime's)")
      ->check(CLI::IsMember({"on", "off"}));
  sub->add_option("--static-cache", o->static_cache,
                  "static KV cache of N tokens per decode slot: every step attends all of it for every slot, "
                  "as JetStream does; off: a paged cache (default: the runtime's)")
      ->type_name("N|off");
  sub->add_option("--graph-padding", o->graph_padding,
                  "CUDA-graph batch sizes, ascending (1,2,4,8,...,512): an iteration of decode rows alone "
                  "computes the smallest that holds them, as TensorRT-LLM's cuda_graph_config with "
                  "enable_padding runs; off: no padding (default: the runtime's)")
      ->type_name("SIZES|off");
  sub->add_option(
         "--harness-batcher", o->harness_batcher,
         "a client-side batcher in front of the engine, as AMD's MLPerf Server harness runs (96:300ms): "
         "requests queue until MAX have gathered or WINDOW has passed since the last batch, and each "
         "batch goes to one --dp replica; latencies still count from each request's arrival")
      ->type_name("MAX:WINDOW");
  sub->add_option(
         "--kv-blocks", o->kv_blocks,
         "KV blocks per replica instead of what memory allows (what-ifs); with --pp, each of its pp virtual "
         "engines takes 1/pp of them")
      ->type_name("N");
  sub->add_option("--router", o->router, "how --dp replicas share requests: round-robin or least-outstanding")
      ->capture_default_str()
      ->check(CLI::IsMember({"round-robin", "least-outstanding"}));
  sub->add_option("--ttft-slo", o->ttft_slo, "time-to-first-token target: 0.5, 500ms or 0.5s")
      ->type_name("TIME");
  sub->add_option("--tpot-slo", o->tpot_slo, "time-per-output-token target: 0.05, 50ms or 0.05s")
      ->type_name("TIME");
  sub->add_option(
         "--percentile", o->percentile,
         "the percentile of TTFT and TPOT --find-max-rate holds to the targets, in (0, 100]: 50, 90, "
         "95, 99, 99.9, ...")
      ->capture_default_str();
  sub->add_flag("--find-max-rate", o->find_max_rate,
                "search the highest Poisson rate whose percentile TTFT and TPOT meet the targets (to 1 %)");
  sub->add_option("--format", o->format, "summary: table, json or csv")
      ->capture_default_str()
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub->add_flag(
      "--breakdown", o->breakdown,
      "also show where the iterations' time went: the device's by kind of work (GEMMs, expert GEMMs, "
      "attention, elementwise, collectives), the runtime's host terms, KV swaps; with --format csv, "
      "that table replaces the summary row");
  sub->add_option("-o", o->output, "write one CSV row per request to FILE (streamed)")->type_name("FILE");
  sub->add_option("--timeline", o->timeline, "write one CSV row per iteration to FILE")->type_name("FILE");
  auto* progress =
      sub->add_flag("--progress", o->progress, "show a progress bar even when stderr is not a terminal");
  sub->add_flag("--quiet", o->quiet, "no progress bar")->excludes(progress);
  sub->callback([o, sub, &action] {
    o->batch_given = sub->get_option("--batch")->count() > 0;
    action = [o](const SearchPath& search) { return run_serve(*o, search); };
  });
}

}  // namespace infersim

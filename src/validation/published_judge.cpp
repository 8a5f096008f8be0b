#include "validation/published_judge.hpp"

#include <map>
#include <utility>
#include <vector>

#include "core/errors.hpp"
#include "core/estimate.hpp"

namespace infersim {

namespace {

// The sources' files, each loaded once.
class Library {
 public:
  explicit Library(const PublishedSources& sources) : sources_(sources) {}

  const ModelSpec& model(const std::string& n) { return cached(models_, sources_.model, n); }
  const HardwareSpec& device(const std::string& n) { return cached(hardware_, sources_.hardware, n); }
  const RuntimeProfile& runtime(const std::string& n) { return cached(runtimes_, sources_.runtime, n); }

 private:
  template <class T>
  static const T& cached(std::map<std::string, T>& loaded, const std::function<T(const std::string&)>& load,
                         const std::string& name) {
    if (!loaded.count(name)) loaded.emplace(name, load(name));
    return loaded.at(name);
  }

  const PublishedSources& sources_;
  std::map<std::string, ModelSpec> models_;
  std::map<std::string, HardwareSpec> hardware_;
  std::map<std::string, RuntimeProfile> runtimes_;
};

std::optional<ServingMetric> serving_metric(MetricKind k) {
  switch (k) {
    case MetricKind::output_tok_s:
      return ServingMetric::output_tok_s;
    case MetricKind::output_tok_s_per_device:
      return ServingMetric::output_tok_s_per_device;
    case MetricKind::ttft_ms:
      return ServingMetric::ttft_ms;
    case MetricKind::tpot_ms:
      return ServingMetric::tpot_ms;
    default:
      return std::nullopt;
  }
}

// The serving runs of one judging, each made once: a source's rows of one run (an MLPerf Server result's
// throughput, mean TTFT and mean TPOT) share it, whatever their metric.
class ServingRuns {
 public:
  ServingPrediction predict(const MappedConfig& cfg, const ModelSpec& model, const HardwareSpec& hw,
                            const RuntimeProfile& runtime, ServingMetric metric) {
    for (const Run& r : runs_) {
      if (r.model == cfg.model && r.hardware == cfg.hardware && r.runtime == cfg.runtime &&
          r.scenario == cfg.scenario && r.load == *cfg.load) {
        ServingPrediction p = r.prediction;
        if (p.value) p.value = serving_metric_value(p.summary, metric);
        return p;
      }
    }
    ServingPrediction p = predict_serving(model, hw, runtime, cfg.scenario, *cfg.load, metric);
    runs_.push_back({cfg.model, cfg.hardware, cfg.runtime, cfg.scenario, *cfg.load, p});
    return p;
  }

 private:
  struct Run {
    std::string model, hardware, runtime;
    Scenario scenario;
    ServingLoad load;
    ServingPrediction prediction;
  };
  std::vector<Run> runs_;
};

// A row measured under load, through the serving simulator; one it cannot run becomes unmapped with
// the reason.
PublishedCase judge_serving(PublishedCase c, const ModelSpec& model, const HardwareSpec& hw,
                            const RuntimeProfile& runtime, ServingRuns& runs) {
  const MappedConfig& cfg = *c.mapping.config;
  const auto metric = serving_metric(cfg.metric);
  if (!metric) {
    c.mapping = {std::nullopt, std::string("metric ") + metric_kind_name(cfg.metric) +
                                   " is not predicted under a serving load (only output_tok_s, "
                                   "output_tok_s_per_device, ttft_ms, tpot_ms)"};
    return c;
  }
  ServingPrediction p = runs.predict(cfg, model, hw, runtime, *metric);
  if (!p.value) {
    c.mapping = {std::nullopt, p.reason};
    return c;
  }
  c.predicted = *p.value;
  c.rel_error = c.predicted / cfg.published - 1.0;
  c.time_by_class = p.time_by_class;
  c.serving = std::move(p);
  return c;
}

// The span of an estimate a one-configuration metric times.
EstimateSpan timed_span(MetricKind k) {
  switch (k) {
    case MetricKind::prefill_tok_s:
    case MetricKind::ttft_ms:
      return EstimateSpan::prefill;
    case MetricKind::decode_tok_s:
    case MetricKind::tpot_ms:
      return EstimateSpan::decode_step;
    default:
      return EstimateSpan::request;
  }
}

PublishedCase judge(PublishedCase c, Library& lib, ServingRuns& runs) {
  if (!c.mapping.config) return c;
  MappedConfig& cfg = *c.mapping.config;
  cfg.scenario.runtime = lib.runtime(cfg.runtime).terms;
  if (cfg.baseline) cfg.baseline->runtime = cfg.scenario.runtime;
  // A file that does not load is an error of its own (the loader's, exit 2), never hidden as a mapping
  // failure; a configuration the engine cannot run is one.
  const ModelSpec& model = lib.model(cfg.model);
  const HardwareSpec& hw = lib.device(cfg.hardware);
  if (cfg.load) return judge_serving(std::move(c), model, hw, lib.runtime(cfg.runtime), runs);
  std::optional<std::string> why = why_invalid(model, hw, cfg.scenario);
  if (!why && cfg.baseline) why = why_invalid(model, hw, *cfg.baseline);
  if (why) {
    c.mapping = {std::nullopt, "the engine rejects the configuration: " + *why};
    return c;
  }
  const Estimate e = estimate(model, hw, cfg.scenario, false);
  c.predicted = cfg.baseline ? predicted_speedup(estimate(model, hw, *cfg.baseline, false), e)
                             : predicted_metric(cfg.metric, e, cfg.scenario);
  c.rel_error = c.predicted / cfg.published - 1.0;
  c.fits = e.fits;
  if (!cfg.baseline) c.time_by_class = estimate_time_by_class(e, timed_span(cfg.metric));
  return c;
}

}  // namespace

std::vector<PublishedCase> judge_published(std::vector<PublishedCase> mapped, const PublishedSources& sources,
                                           const JudgeProgress& progress) {
  Library lib(sources);
  ServingRuns runs;
  std::vector<PublishedCase> cases;
  cases.reserve(mapped.size());
  for (PublishedCase& c : mapped) {
    cases.push_back(judge(std::move(c), lib, runs));
    if (progress) progress(cases.size(), mapped.size());
  }
  return cases;
}

}  // namespace infersim

#include "serving/simulator.hpp"

#include <algorithm>
#include <utility>

#include "core/errors.hpp"
#include "serving/engine.hpp"
#include "serving/harness_batcher.hpp"

namespace infersim::serving {

std::optional<std::string> limits_problem(const SchedulerLimits& l) {
  if (l.max_num_seqs < 1) return std::string("--max-num-seqs must be >= 1");
  if (l.block_tokens < 1) return std::string("--block-size must be >= 1");
  if (l.max_num_batched_tokens < l.max_num_seqs) {
    return "--max-num-batched-tokens (" + std::to_string(l.max_num_batched_tokens) +
           ") must be at least --max-num-seqs (" + std::to_string(l.max_num_seqs) +
           "): every running sequence decodes one token per iteration";
  }
  return std::nullopt;
}

std::optional<std::string> static_cache_problem(const SchedulerLimits& l, const StepMemory& mem, int stages) {
  if (l.static_cache_tokens <= 0) return std::nullopt;
  const double need_B = static_cast<double>(l.max_num_seqs) * static_cast<double>(l.static_cache_tokens) *
                        mem.kv_bytes_per_token_per_device * stages;
  if (need_B <= mem.kv_budget_bytes_per_device) return std::nullopt;
  const auto gb = detail::Engine::gb;
  return "the static KV cache of " + std::to_string(l.max_num_seqs) + " slots x " +
         std::to_string(l.static_cache_tokens) + " tokens needs " + gb(need_B) + " per device, but only " +
         gb(std::max(0.0, mem.kv_budget_bytes_per_device)) +
         " are left after the weights, activations and reserve (fewer --max-num-seqs, a shorter "
         "--static-cache, or more --tp)";
}

ClosedLoopSource::ClosedLoopSource(SyntheticWorkload lengths, long long clients)
    : lengths_(std::move(lengths)), ready_(clients) {}

std::optional<Request> ClosedLoopSource::next() {
  double at = 0.0;
  if (ready_ > 0) {
    --ready_;
  } else if (!released_.empty()) {
    at = released_.back();
    released_.pop_back();
  } else {
    return std::nullopt;
  }
  std::optional<Request> r = lengths_.next();
  if (r) r->arrival_s = at;
  return r;
}

void ClosedLoopSource::on_complete(double time_s) { released_.insert(released_.begin(), time_s); }

ServeResult simulate(StepTimer& timer, const ServeConfig& cfg, RequestSource& source, long long max_requests,
                     const SloTargets& slo, double offered_rate_rps, const ServeObserver& observer) {
  if (auto why = limits_problem(cfg.limits)) throw InputError(*why);
  if (cfg.replicas < 1) throw InputError("--dp must be >= 1");
  detail::Engine engine(timer, cfg, slo, observer);
  if (!cfg.harness_batcher) return engine.run(source, max_requests, offered_rate_rps);
  if (auto why = why_invalid(*cfg.harness_batcher)) throw InputError(*why);
  BatchedSource batched(source, *cfg.harness_batcher, max_requests);
  return engine.run(batched, max_requests, offered_rate_rps);
}

}  // namespace infersim::serving

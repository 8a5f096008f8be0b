#include "serving/workload.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "core/errors.hpp"

namespace infersim::serving {

namespace {

bool finite_in(double x, double lo, double hi) { return std::isfinite(x) && x >= lo && x <= hi; }

bool whole(double x) { return std::isfinite(x) && std::floor(x) == x; }

constexpr double kMaxTokensReal = static_cast<double>(kMaxRequestTokens);

// Requests a minimum duration may ask for: a bound on the run's length, not on any measurement.
constexpr long long kMaxDurationRequests = 100'000'000;

// Rounded to the nearest integer (halves away from zero) and clamped to [1, max_tokens]; NaN is 1.
long long rounded_length(double x, long long max_tokens) {
  if (!(x >= 1.0)) return 1;
  if (x >= static_cast<double>(max_tokens)) return max_tokens;
  return std::llround(x);
}

}  // namespace

std::optional<std::string> why_invalid(const LengthDist& d) {
  const std::string max = std::to_string(kMaxRequestTokens);
  switch (d.kind) {
    case LengthDist::Kind::fixed:
      if (!whole(d.a) || !finite_in(d.a, 1.0, kMaxTokensReal))
        return "a token count, an integer in [1, " + max + "]";
      return std::nullopt;
    case LengthDist::Kind::uniform:
      if (!whole(d.a) || !whole(d.b) || !finite_in(d.a, 1.0, kMaxTokensReal) ||
          !finite_in(d.b, d.a, kMaxTokensReal))
        return "uniform:LO:HI with integers 1 <= LO <= HI <= " + max;
      return std::nullopt;
    case LengthDist::Kind::normal:
      if (!finite_in(d.a, 1.0, kMaxTokensReal) || !finite_in(d.b, 0.0, kMaxTokensReal))
        return "normal:MEAN:SD with 1 <= MEAN <= " + max + " and 0 <= SD <= " + max;
      return std::nullopt;
    case LengthDist::Kind::lognormal:
      if (!finite_in(d.a, 1.0, kMaxTokensReal) || !finite_in(d.b, 0.0, kMaxLognormalSigma))
        return "lognormal:MEAN:SIGMA with 1 <= MEAN <= " + max + " and 0 <= SIGMA <= 10";
      return std::nullopt;
  }
  return "a known kind of length distribution";
}

long long sample_length(const LengthDist& d, Rng& rng, long long max_tokens) {
  if (max_tokens < 1) throw std::invalid_argument("sample_length: max_tokens must be >= 1");
  switch (d.kind) {
    case LengthDist::Kind::fixed:
      return rounded_length(d.a, max_tokens);
    case LengthDist::Kind::uniform: {
      const auto lo = static_cast<long long>(d.a);
      const auto span = static_cast<std::uint64_t>(static_cast<long long>(d.b) - lo) + 1;
      return rounded_length(static_cast<double>(lo + static_cast<long long>(rng.below(span))), max_tokens);
    }
    case LengthDist::Kind::normal:
      return rounded_length(d.a + d.b * rng.normal(), max_tokens);
    case LengthDist::Kind::lognormal: {
      const double mu = std::log(d.a) - 0.5 * d.b * d.b;
      return rounded_length(std::exp(mu + d.b * rng.normal()), max_tokens);
    }
  }
  throw std::invalid_argument("sample_length: unknown kind");
}

void check_workload(const WorkloadSpec& spec) {
  if (spec.arrivals != Arrivals::offline && !(std::isfinite(spec.rate_rps) && spec.rate_rps > 0.0))
    throw InputError("the request rate must be a finite number of requests per second above 0");
  if (spec.arrivals == Arrivals::gamma && !(std::isfinite(spec.burstiness) && spec.burstiness > 0.0))
    throw InputError("the burstiness (the Gamma shape of the arrival gaps) must be a finite number above 0");
  if (spec.requests < 0) throw InputError("the number of requests must not be negative");
  if (!(std::isfinite(spec.min_duration_s) && spec.min_duration_s >= 0.0))
    throw InputError("the minimum duration must be a finite number of seconds, 0 or more");
  if (spec.arrivals != Arrivals::offline &&
      spec.rate_rps * spec.min_duration_s > static_cast<double>(kMaxDurationRequests))
    throw InputError("the rate times the minimum duration must be at most " +
                     std::to_string(kMaxDurationRequests) + " requests");
  if (spec.max_context && *spec.max_context < 1)
    throw InputError("the context limit must be at least 1 token");
  if (const auto why = why_invalid(spec.input)) throw InputError("the input length must be " + *why);
  if (const auto why = why_invalid(spec.output)) throw InputError("the output length must be " + *why);
}

long long requests_to_issue(const WorkloadSpec& spec) {
  if (spec.arrivals == Arrivals::offline || !(spec.min_duration_s > 0.0)) return spec.requests;
  return std::max(spec.requests, static_cast<long long>(std::ceil(spec.rate_rps * spec.min_duration_s)));
}

SyntheticWorkload::SyntheticWorkload(const WorkloadSpec& spec)
    : spec_(spec),
      arrival_rng_(spec.seed),
      length_rng_(spec.seed),
      max_tokens_(spec.max_context.value_or(kMaxRequestTokens)) {
  check_workload(spec_);
  spec_.requests = requests_to_issue(spec_);
  length_rng_.jump();
}

std::optional<Request> SyntheticWorkload::next() {
  if (issued_ >= spec_.requests) return std::nullopt;
  if (issued_ > 0) {
    if (spec_.arrivals == Arrivals::poisson) unit_time_ += arrival_rng_.exponential();
    if (spec_.arrivals == Arrivals::gamma)
      unit_time_ += arrival_rng_.gamma(spec_.burstiness) / spec_.burstiness;
  }
  Request r;
  r.id = issued_++;
  r.arrival_s = spec_.arrivals == Arrivals::offline ? 0.0 : unit_time_ / spec_.rate_rps;
  r.input_tokens = sample_length(spec_.input, length_rng_, max_tokens_);
  r.output_tokens = sample_length(spec_.output, length_rng_, max_tokens_);
  return r;
}

}  // namespace infersim::serving

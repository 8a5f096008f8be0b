// Measurements of the end-to-end model cases: the reference decoder's prefill and decode steps.
#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "core/errors.hpp"
#include "ref/cpu/model_forward.hpp"
#include "ref/cpu/suite_cases.hpp"

namespace infersim::ref {

namespace {

constexpr std::uint64_t kWeightSeed = 42;

// A fixed prompt: token i = (7919 i + 13) mod vocab (7919 prime, so neighbours differ).
std::vector<int> prompt(int tokens, int vocab) {
  std::vector<int> ids(static_cast<std::size_t>(tokens));
  for (int i = 0; i < tokens; ++i)
    ids[static_cast<std::size_t>(i)] = static_cast<int>((7919LL * i + 13) % vocab);
  return ids;
}

std::string model_shape(const ModelSpec& m, int tokens, int context) {
  return fmt::format("model={};tokens={};context={};batch=1", m.name, tokens, context);
}

void check_run(const ModelRun& run, const ModelSpec& m) {
  if (run.prefill_tokens <= 0) throw InputError("model cases: the prefill needs at least one token");
  int previous = 1;
  for (int c : run.decode_contexts) {
    if (c <= previous) throw InputError("model cases: decode contexts must be ascending and above 1");
    previous = c;
  }
  const int longest = std::max(run.prefill_tokens, previous);
  if (longest > m.max_context)
    throw InputError(fmt::format("model cases: {} tokens exceed the max_context of model '{}' ({})", longest,
                                 m.name, m.max_context));
}

}  // namespace

std::vector<MeasuredRow> run_model_cases(const ModelRun& run, const SuiteContext& context,
                                         const RowCallback& on_row) {
  const ModelSpec& m = run.model;
  check_run(run, m);
  const int longest =
      std::max(run.prefill_tokens, run.decode_contexts.empty() ? 0 : run.decode_contexts.back());
  const auto decoder = std::make_unique<Decoder>(m, longest, kWeightSeed, context.threads);
  const std::vector<int> tokens = prompt(longest, m.vocab_size);
  std::vector<MeasuredRow> rows;
  auto add = [&](MeasuredRow row) {
    rows.push_back(std::move(row));
    if (on_row) on_row(rows.back());
  };
  const std::vector<int> head(tokens.begin(), tokens.begin() + run.prefill_tokens);
  add(suite::timed_row(
      fmt::format("{}_prefill_s{}", m.name, run.prefill_tokens), Family::model_prefill,
      model_shape(m, run.prefill_tokens, run.prefill_tokens), model_prefill_work(m, run.prefill_tokens),
      [&] { (void)decoder->prefill(head); }, false, context));
  int cached = run.prefill_tokens;
  for (int c : run.decode_contexts) {
    const int pos = c - 1;
    if (cached < pos)
      (void)decoder->prefill(std::vector<int>(tokens.begin(), tokens.begin() + pos));  // untimed
    cached = pos;
    const int token = tokens[static_cast<std::size_t>(pos)];
    // Cold: a real step finds the weights evicted by the previous step's other layers.
    add(suite::timed_row(
        fmt::format("{}_decode_t{}", m.name, c), Family::model_decode, model_shape(m, 1, c),
        model_decode_work(m, c), [&] { (void)decoder->decode(token, pos); }, true, context));
  }
  return rows;
}

}  // namespace infersim::ref

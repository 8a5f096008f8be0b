#include "validation/model_predict.hpp"

#include <charconv>
#include <optional>
#include <string_view>

#include "core/errors.hpp"
#include "core/estimate.hpp"
#include "core/roofs.hpp"

namespace infersim {

namespace {

[[noreturn]] void bad_shape(const MeasuredRow& row, const std::string& why) {
  throw InputError("case '" + row.case_name + "' (" + std::string(family_name(row.family)) + "): shape '" +
                   row.shape + "' " + why);
}

long long positive_key(const MeasuredRow& row, std::string_view key) {
  const std::optional<std::string_view> text = shape_value(row.shape, key);
  if (!text) bad_shape(row, "has no '" + std::string(key) + "='");
  long long value = 0;
  const auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value <= 0)
    bad_shape(row, "needs a positive integer " + std::string(key) + ", got '" + std::string(*text) + "'");
  return value;
}

// The phase's time, and its compute / memory parts (which say what bounds it) from its operators.
KernelPrediction from_phase(const PhaseResult& phase, double launch_s) {  // per kernel, as Roofs::launch_s
  KernelPrediction p;
  for (const OpResult& op : phase.ops) {
    p.overhead_s += op.kernels * launch_s;
    p.compute_s += op.compute_s;
    p.memory_s += op.memory_s;
  }
  p.time_s = phase.time_s;
  p.level = MemoryLevel::dram;
  return p;
}

}  // namespace

ModelCaseShape parse_model_case_shape(const MeasuredRow& row) {
  if (!is_model_family(row.family)) bad_shape(row, "is not a model case");
  ModelCaseShape s;
  const std::optional<std::string_view> model = shape_value(row.shape, "model");
  if (!model || model->empty()) bad_shape(row, "has no 'model=NAME'");
  s.model = std::string(*model);
  s.tokens = positive_key(row, "tokens");
  s.context = positive_key(row, "context");
  s.batch = positive_key(row, "batch");
  if (row.family == KernelFamily::model_decode && (s.tokens != 1 || s.context < 2))
    bad_shape(row, "must have tokens=1 and context >= 2 for a decode step");
  if (row.family == KernelFamily::model_prefill && s.context != s.tokens)
    bad_shape(row, "must have context = tokens for a prefill from an empty cache");
  return s;
}

KernelPrediction predict_model_case(const MeasuredRow& row, const Scenario& sc, const ModelSpec& m,
                                    const HardwareSpec& hw) {
  const ModelCaseShape s = parse_model_case_shape(row);
  if (s.model != m.name) bad_shape(row, "names model '" + s.model + "', not '" + m.name + "'");
  const Estimate e = estimate(m, hw, sc);
  return from_phase(row.family == KernelFamily::model_prefill ? e.prefill : e.decode_step,
                    hw.kernel_launch_overhead_s);
}

}  // namespace infersim

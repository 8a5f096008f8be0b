// The reference decoder's work, counted by the engine's own operator lists so that a model case's
// FLOPs and bytes are exactly what the engine predicts from.
#include "core/formulas/quant.hpp"
#include "core/operators.hpp"
#include "ref/cpu/model_forward.hpp"

namespace infersim::ref {

namespace {

// fp32 everywhere: weights (matrices, embedding, norm scales), activations and KV cache.
PassShape fp32_pass(double prompt_tokens) {
  PassShape shape;
  shape.batch = 1.0;
  shape.prompt_tokens = prompt_tokens;
  shape.formats =
      tensor_formats(weight_formats(default_storage_format(Dtype::fp32), false), Dtype::fp32, Dtype::fp32);
  return shape;
}

// Sum over the operators of cost_at(op, keys) * repeat.
Work pass_work(const std::vector<Operator>& ops, double keys) {
  Work w;
  for (const Operator& op : ops) {
    const OpCost one = cost_at(op, keys);
    w.flops += one.flops * op.repeat;
    w.bytes += total_bytes(one.bytes) * op.repeat;
  }
  return w;
}

}  // namespace

Work model_prefill_work(const ModelSpec& m, int tokens) {
  return pass_work(prefill_operators(m, fp32_pass(tokens)), 0.0);
}

Work model_decode_work(const ModelSpec& m, int context) {
  return pass_work(decode_operators(m, fp32_pass(1.0)), context);
}

}  // namespace infersim::ref

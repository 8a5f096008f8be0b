#include "validation/gemm_kernel_predict.hpp"

#include "core/formulas/quant.hpp"
#include "core/operator_builders.hpp"
#include "core/phase.hpp"
#include "core/roofs.hpp"
#include "core/scenario.hpp"

namespace infersim {

GemmKernelPrediction predict_gemm_kernel(const GemmKernelShape& shape, Dtype dtype, const HardwareSpec& hw) {
  Scenario sc;
  sc.activations = dtype;
  const Roofs roofs = roofs_for(hw, sc);
  WeightFormats weights;
  weights.matrix = default_storage_format(dtype);
  weights.experts = weights.matrix;
  const TensorFormats formats = tensor_formats(weights, dtype, dtype);
  const double rows = shape.groups * shape.m;
  const Operator op =
      shape.groups == 1.0
          ? detail::gemm("gemm", rows, shape.k, shape.n, false, formats.weights.matrix, formats, 1.0)
          : detail::grouped_gemm("experts_up", rows, shape.groups, shape.k, shape.n, formats.weights.experts,
                                 formats, 1.0);
  const OpResult r = detail::op_result(op, 0.0, roofs);
  return {.flops = op.fixed.flops, .time_s = r.time_s, .compute_s = r.compute_s, .memory_s = r.memory_s};
}

}  // namespace infersim

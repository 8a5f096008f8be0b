#pragma once
// One operator of a forward pass: its work as FLOPs and bytes moved, split by where the bytes go.
// Contract: an Operator describes ONE occurrence; `repeat` says how many occur per pass (e.g. once
// per layer). Decode operators whose work grows with the context carry it in `per_key`, the cost
// added by each key a query attends to, so any context is `fixed + per_key * keys` (exact, affine);
// `span` says how many keys a query at a given context attends (core/key_span.hpp).
#include "core/key_span.hpp"

namespace infersim {

struct Traffic {
  double weights_read_B = 0.0;
  double act_read_B = 0.0;
  double act_written_B = 0.0;
  double kv_read_B = 0.0;
  double kv_written_B = 0.0;
};

[[nodiscard]] constexpr double total_bytes(const Traffic& t) {
  return t.weights_read_B + t.act_read_B + t.act_written_B + t.kv_read_B + t.kv_written_B;
}

struct OpCost {
  double flops = 0.0;
  Traffic bytes;
};

// Which roof bounds the operator: matrix (tensor-core) peak of the compute dtype, the vector units
// (fp32 CUDA-core peak) for elementwise work, or the links for a collective.
enum class OpUnit { matrix, vector, link };

enum class Collective { none, allreduce, allgather, alltoall, send_recv };

// A collective between devices: `message_B` bytes per device (all-gather: the gathered total) over
// `group` devices that span `span` consecutive device slots (a group wider than a node crosses the
// slower inter-node link).
struct CommCost {
  Collective kind = Collective::none;
  double group = 1.0;
  double span = 1.0;
  double message_B = 0.0;
};

// A matrix operator's GEMM shape, for the kernel-efficiency terms: `groups` independent GEMMs of m rows
// (tokens), n columns (outputs) and depth k (inputs) in one launch (a grouped MoE GEMM: one per expert the
// step touches). m == 0: no GEMM shape (attention, elementwise work, collectives).
struct GemmShape {
  double m = 0.0;
  double n = 0.0;
  double k = 0.0;
  double groups = 1.0;
};

struct Operator {
  const char* name = "";  // static string: no allocation per operator
  OpUnit unit = OpUnit::vector;
  double repeat = 1.0;
  OpCost fixed;
  OpCost per_key;
  CommCost comm;  // unit == link only
  // Integer weights that the GEMM dequantizes to its 16-bit compute dtype as it reads them (weight-only
  // quantization: W8A16, W4A16): their bits, 8 or 4; 0 for any other operator. A runtime's mat-vec
  // kernels may stream such weights below the 16-bit rate (core/runtime_profile.hpp).
  double weight_only_bits = 0.0;
  KeySpan span;  // the layers' key span, for an operator with a per-key cost
  GemmShape gemm;
  // A fused (FlashAttention-style) attention kernel over whole prompts or chunks: the mean keys each of its
  // queries attends, for the kernel's efficiency (formulas/attention.hpp); 0 for any other operator.
  double attention_keys = 0.0;
  // A fused attention kernel with decode rows over the paged KV cache: its traffic streams at the device's
  // decode attention rate and each call pays that kernel's fixed time (Roofs::decode_attention_Bps).
  bool decode_attention = false;
  // A routed experts' grouped GEMM (core/operator_builders.hpp grouped_gemm): its compute runs at the
  // runtime's MoE kernel share of the matrix rate (Roofs::moe_gemm_efficiency).
  bool expert_gemm = false;
  // The routed experts' top-k (core/operators_mlp.cpp): one a call of the runtime's MoE module, so it carries
  // the module's fixed time per call (Roofs::moe_module_fixed_s; docs/formulas.md#moe_module_fixed_time).
  bool moe_module_call = false;
  // A GEMM whose weights a quantized model keeps 16-bit (the LM head, the MoE router): it computes in
  // 16 bits, not in the scenario's compute dtype (Roofs::matrix16_flops_per_s;
  // docs/formulas.md#sixteen_bit_gemms).
  bool gemm_16bit = false;
  // Attention proper: the scores, softmax and values over the keys (fused into one kernel or not), not the
  // projections around them. Only for the breakdown by class (op_class); no roof or time depends on it.
  bool attention_kernel = false;
};

// What kind of kernel an operator is, for a breakdown of where the time goes (docs/formulas.md#op_class):
// weight GEMMs (projections, dense MLPs, LM head, router), the routed experts' grouped GEMMs, attention
// kernels, elementwise and data-movement kernels (norms, activations, rotary, routing, permutes,
// residuals, embedding, sampler), and collectives between devices (pipeline sends included).
enum class OpClass { gemm, expert_gemm, attention, elementwise, collective };
inline constexpr int kOpClasses = 5;

[[nodiscard]] constexpr OpClass op_class(const Operator& op) {
  if (op.unit == OpUnit::link) return OpClass::collective;
  if (op.attention_kernel) return OpClass::attention;
  if (op.expert_gemm) return OpClass::expert_gemm;
  return op.unit == OpUnit::matrix ? OpClass::gemm : OpClass::elementwise;
}

// The class's name in reports: "GEMMs", "expert GEMMs", "attention", "elementwise", "collectives".
[[nodiscard]] const char* op_class_name(OpClass c);

[[nodiscard]] constexpr Traffic scaled(const Traffic& t, double k) {
  return {t.weights_read_B * k, t.act_read_B * k, t.act_written_B * k, t.kv_read_B * k, t.kv_written_B * k};
}

[[nodiscard]] constexpr Traffic plus(const Traffic& x, const Traffic& y) {
  return {x.weights_read_B + y.weights_read_B, x.act_read_B + y.act_read_B, x.act_written_B + y.act_written_B,
          x.kv_read_B + y.kv_read_B, x.kv_written_B + y.kv_written_B};
}

// The cost of one occurrence when each query attends to `keys` keys.
[[nodiscard]] constexpr OpCost cost_at(const Operator& op, double keys) {
  return {op.fixed.flops + op.per_key.flops * keys, plus(op.fixed.bytes, scaled(op.per_key.bytes, keys))};
}

}  // namespace infersim

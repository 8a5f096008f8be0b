#pragma once
// Internal to the operator lists (operators*.cpp): the shapes every block is made of.
#include <vector>

#include "core/operators.hpp"

namespace infersim::detail {

// A GEMM [tokens x in] . [in x out]: 2*tokens*in*out FLOPs (docs/formulas.md#gemm); reads the weight
// matrix once (in its storage format) and the input activations, writes the output activations.
// A bias adds tokens*out FLOPs and out 16-bit values.
[[nodiscard]] Operator gemm(const char* name, double tokens, double in, double out, bool bias,
                            const StorageFormat& weight, const TensorFormats& p, double repeat);

// A grouped GEMM (one launch over `groups` experts, a routed expert MLP's up or down projection): `rows`
// rows in all, shared out evenly, m = rows / groups each, through `groups` [in x out] matrices. FLOPs
// 2*rows*in*out; reads every group's weight matrix once and the rows' inputs, writes their outputs; its
// GEMM shape is {m, out, in, groups} (docs/formulas.md#grouped_gemm).
[[nodiscard]] Operator grouped_gemm(const char* name, double rows, double groups, double in, double out,
                                    const StorageFormat& weight, const TensorFormats& p, double repeat);

// Operator::weight_only_bits for weights stored as `weight` under compute formats `p`: 8 or 4 for
// integer weights a 16-bit GEMM dequantizes (W8A16, W4A16), 0 otherwise.
[[nodiscard]] double weight_only_bits(const StorageFormat& weight, const TensorFormats& p);

// An elementwise operator over `elements_in` inputs producing `elements_out` outputs, reading
// `weight_elements` small-vector parameters (norm scales).
[[nodiscard]] Operator vector_op(const char* name, double flops, double elements_in, double elements_out,
                                 double weight_elements, const TensorFormats& p, double repeat);

// An attention kernel's operator, its cost still to fill in: the scores, softmax or values over the keys
// (fused or not), marked as attention proper for the breakdown by class (Operator::attention_kernel).
[[nodiscard]] Operator attention_op(const char* name, OpUnit unit, double repeat);

// A collective of `message_B` bytes per device over `group` devices spanning `span` device slots.
[[nodiscard]] Operator link_op(const char* name, Collective kind, double group, double span, double message_B,
                               double repeat);

// A norm over `width` features of `tokens` tokens.
[[nodiscard]] Operator norm_op(const char* name, NormKind kind, double width, double tokens,
                               const TensorFormats& p, double repeat);

// Folds an operator's per-key cost at `keys` keys into its fixed cost (a step's rows at known contexts).
void fold_keys(Operator& op, double keys);

// Attention blocks, from the input projections to the output projection (o_proj included).
void append_standard_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                               double tokens, bool decode);
void append_mla_attention(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape,
                          double tokens, bool decode);
// The MLPs: dense layers and MoE layers, each with its own repeat count.
void append_mlp(std::vector<Operator>& ops, const ModelSpec& m, const PassShape& shape, double tokens);

}  // namespace infersim::detail

#pragma once
// Internal to the engine: operator lists -> timed results under a device's roofs.
#include <vector>

#include "core/operator.hpp"
#include "core/phase_result.hpp"
#include "core/roofs.hpp"

namespace infersim::detail {

// One occurrence's time and bound, and the totals over `repeat`, when each query attends `keys` keys.
[[nodiscard]] OpResult op_result(const Operator& op, double keys, const Roofs& roofs);

// Adds the results of `ops` at decode context `context` (each operator attending the keys its span gives
// there; 0 for a pass without per-key costs) to `into`: totals always; per-operator rows when
// keep_operators, summed with the rows already there of the same name (pipeline stages along a path).
void add_ops(PhaseResult& into, const std::vector<Operator>& ops, double context, const Roofs& roofs,
             bool keep_operators);
void add_op_result(PhaseResult& into, const OpResult& r, bool keep_operators);

// Exact sum of the step times of `ops` over decode contexts t = lo..hi (each operator's keys as its span
// gives them at t).
[[nodiscard]] double decode_time_sum_s(const std::vector<Operator>& ops, const Roofs& roofs, long long lo,
                                       long long hi);

// What no context changes in an operator's decode times under `roofs`: the terms of its time sum
// (compute time a + b*keys, memory time c + d*keys; a link's time per occurrence) and, where its cost has
// no per-key part, its result at any keys.
struct DecodeOpTerms {
  double a = 0.0;
  double b = 0.0;
  double c = 0.0;
  double d = 0.0;
  double link_s = 0.0;
  bool add = false;               // compute and memory times add (a weight GEMM that packs its weights)
  bool same_at_any_keys = false;  // `result` is op_result(op, keys, roofs) for every finite keys >= 0
  OpResult result;
};
[[nodiscard]] DecodeOpTerms decode_op_terms(const Operator& op, const Roofs& roofs);

// The totals of a decode step's operators whose cost is the same at any context, summed once per pass,
// and the indices of the others (those with a per-key cost).
struct DecodeTotals {
  PhaseResult fixed;
  std::vector<std::size_t> varying;
};
[[nodiscard]] DecodeTotals decode_totals(const std::vector<Operator>& ops,
                                         const std::vector<DecodeOpTerms>& terms);
// add_ops without operator rows, from those totals: the fixed part added at once, the varying operators
// timed at `context` (>= 0). Equal to add_ops up to the order of the floating-point sums.
void add_decode_totals(PhaseResult& into, const DecodeTotals& totals, const std::vector<Operator>& ops,
                       double context, const Roofs& roofs);

// add_ops and decode_time_sum_s with terms[i] = decode_op_terms(ops[i], roofs): the same results.
void add_ops(PhaseResult& into, const std::vector<Operator>& ops, const std::vector<DecodeOpTerms>& terms,
             double context, const Roofs& roofs, bool keep_operators);
[[nodiscard]] double decode_time_sum_s(const std::vector<Operator>& ops,
                                       const std::vector<DecodeOpTerms>& terms, const Roofs& roofs,
                                       long long lo, long long hi);

}  // namespace infersim::detail

#pragma once
// How many experts a batch of routed tokens touches. Source: docs/formulas.md#expected_experts_touched;
// the uniform case is the expectation of distinct experts hit when each of T tokens
// picks k of E experts: E * (1 - (1 - k/E)^T).

namespace infersim {

// zipf_exponent 0: uniform routing. s > 0: expert i (1-based) is chosen with popularity
// w_i = i^-s / sum_j j^-s, each token including it with probability min(1, k*w_i); the expectation is
// sum_i 1 - (1 - p_i)^T (our skew model: a knob for imbalanced routing, not a fitted law).
[[nodiscard]] double expected_experts_touched(int experts, int experts_per_token, double tokens,
                                              double zipf_exponent);

}  // namespace infersim

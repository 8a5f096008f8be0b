#pragma once
// How many experts a batch of routed tokens touches. Source: docs/formulas.md#expected_experts_touched;
// the uniform case is the expectation of distinct experts hit when each of T tokens
// picks k of E experts: E * (1 - (1 - k/E)^T).

#include <algorithm>

namespace infersim {

// zipf_exponent 0: uniform routing. s > 0: expert i (1-based) is chosen with popularity
// w_i = i^-s / sum_j j^-s, each token including it with probability min(1, k*w_i); the expectation is
// sum_i 1 - (1 - p_i)^T (our skew model: a knob for imbalanced routing, not a fitted law).
[[nodiscard]] double expected_experts_touched(int experts, int experts_per_token, double tokens,
                                              double zipf_exponent);

// The experts a step reaches under balanced routing, the round-robin routing of kernel benchmarks (NVIDIA's
// aiconfigurator collector, collector/helper.py balanced_logits: token i picks experts
// (i + j * ceil(E/k)) mod E, j < k): the T*k rows spread evenly, so min(E, T*k) experts receive rows
// (docs/formulas.md#expected_experts_touched).
[[nodiscard]] inline double balanced_experts_touched(double experts, double experts_per_token,
                                                     double tokens) {
  return std::min(experts, tokens * experts_per_token);
}

// The expected fullest of n bins when m balls fall into them uniformly at random:
// m/n + sqrt(2 (m/n) ln n) (Raab & Steger, "Balls into Bins - A Simple and Tight Analysis", RANDOM 1998,
// Theorem 1, the case m >= n ln n, whose leading terms we use at every m;
// docs/formulas.md#moe_device_imbalance).
[[nodiscard]] double expected_max_bin_load(double balls, double bins);

// The routed rows of the busiest of `ways` expert-parallel devices over the mean device's (>= 1): the
// expected fullest bin of the T*k routed rows over the devices, and under a Zipf skew the device that
// holds the most popular experts (experts placed in order, E/ways a device), whichever is larger.
[[nodiscard]] double moe_device_imbalance(int experts, int experts_per_token, double tokens,
                                          double zipf_exponent, double ways);

}  // namespace infersim

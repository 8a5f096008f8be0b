#pragma once
// Collective communication time: latency + bandwidth ("alpha-beta") models of the algorithms NCCL
// and TensorRT-LLM pick between. S is the message size in bytes, p the devices in the group, B the
// per-direction link bandwidth of one device (B/s), alpha the latency of one step (s).
// Sources: docs/formulas.md#ring_allreduce and the entries after it; Patarasuk & Yuan 2009 (ring all-reduce);
// Thakur, Rabenseifner & Gropp 2005 (reduce-scatter + all-gather); NCCL's performance notes (bus
// bandwidth = algorithm bandwidth * 2(p-1)/p); TensorRT-LLM's custom one-shot / two-shot all-reduce.
#include <algorithm>

namespace infersim {

// Ring all-reduce: a reduce-scatter and an all-gather of p-1 steps each: 2(p-1)/p * S/B + 2(p-1)*alpha.
[[nodiscard]] constexpr double ring_allreduce_s(double S, double p, double B, double alpha) {
  return p <= 1.0 ? 0.0 : 2.0 * (p - 1.0) / p * S / B + 2.0 * (p - 1.0) * alpha;
}

// One-shot all-reduce over a switch (NVSwitch): every device reads the whole message from each of
// the p-1 others and reduces locally, in one step: (p-1) * S/B + alpha. Best for the few-KB
// messages of decode.
[[nodiscard]] constexpr double one_shot_allreduce_s(double S, double p, double B, double alpha) {
  return p <= 1.0 ? 0.0 : (p - 1.0) * S / B + alpha;
}

// Two-shot all-reduce over a switch: reduce-scatter then all-gather, each one step with all peers at
// once: 2(p-1)/p * S/B + 2*alpha. Ring bandwidth, constant latency.
[[nodiscard]] constexpr double two_shot_allreduce_s(double S, double p, double B, double alpha) {
  return p <= 1.0 ? 0.0 : 2.0 * (p - 1.0) / p * S / B + 2.0 * alpha;
}

// The all-reduce an engine picks by message size: the fastest of the three.
[[nodiscard]] constexpr double allreduce_s(double S, double p, double B, double alpha) {
  return std::min({ring_allreduce_s(S, p, B, alpha), one_shot_allreduce_s(S, p, B, alpha),
                   two_shot_allreduce_s(S, p, B, alpha)});
}

// All-gather (or reduce-scatter) of S bytes in total, every device exchanging with all peers at
// once: (p-1)/p * S/B + alpha.
[[nodiscard]] constexpr double allgather_s(double S, double p, double B, double alpha) {
  return p <= 1.0 ? 0.0 : (p - 1.0) / p * S / B + alpha;
}

// All-to-all of S bytes per device (each keeps 1/p of its own): (p-1)/p * S/B + alpha.
[[nodiscard]] constexpr double alltoall_s(double S, double p, double B, double alpha) {
  return allgather_s(S, p, B, alpha);
}

// Point-to-point send/receive of S bytes: S/B + alpha.
[[nodiscard]] constexpr double send_recv_s(double S, double B, double alpha) { return S / B + alpha; }

}  // namespace infersim

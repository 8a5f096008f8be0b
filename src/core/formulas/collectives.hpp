#pragma once
// Collective communication time: latency + bandwidth ("alpha-beta") models of the algorithms NCCL
// and TensorRT-LLM pick between. S is the message size in bytes, p the devices in the group, B the
// per-direction link bandwidth of one device (B/s), alpha the latency of one step (s).
// Sources: docs/formulas.md#ring_allreduce and the entries after it; Patarasuk & Yuan 2009 (ring all-reduce);
// Thakur, Rabenseifner & Gropp 2005 (reduce-scatter + all-gather); NCCL's performance notes (bus
// bandwidth = algorithm bandwidth * 2(p-1)/p); TensorRT-LLM's custom one-shot / two-shot all-reduce.
#include <algorithm>
#include <span>

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

// Measured collectives (docs/formulas.md#measured_collective). One point of a measured curve: a message
// of `bytes` and, by the table it is in, the bus bandwidth (B/s) or the time (s) measured at that size.
struct SizePoint {
  double bytes = 0.0;
  double value = 0.0;
};

// nccl-tests' bus bandwidth back to a time: busbw = algbw * factor with algbw = S / t, so
// t = S * factor / busbw; factor 2(p-1)/p for an all-reduce, (p-1)/p for an all-gather, a
// reduce-scatter and an all-to-all (NVIDIA/nccl-tests doc/PERFORMANCE.md, "Bus bandwidth").
[[nodiscard]] constexpr double busbw_factor_allreduce(double p) { return 2.0 * (p - 1.0) / p; }
[[nodiscard]] constexpr double busbw_factor_allgather(double p) { return (p - 1.0) / p; }

// The time of a message of S bytes read off measured points (bytes ascending) whose time at point i is
// time_of(i): linear in bytes between the two points around S; below the first point, the first point's
// time (the latency floor: a smaller message takes no less than the smallest measured one); beyond the
// last, the last point's time plus the extra bytes at the last point's rate (the asymptote).
template <class TimeOf>
[[nodiscard]] double interpolated_time_s(double S, std::span<const SizePoint> pts, TimeOf time_of) {
  if (S <= pts.front().bytes) return time_of(0);
  const std::size_t last = pts.size() - 1;
  if (S >= pts[last].bytes) return time_of(last) * (S / pts[last].bytes);
  std::size_t i = 1;
  while (pts[i].bytes < S) ++i;
  const double w = (S - pts[i - 1].bytes) / (pts[i].bytes - pts[i - 1].bytes);
  return time_of(i - 1) + w * (time_of(i) - time_of(i - 1));
}

// A collective of S bytes from an nccl-tests bus-bandwidth curve: t(S_i) = S_i * factor / busbw_i at
// the measured sizes, interpolated as above. Bus bandwidth is defined to be independent of the group size
// for ring algorithms (nccl-tests PERFORMANCE.md), so a curve measured on one group serves the others.
[[nodiscard]] inline double busbw_curve_s(double S, double factor, std::span<const SizePoint> busbw) {
  return interpolated_time_s(S, busbw,
                             [&](std::size_t i) { return busbw[i].bytes * factor / busbw[i].value; });
}

// A collective of S bytes from a curve of measured times per call.
[[nodiscard]] inline double time_curve_s(double S, std::span<const SizePoint> times) {
  return interpolated_time_s(S, times, [&](std::size_t i) { return times[i].value; });
}

}  // namespace infersim

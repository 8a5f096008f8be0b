// Measurements of the BLAS-backed and elementwise cases: GEMM, decode GEMV, gated MLP, RMSNorm, triad.
#include <fmt/format.h>

#include <cstddef>

#include "ref/cpu/blas.hpp"
#include "ref/cpu/layers.hpp"
#include "ref/cpu/random.hpp"
#include "ref/cpu/skinny_gemm.hpp"
#include "ref/cpu/suite_cases.hpp"

namespace infersim::ref::suite {

namespace {

std::size_t count(double n) { return static_cast<std::size_t>(n); }

}  // namespace

MeasuredRow measure(const GemmCase& c, const SuiteContext& context) {
  const auto a = random_floats(count(1.0 * c.m * c.k), 1);
  const auto b = random_floats(count(1.0 * c.k * c.n), 2);
  Floats out(count(1.0 * c.m * c.n));
  return timed_row(
      c.name, Family::gemm, fmt::format("m={};n={};k={}", c.m, c.n, c.k), gemm_work(c.m, c.n, c.k),
      [&] { gemm(c.m, c.n, c.k, a.data(), b.data(), out.data()); }, false, context);
}

// Cold: a decode step finds the weights evicted by the rest of the model, so they come from DRAM.
// decode_linear: sgemv for one row, our weight-streaming kernel for 2..16 rows (ref/cpu/skinny_gemm.hpp).
MeasuredRow measure(const LinearCase& c, const SuiteContext& context) {
  const auto x = random_floats(count(1.0 * c.rows * c.k_in), 3);
  const auto w = random_floats(count(1.0 * c.n_out * c.k_in), 4);
  Floats y(count(1.0 * c.rows * c.n_out));
  return timed_row(
      c.name, Family::gemv, fmt::format("m={};n={};k={}", c.rows, c.n_out, c.k_in),
      linear_work(c.rows, c.n_out, c.k_in),
      [&] { decode_linear(x.data(), w.data(), y.data(), c.rows, c.n_out, c.k_in, context.threads); }, true,
      context);
}

MeasuredRow measure(const MlpCase& c, const SuiteContext& context) {
  const auto x = random_floats(count(1.0 * c.tokens * c.hidden), 5);
  const auto gate_up = random_floats(count(2.0 * c.hidden * c.ffn), 6);
  const auto down = random_floats(count(1.0 * c.ffn * c.hidden), 7);
  Floats scratch(count(2.0 * c.tokens * c.ffn));
  Floats y(count(1.0 * c.tokens * c.hidden));
  const GatedMlp mlp{gate_up.data(), down.data(), c.hidden, c.ffn};
  return timed_row(
      c.name, Family::mlp, fmt::format("tokens={};hidden={};ffn={}", c.tokens, c.hidden, c.ffn),
      gated_mlp_work(c.tokens, c.hidden, c.ffn),
      [&] { gated_mlp(mlp, x.data(), c.tokens, scratch.data(), y.data(), context.threads); }, false, context);
}

// The norm's output (160 MiB and more) is far above the LLC: written with streaming stores, so its bytes
// are the traffic (ref/cpu/layers.hpp, Stores); cached stores would add a read of every output line. The
// triad stays cached, as calibration measures it: the suite's triad checks that roof.
MeasuredRow measure(const NormCase& c, const SuiteContext& context) {
  const auto x = random_floats(count(1.0 * c.rows * c.hidden), 8);
  const auto weight = random_floats(count(c.hidden), 9);
  Floats y(x.size());
  return timed_row(
      c.name, Family::norm, fmt::format("rows={};hidden={}", c.rows, c.hidden),
      rmsnorm_work(c.rows, c.hidden),
      [&] {
        rmsnorm(x.data(), weight.data(), y.data(), c.rows, c.hidden, 1e-5f, context.threads,
                Stores::streaming);
      },
      false, context);
}

MeasuredRow measure(const TriadCase& c, const SuiteContext& context) {
  const auto b = random_floats(c.n, 10);
  const auto in_c = random_floats(c.n, 11);
  Floats a(c.n);
  return timed_row(
      c.name, Family::stream, fmt::format("n={}", c.n), triad_work(static_cast<double>(c.n)),
      [&] { triad(a.data(), b.data(), in_c.data(), 3.0f, c.n, context.threads); }, false, context);
}

}  // namespace infersim::ref::suite

#include "ref_cuda/measure.hpp"

#include <stdexcept>
#include <string>

#include "ref_cuda/kernels.hpp"

namespace infersim::ref_cuda {

namespace {

std::size_t count(double n) { return static_cast<std::size_t>(n); }

template <class T>
T* as(const DeviceBuffer<unsigned char>& buffer) {
  return reinterpret_cast<T*>(buffer.data());
}

// Calls f(T{}) with T the C++ element type of p for our own kernels (fp32 storage: float).
template <class F>
void with_element(Precision p, const std::string& name, F&& f) {
  switch (p) {
    case Precision::fp32:
    case Precision::tf32:
      f(float{});
      return;
    case Precision::bf16:
      f(bf16{});
      return;
    case Precision::fp16:
      break;
  }
  throw std::invalid_argument(name + ": the attention, norm and SiLU kernels take fp32 or bf16");
}

MeasuredRow row(const CaseInfo& info, const MeasureContext& context, const std::function<void()>& kernel) {
  const ref::TimingSummary t =
      time_on_device(kernel, context.stream, context.timing, info.cold ? context.flusher : nullptr);
  return {info.name,       info.family,     context.device.name, info.dtype, info.shape,
          info.work.flops, info.work.bytes, t.median_s,          t.repeats,  t.spread};
}

MeasuredRow run(const GemmCase& c, const MeasureContext& context) {
  const auto a = random_tensor(c.precision, count(1.0 * c.m * c.k), 1, 1.0f, context.stream);
  const auto b = random_tensor(c.precision, count(1.0 * c.k * c.n), 2, 1.0f, context.stream);
  const auto out = random_tensor(c.precision, count(1.0 * c.m * c.n), 3, 1.0f, context.stream);
  return row(describe(c), context,
             [&] { context.blas->gemm(c.precision, c.m, c.n, c.k, a.data(), b.data(), out.data()); });
}

MeasuredRow run(const LinearCase& c, const MeasureContext& context) {
  const auto x = random_tensor(c.precision, count(1.0 * c.rows * c.k_in), 4, 1.0f, context.stream);
  const auto w = random_tensor(c.precision, count(1.0 * c.n_out * c.k_in), 5, 0.05f, context.stream);
  const auto y = random_tensor(c.precision, count(1.0 * c.rows * c.n_out), 6, 1.0f, context.stream);
  return row(describe(c), context, [&] {
    context.blas->linear(c.precision, c.rows, c.n_out, c.k_in, x.data(), w.data(), y.data());
  });
}

MeasuredRow run(const DecodeCase& c, const MeasureContext& context) {
  const AttentionShape& s = c.shape;
  check_decode_shape(s, c.context);
  const std::size_t q_elems = count(1.0 * s.batch * s.heads * s.head_dim);
  const std::size_t kv_elems = count(1.0 * s.batch * s.kv_heads * c.context * s.head_dim);
  const auto q = random_tensor(c.precision, q_elems, 7, 1.0f, context.stream);
  const auto k = random_tensor(c.precision, kv_elems, 8, 1.0f, context.stream);
  const auto v = random_tensor(c.precision, kv_elems, 9, 1.0f, context.stream);
  const auto out = random_tensor(c.precision, q_elems, 10, 1.0f, context.stream);
  const DecodeSplit split = decode_split(s, c.context, context.device.sm_count);
  const DeviceBuffer<float> workspace(decode_workspace_floats(s, split));
  MeasuredRow result;
  with_element(c.precision, c.name, [&](auto element) {
    using T = decltype(element);
    result = row(describe(c), context, [&] {
      attention_decode<T>(s, c.context, as<T>(q), as<T>(k), as<T>(v), as<T>(out), workspace.data(), split,
                          context.stream);
    });
  });
  return result;
}

MeasuredRow run(const PrefillCase& c, const MeasureContext& context) {
  const AttentionShape& s = c.shape;
  check_prefill_shape(s, c.seq);
  const std::size_t q_elems = count(1.0 * s.batch * s.heads * c.seq * s.head_dim);
  const std::size_t kv_elems = count(1.0 * s.batch * s.kv_heads * c.seq * s.head_dim);
  const auto q = random_tensor(c.precision, q_elems, 11, 1.0f, context.stream);
  const auto k = random_tensor(c.precision, kv_elems, 12, 1.0f, context.stream);
  const auto v = random_tensor(c.precision, kv_elems, 13, 1.0f, context.stream);
  const auto out = random_tensor(c.precision, q_elems, 14, 1.0f, context.stream);
  MeasuredRow result;
  with_element(c.precision, c.name, [&](auto element) {
    using T = decltype(element);
    result = row(describe(c), context, [&] {
      attention_prefill<T>(s, c.seq, as<T>(q), as<T>(k), as<T>(v), as<T>(out), context.stream);
    });
  });
  return result;
}

MeasuredRow run(const NormCase& c, const MeasureContext& context) {
  const std::size_t n = count(1.0 * c.rows * c.hidden);
  const auto x = random_tensor(c.precision, n, 15, 1.0f, context.stream);
  const auto weight = random_tensor(c.precision, count(c.hidden), 16, 1.0f, context.stream);
  const auto y = random_tensor(c.precision, n, 17, 1.0f, context.stream);
  MeasuredRow result;
  with_element(c.precision, c.name, [&](auto element) {
    using T = decltype(element);
    result = row(describe(c), context, [&] {
      rmsnorm<T>(as<T>(x), as<T>(weight), as<T>(y), c.rows, c.hidden, 1e-5f, context.stream);
    });
  });
  return result;
}

MeasuredRow run(const MlpCase& c, const MeasureContext& context) {
  const Precision p = c.precision;
  const auto x = random_tensor(p, count(1.0 * c.tokens * c.hidden), 18, 1.0f, context.stream);
  const auto gate_up_w = random_tensor(p, count(2.0 * c.ffn * c.hidden), 19, 0.05f, context.stream);
  const auto down_w = random_tensor(p, count(1.0 * c.hidden * c.ffn), 20, 0.05f, context.stream);
  const auto gate_up = random_tensor(p, count(2.0 * c.tokens * c.ffn), 21, 1.0f, context.stream);
  const auto act = random_tensor(p, count(1.0 * c.tokens * c.ffn), 22, 1.0f, context.stream);
  const auto y = random_tensor(p, count(1.0 * c.tokens * c.hidden), 23, 1.0f, context.stream);
  MeasuredRow result;
  with_element(p, c.name, [&](auto element) {
    using T = decltype(element);
    result = row(describe(c), context, [&] {
      context.blas->linear(p, c.tokens, 2 * c.ffn, c.hidden, x.data(), gate_up_w.data(), gate_up.data());
      silu_mul<T>(as<T>(gate_up), as<T>(act), c.tokens, c.ffn, context.stream);
      context.blas->linear(p, c.tokens, c.hidden, c.ffn, act.data(), down_w.data(), y.data());
    });
  });
  return result;
}

MeasuredRow run(const TriadCase& c, const MeasureContext& context) {
  const auto a = random_tensor(Precision::fp32, c.n, 24, 1.0f, context.stream);
  const auto b = random_tensor(Precision::fp32, c.n, 25, 1.0f, context.stream);
  const auto in_c = random_tensor(Precision::fp32, c.n, 26, 1.0f, context.stream);
  return row(describe(c), context,
             [&] { triad(as<float>(a), as<float>(b), as<float>(in_c), 3.0f, c.n, context.stream); });
}

}  // namespace

DeviceBuffer<unsigned char> random_tensor(Precision p, std::size_t n, std::uint32_t seed, float scale,
                                          cudaStream_t stream) {
  DeviceBuffer<unsigned char> buffer(n * static_cast<std::size_t>(element_bytes(p)));
  switch (p) {
    case Precision::bf16:
      fill_uniform(as<bf16>(buffer), n, seed, scale, stream);
      break;
    case Precision::fp16:
      fill_uniform(as<fp16>(buffer), n, seed, scale, stream);
      break;
    case Precision::fp32:
    case Precision::tf32:
      fill_uniform(as<float>(buffer), n, seed, scale, stream);
      break;
  }
  return buffer;
}

MeasuredRow measure(const Case& c, const MeasureContext& context) {
  return std::visit([&](const auto& x) { return run(x, context); }, c);
}

}  // namespace infersim::ref_cuda

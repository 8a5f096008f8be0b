#include "ref_cuda/check.hpp"

#include <fmt/ostream.h>

#include <string>
#include <vector>

#include "ref_cuda/device_buffer.hpp"
#include "ref_cuda/gemm.hpp"
#include "ref_cuda/host_reference.hpp"
#include "ref_cuda/kernels.hpp"

namespace infersim::ref_cuda {

namespace {

// Largest relative error accepted: fp32 (and tf32 on inputs it represents exactly) is off by
// accumulation order only; 16-bit outputs are rounded to 8 (bf16) or 11 (fp16) significant bits.
double tolerance(Precision p) { return p == Precision::fp32 ? 1e-4 : p == Precision::tf32 ? 1e-3 : 1e-2; }

// A device tensor of type p holding `values` (converted on the device from an fp32 upload).
class Tensor {
 public:
  Tensor(Precision p, const std::vector<float>& values) : p_(p), n_(values.size()), data_(n_ * bytes_of(p)) {
    const DeviceBuffer<float> staging(n_);
    check_cuda(cudaMemcpy(staging.data(), values.data(), n_ * sizeof(float), cudaMemcpyHostToDevice),
               "upload");
    switch (p_) {
      case Precision::bf16:
        convert_from_float(staging.data(), get<bf16>(), n_, nullptr);
        break;
      case Precision::fp16:
        convert_from_float(staging.data(), get<fp16>(), n_, nullptr);
        break;
      default:
        convert_from_float(staging.data(), get<float>(), n_, nullptr);
        break;
    }
    check_cuda(cudaDeviceSynchronize(), "upload");
  }
  Tensor(Precision p, std::size_t n) : Tensor(p, std::vector<float>(n, 0.0f)) {}

  template <class T>
  [[nodiscard]] T* get() const {
    return reinterpret_cast<T*>(data_.data());
  }
  [[nodiscard]] void* raw() const { return data_.data(); }

  [[nodiscard]] std::vector<float> download() const {
    const DeviceBuffer<float> staging(n_);
    switch (p_) {
      case Precision::bf16:
        convert_to_float(get<bf16>(), staging.data(), n_, nullptr);
        break;
      case Precision::fp16:
        convert_to_float(get<fp16>(), staging.data(), n_, nullptr);
        break;
      default:
        convert_to_float(get<float>(), staging.data(), n_, nullptr);
        break;
    }
    std::vector<float> out(n_);
    check_cuda(cudaDeviceSynchronize(), "kernel under check");
    check_cuda(cudaMemcpy(out.data(), staging.data(), n_ * sizeof(float), cudaMemcpyDeviceToHost),
               "download");
    return out;
  }

 private:
  static std::size_t bytes_of(Precision p) { return static_cast<std::size_t>(element_bytes(p)); }
  Precision p_;
  std::size_t n_;
  DeviceBuffer<unsigned char> data_;
};

class Checker {
 public:
  explicit Checker(std::ostream& out) : out_(out) {}
  void report(const std::string& what, Precision p, const std::vector<float>& got,
              const std::vector<float>& want) {
    const double error = host::relative_error(got, want);
    const bool ok = error <= tolerance(p);
    fmt::print(out_, "check {:<58} {:<4}  max rel error {:.2e} (tolerance {:.0e})  {}\n", what,
               precision_name(p), error, tolerance(p), ok ? "ok" : "FAILED");
    ++(ok ? summary_.passed : summary_.failed);
  }
  [[nodiscard]] CheckSummary summary() const { return summary_; }

 private:
  std::ostream& out_;
  CheckSummary summary_;
};

void check_gemms(const Blas& blas, Checker& checker) {
  const int m = 37, n = 29, k = 70, rows = 5, n_out = 33;
  const auto a = host::exact_values(std::size_t{m} * k, 1, 1.0f);
  const auto b = host::exact_values(std::size_t{k} * n, 2, 1.0f);
  const auto x = host::exact_values(std::size_t{rows} * k, 3, 1.0f);
  const auto w = host::exact_values(std::size_t{n_out} * k, 4, 1.0f);
  for (Precision p : {Precision::fp32, Precision::tf32, Precision::bf16, Precision::fp16}) {
    const Tensor ta(p, a), tb(p, b), tc(p, std::size_t{m} * n);
    blas.gemm(p, m, n, k, ta.raw(), tb.raw(), tc.raw());
    checker.report(fmt::format("gemm (cuBLAS) m={} n={} k={}", m, n, k), p, tc.download(),
                   host::gemm(m, n, k, a, b));
    const Tensor tx(p, x), tw(p, w), ty(p, std::size_t{rows} * n_out);
    blas.linear(p, rows, n_out, k, tx.raw(), tw.raw(), ty.raw());
    checker.report(fmt::format("linear (cuBLAS) rows={} n_out={} k_in={}", rows, n_out, k), p, ty.download(),
                   host::linear(rows, n_out, k, x, w));
  }
}

template <class T>
void check_attention(Precision p, const DeviceInfo& device, Checker& checker) {
  struct Decode {
    AttentionShape s;
    int context;
  };
  for (const Decode& c : {Decode{{2, 4, 4, 64}, 300}, Decode{{2, 8, 2, 128}, 1000},
                          Decode{{3, 16, 1, 128}, 77}, Decode{{1, 8, 1, 128}, 4099}}) {
    const auto q = host::exact_values(std::size_t{1} * c.s.batch * c.s.heads * c.s.head_dim, 5, 4.0f);
    const auto k =
        host::exact_values(std::size_t{1} * c.s.batch * c.s.kv_heads * c.context * c.s.head_dim, 6, 1.0f);
    const auto v = host::exact_values(k.size(), 7, 1.0f);
    const Tensor tq(p, q), tk(p, k), tv(p, v), out(p, q.size());
    const DecodeSplit split = decode_split(c.s, c.context, device.sm_count);
    const DeviceBuffer<float> workspace(decode_workspace_floats(c.s, split));
    attention_decode<T>(c.s, c.context, tq.get<T>(), tk.get<T>(), tv.get<T>(), out.get<T>(), workspace.data(),
                        split, nullptr);
    checker.report(fmt::format("attention_decode b={} h={}/{} d={} t={} splits={}", c.s.batch, c.s.heads,
                               c.s.kv_heads, c.s.head_dim, c.context, split.splits),
                   p, out.download(), host::attention(c.s, 1, c.context, q, k, v));
  }
  struct Prefill {
    AttentionShape s;
    int seq;
  };
  for (const Prefill& c :
       {Prefill{{1, 2, 2, 64}, 100}, Prefill{{2, 4, 2, 128}, 129}, Prefill{{1, 4, 1, 128}, 64}}) {
    const auto q = host::exact_values(std::size_t{1} * c.s.batch * c.s.heads * c.seq * c.s.head_dim, 8, 4.0f);
    const auto k =
        host::exact_values(std::size_t{1} * c.s.batch * c.s.kv_heads * c.seq * c.s.head_dim, 9, 1.0f);
    const auto v = host::exact_values(k.size(), 10, 1.0f);
    const Tensor tq(p, q), tk(p, k), tv(p, v), out(p, q.size());
    attention_prefill<T>(c.s, c.seq, tq.get<T>(), tk.get<T>(), tv.get<T>(), out.get<T>(), nullptr);
    checker.report(fmt::format("attention_prefill b={} h={}/{} d={} s={}", c.s.batch, c.s.heads, c.s.kv_heads,
                               c.s.head_dim, c.seq),
                   p, out.download(), host::attention(c.s, c.seq, c.seq, q, k, v));
  }
}

template <class T>
void check_elementwise(Precision p, Checker& checker) {
  const int rows = 7, hidden = 1000, tokens = 5, ffn = 333;
  const auto x = host::exact_values(std::size_t{rows} * hidden, 11, 1.0f);
  const auto weight = host::exact_values(std::size_t{hidden}, 12, 1.0f);
  const Tensor tx(p, x), tw(p, weight), ty(p, x.size());
  rmsnorm<T>(tx.get<T>(), tw.get<T>(), ty.get<T>(), rows, hidden, 1e-5f, nullptr);
  checker.report(fmt::format("rmsnorm rows={} hidden={}", rows, hidden), p, ty.download(),
                 host::rmsnorm(rows, hidden, x, weight, 1e-5f));
  const auto gate_up = host::exact_values(std::size_t{2} * tokens * ffn, 13, 4.0f);
  const Tensor tg(p, gate_up), act(p, std::size_t{tokens} * ffn);
  silu_mul<T>(tg.get<T>(), act.get<T>(), tokens, ffn, nullptr);
  checker.report(fmt::format("silu_mul tokens={} ffn={}", tokens, ffn), p, act.download(),
                 host::silu_mul(tokens, ffn, gate_up));
}

void check_triad(Checker& checker) {
  const std::size_t n = 1001;  // not a multiple of 4: the float4 body and the scalar tail
  const auto b = host::exact_values(n, 14, 1.0f), c = host::exact_values(n, 15, 1.0f);
  const Tensor tb(Precision::fp32, b), tc(Precision::fp32, c), ta(Precision::fp32, n);
  triad(ta.get<float>(), tb.get<float>(), tc.get<float>(), 3.0f, n, nullptr);
  checker.report(fmt::format("triad n={}", n), Precision::fp32, ta.download(), host::triad(b, c, 3.0f));
}

}  // namespace

CheckSummary run_checks(const DeviceInfo& device, std::ostream& out) {
  Checker checker(out);
  const Blas blas(nullptr);
  check_gemms(blas, checker);
  check_attention<float>(Precision::fp32, device, checker);
  check_attention<bf16>(Precision::bf16, device, checker);
  check_elementwise<float>(Precision::fp32, checker);
  check_elementwise<bf16>(Precision::bf16, checker);
  check_triad(checker);
  return checker.summary();
}

}  // namespace infersim::ref_cuda

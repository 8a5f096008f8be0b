#include "ref_cuda/cases.hpp"

#include <fmt/format.h>

namespace infersim::ref_cuda {

namespace {

std::string attention_shape(const ref::AttentionShape& s, const char* tokens_key, int tokens) {
  return fmt::format("batch={};heads={};kv_heads={};head_dim={};{}={}", s.batch, s.heads, s.kv_heads,
                     s.head_dim, tokens_key, tokens);
}

CaseInfo info(const GemmCase& c) {
  return {c.name,
          KernelFamily::gemm,
          std::string(precision_name(c.precision)),
          fmt::format("m={};n={};k={}", c.m, c.n, c.k),
          at_precision(ref::gemm_work(c.m, c.n, c.k), c.precision),
          false};
}
CaseInfo info(const LinearCase& c) {
  return {c.name,
          KernelFamily::gemv,
          std::string(precision_name(c.precision)),
          fmt::format("m={};n={};k={}", c.rows, c.n_out, c.k_in),
          at_precision(ref::linear_work(c.rows, c.n_out, c.k_in), c.precision),
          true};
}
CaseInfo info(const DecodeCase& c) {
  return {c.name,
          KernelFamily::attention_decode,
          std::string(precision_name(c.precision)),
          attention_shape(c.shape, "context", c.context),
          at_precision(ref::decode_attention_work(c.shape, c.context), c.precision),
          true};
}
CaseInfo info(const PrefillCase& c) {
  return {c.name,
          KernelFamily::attention_prefill,
          std::string(precision_name(c.precision)),
          attention_shape(c.shape, "seq", c.seq),
          at_precision(ref::prefill_attention_work(c.shape, c.seq), c.precision),
          false};
}
CaseInfo info(const NormCase& c) {
  return {c.name,
          KernelFamily::norm,
          std::string(precision_name(c.precision)),
          fmt::format("rows={};hidden={}", c.rows, c.hidden),
          at_precision(ref::rmsnorm_work(c.rows, c.hidden), c.precision),
          false};
}
CaseInfo info(const MlpCase& c) {
  return {c.name,
          KernelFamily::mlp,
          std::string(precision_name(c.precision)),
          fmt::format("tokens={};hidden={};ffn={}", c.tokens, c.hidden, c.ffn),
          at_precision(ref::gated_mlp_work(c.tokens, c.hidden, c.ffn), c.precision),
          false};
}
CaseInfo info(const TriadCase& c) {
  return {c.name,
          KernelFamily::stream,
          "fp32",
          fmt::format("n={}", c.n),
          ref::triad_work(static_cast<double>(c.n)),
          false};
}

// Llama-like head layouts at head_dim 128.
constexpr ref::AttentionShape layout(int batch, int heads, int kv_heads) {
  return {batch, heads, kv_heads, 128};
}

constexpr auto bf16 = Precision::bf16;
constexpr auto fp32 = Precision::fp32;

// Quick: one to five of each kind; KV caches of 512 MiB (2 * batch * kv_heads * context * 128 * 2 B),
// Llama-2-70B FFN weights (28672 x 8192 bf16: 448 MiB).
std::vector<Case> quick_list() {
  return {GemmCase{"gemm_bf16_4096", bf16, 4096, 4096, 4096},
          GemmCase{"gemm_bf16_8192", bf16, 8192, 8192, 8192},
          GemmCase{"gemm_fp16_4096", Precision::fp16, 4096, 4096, 4096},
          GemmCase{"gemm_tf32_4096", Precision::tf32, 4096, 4096, 4096},
          GemmCase{"gemm_fp32_4096", fp32, 4096, 4096, 4096},
          LinearCase{"gemv_b1_28672x8192", bf16, 1, 28672, 8192},
          LinearCase{"gemv_b8_28672x8192", bf16, 8, 28672, 8192},
          DecodeCase{"decode_mha_t1024", bf16, layout(32, 32, 32), 1024},
          DecodeCase{"decode_gqa_t4096", bf16, layout(32, 32, 8), 4096},
          DecodeCase{"decode_mqa_t8192", bf16, layout(128, 16, 1), 8192},
          PrefillCase{"prefill_mha_s2048", fp32, layout(1, 32, 32), 2048},
          PrefillCase{"prefill_gqa_s4096", fp32, layout(1, 32, 8), 4096},
          NormCase{"rmsnorm_16384x8192", fp32, 16384, 8192},
          MlpCase{"mlp_t1_8192x28672", bf16, 1, 8192, 28672},
          MlpCase{"mlp_t2048_4096x14336", bf16, 2048, 4096, 14336},
          TriadCase{"triad_128m", std::size_t{128} << 20}};
}

// Full: more sizes, batches and contexts; memory-bound working sets up to 3 GiB.
std::vector<Case> full_list() {
  return {GemmCase{"gemm_bf16_2048", bf16, 2048, 2048, 2048},
          GemmCase{"gemm_bf16_4096", bf16, 4096, 4096, 4096},
          GemmCase{"gemm_bf16_8192", bf16, 8192, 8192, 8192},
          GemmCase{"gemm_bf16_16384x16384x4096", bf16, 16384, 16384, 4096},
          GemmCase{"gemm_fp16_8192", Precision::fp16, 8192, 8192, 8192},
          GemmCase{"gemm_tf32_8192", Precision::tf32, 8192, 8192, 8192},
          GemmCase{"gemm_fp32_4096", fp32, 4096, 4096, 4096},
          LinearCase{"gemv_b1_28672x8192", bf16, 1, 28672, 8192},
          LinearCase{"gemv_b4_28672x8192", bf16, 4, 28672, 8192},
          LinearCase{"gemv_b16_28672x8192", bf16, 16, 28672, 8192},
          LinearCase{"gemv_b64_28672x8192", bf16, 64, 28672, 8192},
          LinearCase{"gemv_b1_8192x28672", bf16, 1, 8192, 28672},
          DecodeCase{"decode_mha_t1024", bf16, layout(32, 32, 32), 1024},
          DecodeCase{"decode_mha_t4096", bf16, layout(16, 32, 32), 4096},
          DecodeCase{"decode_gqa_t4096", bf16, layout(32, 32, 8), 4096},
          DecodeCase{"decode_gqa_t32768", bf16, layout(8, 32, 8), 32768},
          DecodeCase{"decode_gqa64_t8192", bf16, layout(16, 64, 8), 8192},
          DecodeCase{"decode_gqa_b1_t131072", bf16, layout(1, 32, 8), 131072},
          DecodeCase{"decode_mqa_t8192", bf16, layout(128, 16, 1), 8192},
          PrefillCase{"prefill_mha_s2048", fp32, layout(1, 32, 32), 2048},
          PrefillCase{"prefill_mha_b4_s1024", fp32, layout(4, 32, 32), 1024},
          PrefillCase{"prefill_gqa_s4096", fp32, layout(1, 32, 8), 4096},
          PrefillCase{"prefill_gqa_s8192", fp32, layout(1, 32, 8), 8192},
          NormCase{"rmsnorm_16384x8192", fp32, 16384, 8192},
          NormCase{"rmsnorm_65536x4096", fp32, 65536, 4096},
          MlpCase{"mlp_t1_8192x28672", bf16, 1, 8192, 28672},
          MlpCase{"mlp_t8_8192x28672", bf16, 8, 8192, 28672},
          MlpCase{"mlp_t2048_4096x14336", bf16, 2048, 4096, 14336},
          MlpCase{"mlp_t4096_8192x28672", bf16, 4096, 8192, 28672},
          TriadCase{"triad_256m", std::size_t{256} << 20}};
}

}  // namespace

std::string_view precision_name(Precision p) {
  switch (p) {
    case Precision::fp32:
      return "fp32";
    case Precision::tf32:
      return "tf32";
    case Precision::bf16:
      return "bf16";
    case Precision::fp16:
      return "fp16";
  }
  return "fp32";
}

double element_bytes(Precision p) { return p == Precision::bf16 || p == Precision::fp16 ? 2.0 : 4.0; }

ref::Work at_precision(const ref::Work& fp32_work, Precision p) {
  return {fp32_work.flops, fp32_work.bytes * element_bytes(p) / ref::kF32Bytes};
}

CaseInfo describe(const Case& c) {
  return std::visit([](const auto& x) { return info(x); }, c);
}

std::vector<Case> suite_cases(bool quick) { return quick ? quick_list() : full_list(); }

}  // namespace infersim::ref_cuda

#include "ref/cpu/calibrate.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <stdexcept>
#include <vector>

#include "ref/base/timing.hpp"
#include "ref/base/work_counts.hpp"
#include "ref/cpu/attention.hpp"
#include "ref/cpu/blas.hpp"
#include "ref/cpu/host_info.hpp"
#include "ref/cpu/layers.hpp"
#include "ref/cpu/parallel.hpp"
#include "ref/cpu/random.hpp"
#include "ref/cpu/skinny_gemm.hpp"
#include "ref/cpu/vector_ops.hpp"
#include "validation/statistics.hpp"

namespace infersim::ref {

namespace {

using Clock = std::chrono::steady_clock;

// 8 independent accumulators of 16 lanes: 8 zmm under AVX-512, 16 ymm under AVX2. FMA latency is 4
// cycles on Zen 4 and Skylake-SP and they issue up to two per cycle, so 8 chains keep both pipes full.
constexpr int kChains = 8;
constexpr int kLanes = 16;
using Lanes = float __attribute__((vector_size(kLanes * sizeof(float))));
constexpr double kFlopsPerIteration = 2.0 * kChains * kLanes;  // one FMA = 2 FLOPs per lane

// Returns a value depending on every accumulator, so the loop cannot be removed.
INFERSIM_REF_HOT float fma_burst(long iterations, float seed) {
  Lanes acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = Lanes{} + (seed + static_cast<float>(c));
  const Lanes mul = Lanes{} + 0.9999999f;
  const Lanes add = Lanes{} + 1e-7f;
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < kChains; ++c) acc[c] = acc[c] * mul + add;
  float sum = 0.0f;
  for (int c = 0; c < kChains; ++c)
    for (int l = 0; l < kLanes; ++l) sum += acc[c][l];
  return sum;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// fma_burst's eight 16-lane chains take sixteen ymm registers under AVX2, the whole register file, and
// GCC lowers its v3 clone into xmm pieces through the stack, with no FMA at all: on an AVX2 host without
// AVX-512 it measured a tenth of the peak. This burst runs eight 8-lane chains instead (eight ymm
// registers, enough for two FMA pipes of four cycles' latency) twice per iteration: the same FLOPs per
// iteration as fma_burst.
using Lanes8 = float __attribute__((vector_size(8 * sizeof(float))));

__attribute__((target("arch=x86-64-v3"))) float fma_burst_avx2(long iterations, float seed) {
  Lanes8 acc[kChains];
  for (int c = 0; c < kChains; ++c) acc[c] = Lanes8{} + (seed + static_cast<float>(c));
  const Lanes8 mul = Lanes8{} + 0.9999999f;
  const Lanes8 add = Lanes8{} + 1e-7f;
  for (long i = 0; i < iterations; ++i) {
    for (int c = 0; c < kChains; ++c) acc[c] = acc[c] * mul + add;
    for (int c = 0; c < kChains; ++c) acc[c] = acc[c] * mul + add;
  }
  float sum = 0.0f;
  for (int c = 0; c < kChains; ++c)
    for (int l = 0; l < 8; ++l) sum += acc[c][l];
  return sum;
}
#endif

// The burst for this host: the AVX2 one where the host is x86-64-v3 (AVX2, FMA and the rest of that level,
// which the burst is compiled for) but not v4 (AVX-512), fma_burst's clone for its ISA otherwise.
float host_fma_burst(long iterations, float seed) {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  if (__builtin_cpu_supports("x86-64-v3") && !__builtin_cpu_supports("x86-64-v4"))
    return fma_burst_avx2(iterations, seed);
#endif
  return fma_burst(iterations, seed);
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Wall time of every thread running `calls` of its own copy of a kernel at once, back to back inside one
// dispatch, so the fork-join is paid once per sample rather than once per call.
template <class Kernel>
double concurrent_calls_s(int threads, int calls, const Kernel& kernel) {
  const auto start = Clock::now();
  parallel_for(threads, threads, [&](int t) {
    for (int c = 0; c < calls; ++c) kernel(t);
  });
  return seconds_since(start);
}

// Wall time of every thread running `iterations` of the burst at once.
double fma_wall_s(int threads, long iterations) {
  std::vector<float> sinks(static_cast<std::size_t>(threads));
  const double wall = concurrent_calls_s(
      threads, 1, [&](int t) { sinks[t] = host_fma_burst(iterations, static_cast<float>(t)); });
  volatile float sink = sinks[0];
  (void)sink;
  return wall;
}

// Median sgemm FLOP/s of an n x n x n product.
double sgemm_flops(int n, int repeats) {
  const auto count = static_cast<std::size_t>(n) * n;
  const auto a = random_floats(count, 21);
  const auto b = random_floats(count, 22);
  Floats c(count);
  const TimingSummary t = time_kernel([&] { gemm(n, n, n, a.data(), b.data(), c.data()); }, {1, repeats});
  return gemm_work(n, n, n).flops / t.median_s;
}

}  // namespace

double measure_fma_peak_flops(int threads, double seconds) {
  long iterations = 1 << 16;
  while (fma_wall_s(threads, iterations) < seconds / 10.0) iterations *= 2;  // also warms up the clocks
  double best_s = fma_wall_s(threads, iterations * 10);
  for (int run = 0; run < 2; ++run) best_s = std::min(best_s, fma_wall_s(threads, iterations * 10));
  return kFlopsPerIteration * static_cast<double>(iterations * 10) * threads / best_s;
}

// Median of the repeats, the statistic the suite reports for every case, so the roof is what a kernel
// typically sustains (STREAM itself reports the best run; on this shared VM the best is an outlier,
// up to 30 % above the median). Each thread sweeps its own chunk `passes` times inside one dispatch,
// so a cache-resident working set is not timed against thread start-up.
double measure_triad_Bps(std::size_t elements, int threads, int repeats, Stores stores) {
  // Random contents as the suite's inputs have: pages of one repeated value can be merged by the host
  // (same-page merging in a VM) and then read from one cached physical page, far above DRAM speed.
  Floats a(elements);
  const Floats b = random_floats(elements, 31);
  const Floats c = random_floats(elements, 32);
  const int passes = static_cast<int>(std::max<std::size_t>(1, (std::size_t{256} << 20) / (elements * 12)));
  const TimingSummary t = time_kernel(
      [&] {
        parallel_for(threads, threads, [&](int w) {
          const std::size_t begin = elements * w / threads;
          const std::size_t end = elements * (w + 1) / threads;
          for (int p = 0; p < passes; ++p)
            triad(a.data() + begin, b.data() + begin, c.data() + begin, 3.0f, end - begin, 1, stores);
        });
      },
      {1, repeats});
  return triad_work(static_cast<double>(elements)).bytes * passes / t.median_s;
}

double measure_attention_flops(int threads, int repeats) {
  constexpr AttentionShape kShape{1, 4, 4, 128};
  constexpr int kSeq = 768;
  const std::size_t count = static_cast<std::size_t>(kShape.heads) * kSeq * kShape.head_dim;
  const auto q = random_floats(count, 41);
  const auto k = random_floats(count, 42);
  const auto v = random_floats(count, 43);
  Floats out(count);
  const TimingSummary t =
      time_kernel([&] { attention_prefill(kShape, kSeq, q.data(), k.data(), v.data(), out.data(), threads); },
                  {1, repeats});
  return prefill_attention_work(kShape, kSeq).flops / t.median_s;
}

namespace {

// Median FLOP/s over `repeats` samples of every thread running `calls` calls of `flops_per_call` each.
template <class Kernel>
double in_core_flops(int threads, int repeats, int calls, double flops_per_call, const Kernel& kernel) {
  (void)concurrent_calls_s(threads, calls, kernel);  // warm-up: the working sets come into L2
  std::vector<double> samples_s;
  for (int r = 0; r < repeats; ++r) samples_s.push_back(concurrent_calls_s(threads, calls, kernel));
  return flops_per_call * calls * threads / summarize(std::move(samples_s)).median_s;
}

}  // namespace

double measure_decode_attention_in_core_flops(int threads, int repeats) {
  constexpr int kContext = 512;  // 2 x 512 x 128 x 4 B = 512 KiB of K and V a thread
  constexpr int kCalls = 300;
  constexpr AttentionShape kFew{1, 2, 1, 128};   // 2 query heads on one KV head
  constexpr AttentionShape kMany{1, 8, 1, 128};  // 8 on the same K and V
  struct Buffers {
    Floats q, k, v, out;  // q and out sized for kMany; kFew uses their first rows
  };
  std::vector<Buffers> per_thread;
  for (int t = 0; t < threads; ++t) {
    const auto seed = static_cast<std::uint64_t>(t) * 4;
    per_thread.push_back({random_floats(kMany.heads * kMany.head_dim, 51 + seed),
                          random_floats(std::size_t{kContext} * kMany.head_dim, 52 + seed),
                          random_floats(std::size_t{kContext} * kMany.head_dim, 53 + seed),
                          Floats(std::size_t(kMany.heads) * kMany.head_dim)});
  }
  const auto sample_s = [&](const AttentionShape& shape) {
    return concurrent_calls_s(threads, kCalls, [&](int t) {
      Buffers& b = per_thread[static_cast<std::size_t>(t)];
      attention_decode(shape, kContext, b.q.data(), b.k.data(), b.v.data(), b.out.data(), 1);
    });
  };
  (void)sample_s(kMany);  // warm-up: the working sets come into L2
  // Each sample times both back to back, so a shared host's slow drift cancels in their difference.
  std::vector<double> extra_heads_s;
  for (int r = 0; r < repeats; ++r) {
    const double few_s = sample_s(kFew);
    extra_heads_s.push_back(sample_s(kMany) - few_s);
  }
  const double extra_s = median(std::move(extra_heads_s));
  if (!(extra_s > 0.0))
    throw std::runtime_error(
        "calibrate: the decode attention kernel took no longer for 8 query heads than "
        "for 2 (the host too busy to measure); run calibrate again");
  const double extra_flops =
      decode_attention_work(kMany, kContext).flops - decode_attention_work(kFew, kContext).flops;
  return extra_flops * kCalls * threads / extra_s;
}

double measure_skinny_gemv_in_core_flops(int threads, int repeats) {
  constexpr int kRows = 8, kOut = 32, kIn = 4096;  // W: 32 x 4096 x 4 B = 512 KiB
  struct Buffers {
    Floats x, w, y;
  };
  std::vector<Buffers> per_thread;
  for (int t = 0; t < threads; ++t) {
    const auto seed = static_cast<std::uint64_t>(t) * 2;
    per_thread.push_back({random_floats(std::size_t{kRows} * kIn, 61 + seed),
                          random_floats(std::size_t{kOut} * kIn, 62 + seed),
                          Floats(std::size_t{kRows} * kOut)});
  }
  return in_core_flops(threads, repeats, 500, linear_work(kRows, kOut, kIn).flops, [&](int t) {
    Buffers& b = per_thread[static_cast<std::size_t>(t)];
    stream_linear(b.x.data(), b.w.data(), b.y.data(), kRows, kOut, kIn, 1);
  });
}

namespace {

// Sum of x[0, n) in four 16-lane accumulators (enough independent loads in flight to stream).
INFERSIM_REF_HOT float sum_floats(const float* x, std::size_t n) {
  detail::Lanes acc[4] = {};
  std::size_t i = 0;
  for (; i + 4 * detail::kLanes <= n; i += 4 * detail::kLanes)
    for (int c = 0; c < 4; ++c) {
      detail::Lanes v;
      detail::load_lanes(v, x + i + c * detail::kLanes);
      acc[c] += v;
    }
  const detail::Lanes total = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  float sum = detail::lane_sum(total);
  for (; i < n; ++i) sum += x[i];
  return sum;
}

}  // namespace

double measure_read_Bps(const Floats& x, int threads, int repeats) {
  const std::size_t elements = x.size();
  std::vector<float> sums(static_cast<std::size_t>(threads));
  const TimingSummary t = time_kernel(
      [&] {
        parallel_for(threads, threads, [&](int w) {
          const std::size_t begin = elements * w / threads;
          const std::size_t end = elements * (w + 1) / threads;
          sums[w] = sum_floats(x.data() + begin, end - begin);
        });
      },
      {1, repeats});
  volatile float sink = sums[0];
  (void)sink;
  return static_cast<double>(elements) * sizeof(float) / t.median_s;
}

double measure_weight_pack_Bps(const Floats& pool, int repeats) {
  constexpr int kOut = 1024, kIn = 4096;  // 16 MiB of fp32 weights
  constexpr int kFewRows = 8, kManyRows = 64;
  constexpr std::size_t kWeightElements = std::size_t{kOut} * kIn;
  const std::size_t matrices = pool.size() / kWeightElements;
  if (matrices < kMinWeightPackMatrices)
    throw std::invalid_argument("measure_weight_pack_Bps: the pool holds " + std::to_string(matrices) +
                                " weight matrices of 16 MiB, fewer than " +
                                std::to_string(kMinWeightPackMatrices));
  const Floats x = random_floats(std::size_t{kManyRows} * kIn, 71);
  Floats y(std::size_t{kManyRows} * kOut);
  std::size_t next = 0;
  const auto call_s = [&](int rows) {
    const float* w = pool.data() + next * kWeightElements;
    next = (next + 1) % matrices;  // the others since its last use evicted it (header comment)
    const auto start = Clock::now();
    linear(x.data(), w, y.data(), rows, kOut, kIn);
    return seconds_since(start);
  };
  (void)call_s(kManyRows);  // warm-up: OpenBLAS's buffers and threads
  // t(rows) = rows * per-row time + the weights' time: solved from the pair, timed back to back so that
  // a shared host's slow drift cancels.
  std::vector<double> weights_s;
  for (int r = 0; r < repeats; ++r) {
    const double few_s = call_s(kFewRows);
    const double many_s = call_s(kManyRows);
    weights_s.push_back((kManyRows * few_s - kFewRows * many_s) / (kManyRows - kFewRows));
  }
  const double per_matrix_s = median(std::move(weights_s));
  if (!(per_matrix_s > 0.0))
    throw std::runtime_error(
        "calibrate: an sgemm of 8 rows took no longer than 1/8 of one of 64 rows on the same weights "
        "(the host too busy to measure); run calibrate again");
  return static_cast<double>(kWeightElements) * sizeof(float) / per_matrix_s;
}

double measure_fork_join_s(int threads, int repeats) {
  return time_kernel([threads] { parallel_for(threads, threads, [](int) {}); }, {10, repeats}).median_s;
}

HostCalibration calibrate_host(const CalibrateOptions& options, const ProgressCallback& progress) {
  const auto say = [&](const std::string& text) {
    if (progress) progress(text);
  };
  const int threads = options.threads;
  HostCalibration h = host_description(threads);
  say("fp32 FMA peak");
  h.fma_peak_flops = measure_fma_peak_flops(threads, options.quick ? 0.2 : 0.5);
  // Before any BLAS call: OpenBLAS's threads spin for a while after one and would share our cores.
  say("attention kernel");
  h.attention_flops = measure_attention_flops(threads, options.quick ? 15 : 21);
  say("decode attention and skinny GEMV kernels in L2");
  h.decode_attention_in_core_flops = measure_decode_attention_in_core_flops(threads, options.quick ? 15 : 25);
  h.skinny_gemv_in_core_flops = measure_skinny_gemv_in_core_flops(threads, options.quick ? 15 : 25);
  // Quick: one size a little smaller (`validate` calibrates twice per run: before and after the suite).
  for (int n : options.quick ? std::vector<int>{2304} : std::vector<int>{2560, 3584}) {
    say("sgemm " + std::to_string(n));
    const double flops = sgemm_flops(n, 3);  // a median of 3: one slow call of 2 moved the mean
    if (flops > h.sgemm_flops) h.sgemm_flops = flops, h.sgemm_n = n;
  }
  let_blas_threads_park();  // before timing our kernels after the sgemm (ref/cpu/blas.hpp)
  // Quick: 3 x 384 MiB, still 4.4x a 260 MiB L3.
  say(options.quick ? "DRAM triad, 3 x 384 MiB" : "DRAM triad, 3 x 512 MiB");
  const std::size_t dram_elements = (std::size_t{options.quick ? 384u : 512u} << 20) / sizeof(float);
  h.triad_working_set_B = 3.0 * static_cast<double>(dram_elements) * sizeof(float);
  // The streams take 15-19 passes: on the shared development VM a median of 7 took a slow spell of a few
  // tenths of a second for the bandwidth. In 8 interleaved trials the triad's median of 7 read 15.5 GB/s
  // once (24.0-25.8 otherwise; of 15 passes 24.5-26.3), and the quick read stream's 15.5 and 22.6 GB/s
  // (mean 23.4; of 19 passes 24.7-26.5, mean 25.7).
  h.triad_Bps = measure_triad_Bps(dram_elements, threads, 15);
  say(options.quick ? "DRAM read stream, 512 MiB" : "DRAM read stream, 1 GiB");
  const std::size_t read_elements = (std::size_t{options.quick ? 512u : 1024u} << 20) / sizeof(float);
  h.read_working_set_B = static_cast<double>(read_elements) * sizeof(float);
  {
    // The read stream's array, twice the LLC and more, also holds the packing measurement's weights.
    const Floats pool = random_floats(read_elements, 33);  // random: see measure_triad_Bps
    h.read_Bps = measure_read_Bps(pool, threads, options.quick ? 19 : 15);
    say("sgemm weight packing, weights from DRAM");
    h.weight_pack_Bps = measure_weight_pack_Bps(pool, options.quick ? 25 : 41);
  }
  let_blas_threads_park();
  if (h.llc_size_B > 0.0) {
    say("LLC triad");
    const auto llc_elements = static_cast<std::size_t>(h.llc_size_B / 2.0 / (3.0 * sizeof(float)));
    h.llc_working_set_B = 3.0 * static_cast<double>(llc_elements) * sizeof(float);
    h.llc_Bps = measure_triad_Bps(llc_elements, threads, options.quick ? 5 : 10);
  }
  say("per-call overhead");
  h.fork_join_s = measure_fork_join_s(threads, 201);
  std::vector<float> tiny(64, 1.0f), tiny_out(64);
  h.tiny_sgemm_s =
      time_kernel([&] { gemm(8, 8, 8, tiny.data(), tiny.data(), tiny_out.data()); }, {10, 201}).median_s;
  return h;
}

}  // namespace infersim::ref

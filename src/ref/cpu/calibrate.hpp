#pragma once
// Host calibration (`infersim calibrate`): the few physically meaningful figures the roofline needs,
// each measured on shapes the validation suite never uses (square sgemm of 2560/3584, 2304 when quick;
// triads of 3 x 512 MiB, 3 x 384 MiB when quick, and of half the LLC; a read stream of 1 GiB, 512 MiB when
// quick; sgemms of 8 and 64 rows on 1024 x 4096 weights), so validation predicts new shapes rather than
// replaying old ones.
#include <cstddef>
#include <functional>
#include <string>

#include "ref/cpu/aligned.hpp"
#include "ref/cpu/layers.hpp"
#include "validation/host_calibration.hpp"

namespace infersim::ref {

struct CalibrateOptions {
  int threads = 1;
  bool quick = false;  // fewer repeats and smaller sgemm sizes: a few seconds instead of ~20
};

using ProgressCallback = std::function<void(const std::string&)>;

[[nodiscard]] HostCalibration calibrate_host(const CalibrateOptions& options,
                                             const ProgressCallback& progress = {});

// The pieces, each returning its figure (exposed for the runner and for tests).
[[nodiscard]] double measure_fma_peak_flops(int threads, double seconds);
// stores: cached (STREAM's compiled default, what calibrate uses: on this host the read streams of the
// decode kernels reach about the cached triad's STREAM-count figure, and ~0.7x of the streaming-store
// triad's), or streaming.
[[nodiscard]] double measure_triad_Bps(std::size_t elements, int threads, int repeats,
                                       Stores stores = Stores::cached);
[[nodiscard]] double measure_fork_join_s(int threads, int repeats);

// Bytes/s of a pure read stream over x (random contents, far above the LLC): every thread sums its
// contiguous chunk of it (STREAM-style chunks, read once per run). The decode kernels (GEMV, KV-cache
// attention) are read streams.
[[nodiscard]] double measure_read_Bps(const Floats& x, int threads, int repeats);

// Bytes/s at which OpenBLAS takes in a weight matrix of the nn.Linear layout (Y = X W^T, W [out x in],
// ref::linear) from DRAM: each sample times 8 rows and then 64 rows on two of the pool's 1024 x 4096
// matrices (16 MiB) and solves t(rows) = rows * a + b for b, the weights' time; the median of
// `repeats` samples. Each matrix comes round again after all the pool's others, so with a pool of
// twice the LLC it comes from DRAM. OpenBLAS packs its operands into micro-panels before computing
// (Goto & van de Geijn 2008); for this layout the weights' copy is a transpose, and on the development
// VM (OpenBLAS core Prescott) it ran at 7-11 GB/s against a 25 GB/s read stream: an sgemm of 16 rows ran
// at 0.59x the square sgemm's FLOP/s, of 64 rows at 0.86x and of 128 rows at 0.94x; of the plain
// layout (X W, W [in x out]) at 0.82x, 0.99x and 0.93x. Timing the prompt's GEMMs inside the reference
// decoder found them 97 % of its prefill. The suite's GEMMs have 128 to 4096 rows.
// Throws std::invalid_argument when the pool holds fewer than kMinWeightPackMatrices matrices.
inline constexpr std::size_t kMinWeightPackMatrices = 4;
[[nodiscard]] double measure_weight_pack_Bps(const Floats& pool, int repeats);

// FLOP/s of our causal prefill attention kernel (ref/cpu/attention.hpp) on its calibration shape: batch 1,
// 4 heads (MHA), head_dim 128, seq 768, 6 MiB of Q, K, V and O, so it runs from the caches at the
// throughput of its vectorised inner loops, ~20 ms a run (shorter runs time thread start-up and the
// scheduler). The suite's prefill shapes are other ones (seq 512, 1024, 2048, 8 heads, MHA and GQA);
// its decode shapes read DRAM.
[[nodiscard]] double measure_attention_flops(int threads, int repeats);

// In-core FLOP/s of our two streaming decode kernels, their data held in L2 (512 KiB a thread, within
// the 1-2 MiB L2 of current x86 server cores): every thread runs its own copy, call after call. What the
// suite's DRAM-sized decode cases add to their memory time (validation/kernel_predict.hpp, the ECM model).
//  - decode attention (ref/cpu/attention.hpp): batch 1, head_dim 128, context 512, one KV head; the FLOP/s of
//    its per-query-head work (each head's scores, softmax and P.V against K and V rows already in L1),
//    timed as the difference between 8 and 2 query heads on the same K and V. The rest of a call, about
//    8 us of the 47 at 8 heads on this host, goes with the K and V bytes (bringing each row from L2 into
//    L1, the block loop) whatever the group: streaming from DRAM that is part of the memory term, which
//    the read stream measures moving every byte into L1. Measured here at 512 keys, the call time rises
//    linearly, 11.7 / 17.2 / 27.6 / 47.5 / 86.6 us at 1 / 2 / 4 / 8 / 16 heads, so one group's FLOP/s
//    would count that per-byte part once per head: 2x too little in-core time at group 1, 10 % too much
//    at 16. The suite's decode cases have groups of 1, 4 and 16 and contexts of 1024 to 8192;
//  - skinny GEMV (ref/cpu/skinny_gemm.hpp): 8 rows x 4096 inputs by 32 outputs; the suite's have 4 to 16
//    rows and 8192 or 16384 outputs. Its time per row is flat from 4 to 16 rows (it computes four X
//    rows per pass over W), so one shape's FLOP/s is its in-core rate.
[[nodiscard]] double measure_decode_attention_in_core_flops(int threads, int repeats);
[[nodiscard]] double measure_skinny_gemv_in_core_flops(int threads, int repeats);

}  // namespace infersim::ref

#pragma once
// What `infersim calibrate` measures on the host (src/ref/cpu/calibrate.cpp) and writes as a hardware
// profile (io/published/host_profile.hpp). Plain data in SI units.
#include <string>

namespace infersim {

struct HostCalibration {
  std::string cpu_model;         // /proc/cpuinfo "model name"
  std::string blas_core;         // OpenBLAS kernel set, e.g. "Cooperlake"
  int threads = 1;               // threads every measurement ran on (one per core here)
  double memory_B = 0.0;         // physical memory (sysconf), the profile's capacity
  double fma_peak_flops = 0.0;   // fp32 FMA throughput of all threads, FLOP/s
  double sgemm_flops = 0.0;      // best sgemm achieved, FLOP/s
  int sgemm_n = 0;               // its square size
  double attention_flops = 0.0;  // our causal prefill attention kernel (src/ref) in cache, FLOP/s; 0: not run
  // Our streaming decode kernels with their data in L2, every thread its own copy, FLOP/s; 0: not run
  double decode_attention_in_core_flops = 0.0;
  double skinny_gemv_in_core_flops = 0.0;
  double triad_Bps = 0.0;  // STREAM triad, working set far above the LLC (STREAM byte count)
  double triad_working_set_B = 0.0;
  double read_Bps = 0.0;  // a pure read stream (sum) far above the LLC; 0: not measured
  double read_working_set_B = 0.0;
  double weight_pack_Bps = 0.0;  // sgemm's intake of nn.Linear-layout weights from DRAM; 0: not measured
  double llc_size_B = 0.0;       // from sysfs; 0: unknown
  double llc_Bps = 0.0;          // triad with a working set inside the LLC
  double llc_working_set_B = 0.0;
  double fork_join_s = 0.0;   // one empty fork-join dispatch over `threads` threads
  double tiny_sgemm_s = 0.0;  // one 8x8x8 sgemm call: the BLAS's per-call cost
};

}  // namespace infersim

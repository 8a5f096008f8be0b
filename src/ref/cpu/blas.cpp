#include "ref/cpu/blas.hpp"

#include <cblas.h>

#include <atomic>
#include <chrono>
#include <thread>

// OpenBLAS extensions; declared again in case the cblas.h found is not OpenBLAS's own.
extern "C" {
char* openblas_get_corename(void);
int openblas_get_num_threads(void);
void openblas_set_num_threads(int num_threads);
}

namespace infersim::ref {

namespace {

using Clock = std::chrono::steady_clock;

// When the last BLAS call through this file returned, in steady_clock ticks since its epoch; 0: none.
std::atomic<Clock::rep> last_call_end{0};

void note_call_end() {
  last_call_end.store(Clock::now().time_since_epoch().count(), std::memory_order_relaxed);
}

}  // namespace

void gemm(int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, ldc);
  note_call_end();
}

void linear(const float* x, const float* w, float* y, int rows, int n_out, int k_in) {
  if (rows == 1) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, n_out, k_in, 1.0f, w, k_in, x, 1, 0.0f, y, 1);
  } else {
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, rows, n_out, k_in, 1.0f, x, k_in, w, k_in, 0.0f, y,
                n_out);
  }
  note_call_end();
}

BlasInfo blas_info() {
  const char* core = openblas_get_corename();
  return {core ? core : "unknown", openblas_get_num_threads()};
}

void set_blas_threads(int threads) { openblas_set_num_threads(threads); }

void let_blas_threads_park() {
  const Clock::rep last = last_call_end.load(std::memory_order_relaxed);
  if (last == 0) return;
  const Clock::time_point parked =
      Clock::time_point(Clock::duration(last)) +
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(kBlasParkS));
  std::this_thread::sleep_until(parked);  // returns at once when that is past
}

}  // namespace infersim::ref

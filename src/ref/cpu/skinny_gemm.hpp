#pragma once
// The decode projection Y[rows x n_out] = X[rows x k_in] * W^T (W stored [n_out x k_in], nn.Linear),
// dispatched by the number of rows the way a decode engine runs it:
//   rows == 1:        cblas_sgemv (OpenBLAS's GEMV streams W at DRAM bandwidth already);
//   2 <= rows <= 16:  stream_linear below, our own weight-streaming kernel;
//   rows > 16:        cblas_sgemm.
// Why our own kernel for 2..16 rows: OpenBLAS's sgemm packs and blocks for large GEMMs and runs a
// skinny product far below the DRAM roof on this host (gemv_b8 measured at 6.5 GB/s of a 29 GB/s
// triad), so timing it would validate the roofline against a poor kernel rather than the memory
// system. A decode kernel should read each weight once and do all rows' dot products from it; that
// one reads W once at the DRAM roof, so the roofline predicts it honestly.
namespace infersim::ref {

inline constexpr int kStreamLinearMaxRows = 16;

// Each thread takes a contiguous slice of W's rows, four at a time, and computes from them the dot
// products with every X row (four X rows at a time: 16 vector accumulators), so W crosses the memory
// interface once; X (rows x k_in) stays in the caches. Any rows >= 1 works; it pays off for <= 16.
void stream_linear(const float* x, const float* w, float* y, int rows, int n_out, int k_in, int threads);

// The dispatch above; `threads` is used by stream_linear (OpenBLAS keeps its own thread count).
void decode_linear(const float* x, const float* w, float* y, int rows, int n_out, int k_in, int threads);

}  // namespace infersim::ref

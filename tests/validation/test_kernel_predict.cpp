// The kernel predictor (validation/kernel_predict.hpp) against roofline times computed by hand.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "validation/kernel_predict.hpp"
#include "validation/measured_validation.hpp"

using namespace infersim;

namespace {

// A host with round numbers: 200 GFLOP/s fp32 at efficiency 0.9, 30 GB/s DRAM, a 32 MiB LLC at
// 100 GB/s, 20 us per dispatch.
HardwareSpec round_host() {
  HardwareSpec hw;
  hw.peak_flops[static_cast<std::size_t>(index_of(PeakSlot::fp32))] = 200e9;
  hw.compute_efficiency = 0.9;
  hw.memory_bandwidth_Bps = 30e9;
  hw.memory_efficiency = 1.0;
  hw.caches.push_back({"LLC", 32.0 * 1048576.0, 100e9});
  hw.kernel_launch_overhead_s = 20e-6;
  return hw;
}

MeasuredRow row(KernelFamily family, double flops, double bytes) {
  MeasuredRow r;
  r.family = family;
  r.dtype = "fp32";
  r.flops = flops;
  r.bytes = bytes;
  r.measured_s = 1.0;
  return r;
}

}  // namespace

TEST_CASE("a compute-bound GEMM takes FLOPs / (peak * efficiency) + one dispatch") {
  // 2048^3 GEMM: 2 * 2048^3 = 17,179,869,184 FLOPs; 3 * 2048^2 * 4 = 50,331,648 B (fits no cache: > 32 MiB).
  const KernelPrediction p = predict_kernel(row(KernelFamily::gemm, 17179869184.0, 50331648.0), round_host());
  // 17,179,869,184 / (200e9 * 0.9) = 0.095443717 s; memory 50,331,648 / 30e9 = 0.0016777 s.
  CHECK(p.compute_bound());
  CHECK(p.compute_s == Approx(0.0954437177));
  CHECK(p.level == MemoryLevel::dram);
  CHECK(p.time_s == Approx(0.0954437177 + 20e-6));
}

TEST_CASE("a memory-bound decode GEMV reads DRAM even when it would fit the cache") {
  // 1 x 4096 x 2048 GEMV: 16,777,216 FLOPs; (4096*2048 + 2048 + 4096) * 4 = 33,579,008 B.
  const KernelPrediction p = predict_kernel(row(KernelFamily::gemv, 16777216.0, 33579008.0), round_host());
  CHECK_FALSE(p.compute_bound());
  CHECK(p.level == MemoryLevel::dram);
  CHECK(p.time_s == Approx(33579008.0 / 30e9 + 20e-6));  // 1.11930 ms + 20 us
  // A cold family stays in DRAM even with a small working set (the runners flush the caches for it).
  const KernelPrediction small = predict_kernel(row(KernelFamily::attention_decode, 1e6, 8e6), round_host());
  CHECK(small.level == MemoryLevel::dram);
}

TEST_CASE("a warm working set that fits the LLC is served at the LLC bandwidth") {
  // Norm over 8 MiB: 8,388,608 B / 100e9 = 83.886 us, + 20 us.
  const KernelPrediction p = predict_kernel(row(KernelFamily::norm, 1e6, 8388608.0), round_host());
  CHECK(p.level == MemoryLevel::cache);
  CHECK(p.time_s == Approx(8388608.0 / 100e9 + 20e-6));
  // One byte more than the LLC: DRAM.
  const KernelPrediction big =
      predict_kernel(row(KernelFamily::norm, 1e6, 32.0 * 1048576.0 + 1.0), round_host());
  CHECK(big.level == MemoryLevel::dram);
}

TEST_CASE("the gated MLP pays three dispatches") {
  const KernelPrediction p = predict_kernel(row(KernelFamily::mlp, 180e9, 1e6), round_host());
  CHECK(p.time_s == Approx(1.0 + 3 * 20e-6));  // 180e9 / 180e9 = 1 s
}

TEST_CASE("rel_error is predicted / measured - 1 and MAPE averages its magnitude per family and overall") {
  CHECK(relative_error(1.2, 1.0) == Approx(0.2));
  CHECK(relative_error(0.5, 1.0) == Approx(-0.5));
  HardwareSpec hw = round_host();
  hw.kernel_launch_overhead_s = 0.0;
  std::vector<MeasuredRow> rows = {row(KernelFamily::gemm, 180e9, 1.0), row(KernelFamily::gemm, 180e9, 1.0),
                                   row(KernelFamily::stream, 1.0, 30e9 * 2.0)};
  rows[0].measured_s = 0.8;   // predicted 1 s: +25 %
  rows[1].measured_s = 1.25;  // -20 %
  rows[2].measured_s = 2.5;   // 60 GB over 30 GB/s = 2 s: -20 %
  const ValidationResult v = validate_cases(rows, hw);
  REQUIRE(v.families.size() == 2);
  CHECK(v.families[0].family == KernelFamily::gemm);
  CHECK(v.families[0].mape == Approx(0.225));
  CHECK(v.families[1].mape == Approx(0.2));
  CHECK(v.mape == Approx((0.25 + 0.2 + 0.2) / 3.0));
}

TEST_CASE(
    "attention and GEMV run at the own-kernel efficiency when the profile gives one, GEMMs at compute") {
  // Prefill attention of 1e10 FLOPs and 1 MB: compute-bound. 200e9 * 0.9 = 180 GFLOP/s by default;
  // with an own-kernel efficiency of 0.3, 60 GFLOP/s: 1e10 / 60e9 = 0.1666667 s.
  HardwareSpec hw = round_host();
  const MeasuredRow prefill = row(KernelFamily::attention_prefill, 1e10, 1e6);
  CHECK(predict_kernel(prefill, hw).compute_s == Approx(1e10 / 180e9));
  hw.own_kernel_efficiency = 0.3;
  CHECK(predict_kernel(prefill, hw).compute_s == Approx(0.1666667));
  CHECK(predict_kernel(row(KernelFamily::attention_decode, 1e10, 1e6), hw).compute_s == Approx(0.1666667));
  CHECK(predict_kernel(row(KernelFamily::gemv, 1e10, 1e6), hw).compute_s == Approx(0.1666667));
  CHECK(predict_kernel(row(KernelFamily::gemm, 1e10, 1e6), hw).compute_s == Approx(1e10 / 180e9));
  CHECK(predict_kernel(row(KernelFamily::mlp, 1e10, 1e6), hw).compute_s == Approx(1e10 / 180e9));
}

TEST_CASE("the decode families read at the profile's read-stream bandwidth when it gives one") {
  // 33,579,008 B GEMV: at the 30 GB/s triad 1.119300 ms; at a 20 GB/s read stream 1.678950 ms.
  HardwareSpec hw = round_host();
  hw.read_bandwidth_Bps = 20e9;
  CHECK(predict_kernel(row(KernelFamily::gemv, 16777216.0, 33579008.0), hw).memory_s == Approx(1.67895e-3));
  CHECK(predict_kernel(row(KernelFamily::attention_decode, 1e6, 33579008.0), hw).memory_s ==
        Approx(1.67895e-3));
  // A norm over 64 MiB (no cache holds it) still streams at the triad: 67,108,864 / 30e9 = 2.236962 ms.
  CHECK(predict_kernel(row(KernelFamily::norm, 1e6, 67108864.0), hw).memory_s == Approx(2.236962e-3));
}

TEST_CASE("on a profile with gemm_time: sum the library's GEMMs add compute and memory, own kernels do not") {
  HardwareSpec hw = round_host();
  hw.gemm_time_is_sum = true;
  hw.own_kernel_efficiency = 0.3;
  // The 2048^3 GEMM of the first case: 0.0954437177 s of compute + 50,331,648 B / 30e9 = 1.6777216 ms of
  // memory + 20 us.
  CHECK(predict_kernel(row(KernelFamily::gemm, 17179869184.0, 50331648.0), hw).time_s ==
        Approx(0.0954437177 + 0.0016777216 + 20e-6));
  // A one-row GEMV ("m=1") is the library's sgemv: compute efficiency 0.9 (not the own kernels' 0.3),
  // and the times add: 16,777,216 / 180e9 = 93.207 us + 33,579,008 / 30e9 = 1.119300 ms, + 20 us.
  MeasuredRow gemv = row(KernelFamily::gemv, 16777216.0, 33579008.0);
  gemv.shape = "m=1;n=2048;k=4096";
  CHECK(predict_kernel(gemv, hw).time_s == Approx(16777216.0 / 180e9 + 33579008.0 / 30e9 + 20e-6));
  // Eight rows run in our own streaming kernel: efficiency 0.3 (60 GFLOP/s), the larger time.
  // 8 x 16,777,216 = 134,217,728 FLOPs / 60e9 = 2.236962 ms against 1.119300 ms of memory.
  MeasuredRow eight = row(KernelFamily::gemv, 134217728.0, 33579008.0);
  eight.shape = "m=8;n=2048;k=4096";
  CHECK(predict_kernel(eight, hw).time_s == Approx(134217728.0 / 60e9 + 20e-6));
  // Attention is our own kernel: the larger time, as on any profile.
  CHECK(predict_kernel(row(KernelFamily::attention_decode, 1e6, 33579008.0), hw).time_s ==
        Approx(33579008.0 / 30e9 + 20e-6));
}

TEST_CASE(
    "the streaming decode kernels add their in-core time to their memory time where the profile gives it") {
  HardwareSpec hw = round_host();
  hw.own_kernel_efficiency = 0.3;
  hw.read_bandwidth_Bps = 20e9;
  // Decode attention, GQA: batch 10, 32 heads on 8 KV heads, context 4096, head_dim 128.
  // FLOPs 4 x 10 x 32 x 4096 x 128 = 671,088,640; K and V 2 x 10 x 8 x 4096 x 128 x 4 B = 335,544,320 B
  // (q and out, 2 x 10 x 32 x 128 x 4 B = 327,680 B more: 335,872,000 B).
  const MeasuredRow gqa = row(KernelFamily::attention_decode, 671088640.0, 335872000.0);
  // Without the in-core figure: the larger of 671,088,640 / 60e9 = 11.18481 ms and 335,872,000 / 20e9
  // = 16.7936 ms, + 20 us.
  CHECK(predict_kernel(gqa, hw).time_s == Approx(16.7936e-3 + 20e-6));
  // In-core efficiency 0.4 (80 GFLOP/s): 671,088,640 / 80e9 = 8.388608 ms, added: 25.182208 ms + 20 us.
  hw.decode_attention_in_core_efficiency = 0.4;
  const KernelPrediction added = predict_kernel(gqa, hw);
  CHECK(added.compute_s == Approx(8.388608e-3));
  CHECK(added.time_s == Approx(25.182208e-3 + 20e-6));
  // The skinny GEMV of 8 rows, n 8192, k 10240: 2 x 8 x 8192 x 10240 = 1,342,177,280 FLOPs, W
  // 335,544,320 B + X and Y 8 x (10240 + 8192) x 4 = 589,824 B = 336,134,144 B.
  MeasuredRow eight = row(KernelFamily::gemv, 1342177280.0, 336134144.0);
  eight.shape = "m=8;n=8192;k=10240";
  // The attention figure does not apply to it: own kernels' 60 GFLOP/s, the larger time 22.369621 ms.
  CHECK(predict_kernel(eight, hw).time_s == Approx(1342177280.0 / 60e9 + 20e-6));
  // Its own figure, 0.5 (100 GFLOP/s): 13.421773 ms + 336,134,144 / 20e9 = 16.806707 ms = 30.228480 ms.
  hw.skinny_gemv_in_core_efficiency = 0.5;
  CHECK(predict_kernel(eight, hw).time_s == Approx(30.22848e-3 + 20e-6));
  // The one-row GEMV is the library's sgemv: untouched (the larger time on this max profile).
  MeasuredRow one = row(KernelFamily::gemv, 167772160.0, 335585280.0);
  one.shape = "m=1;n=8192;k=10240";
  CHECK(predict_kernel(one, hw).time_s == Approx(335585280.0 / 20e9 + 20e-6));
  // Prefill attention keeps the roofline at the own-kernel efficiency.
  CHECK(predict_kernel(row(KernelFamily::attention_prefill, 1e10, 1e6), hw).time_s ==
        Approx(1e10 / 60e9 + 20e-6));
}

TEST_CASE("median_rows and median_calibration reduce repeated runs figure by figure") {
  MeasuredRow a = row(KernelFamily::gemm, 1.0, 1.0);
  a.case_name = "a";
  a.repeats = 3;
  MeasuredRow b = row(KernelFamily::stream, 1.0, 1.0);
  b.case_name = "b";
  b.repeats = 3;
  std::vector<std::vector<MeasuredRow>> runs(3, std::vector<MeasuredRow>{a, b});
  runs[0][0].measured_s = 1.0;
  runs[1][0].measured_s = 3.0;
  runs[2][0].measured_s = 2.0;
  runs[2][1].measured_s = 4.0;        // b: 1, 1, 4 -> median 1
  std::swap(runs[1][0], runs[1][1]);  // cases matched by name, not position
  const std::vector<MeasuredRow> m = median_rows(runs);
  REQUIRE(m.size() == 2);
  CHECK(m[0].case_name == "a");
  CHECK(m[0].measured_s == 2.0);
  CHECK(m[0].spread == Approx(1.0));  // (3 - 1) / 2
  CHECK(m[0].repeats == 9);
  CHECK(m[1].measured_s == 1.0);
  CHECK(m[1].spread == Approx(3.0));  // (4 - 1) / 1
  runs[2].pop_back();
  CHECK_THROWS_AS(median_rows(runs), InputError);

  std::vector<HostCalibration> cal(2);
  cal[0].cpu_model = "first";
  cal[0].sgemm_n = 2560;
  cal[0].sgemm_flops = 40e9;
  cal[1].sgemm_flops = 50e9;
  cal[0].read_Bps = 20e9;
  cal[1].read_Bps = 22e9;
  cal[0].decode_attention_in_core_flops = 80e9;
  cal[1].decode_attention_in_core_flops = 90e9;
  cal[0].skinny_gemv_in_core_flops = 140e9;
  cal[1].skinny_gemv_in_core_flops = 160e9;
  const HostCalibration c = median_calibration(cal);
  CHECK(c.cpu_model == "first");
  CHECK(c.sgemm_n == 2560);
  CHECK(c.sgemm_flops == Approx(45e9));  // an even count: the mean of the middle two
  CHECK(c.read_Bps == Approx(21e9));
  CHECK(c.decode_attention_in_core_flops == Approx(85e9));
  CHECK(c.skinny_gemv_in_core_flops == Approx(150e9));
  CHECK_THROWS_AS(median_calibration({}), InputError);
}

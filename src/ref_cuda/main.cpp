// infersim-ref-cuda: runs the reference CUDA kernel suite (cuBLAS GEMMs, our attention, norm, SiLU
// and triad kernels) and writes the measured CSV, which `infersim validate --measured FILE
// -g PROFILE` compares with the engine's predictions. `--check` verifies every kernel against a CPU
// reference; `--list-cases` prints the suite without a GPU.
// Exit codes as infersim's: 0 success, 1 internal error, 2 bad usage, an unwritable output or no CUDA
// device, 3 a --check failed.
#include <fmt/ostream.h>

#include <CLI/CLI.hpp>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>

#include "cli/guarded_main.hpp"
#include "core/errors.hpp"
#include "ref/base/measured_csv.hpp"
#include "ref_cuda/cases.hpp"
#include "ref_cuda/check.hpp"
#include "ref_cuda/measure.hpp"

namespace {

struct Options {
  bool quick = false;
  bool list_cases = false;
  bool check = false;
  std::string output;
  int device = 0;
};

using namespace infersim::ref_cuda;

void list_cases(bool quick) {
  std::cout << "case,family,dtype,shape,flops,bytes,cold\n";
  for (const Case& c : suite_cases(quick)) {
    const CaseInfo info = describe(c);
    fmt::print(std::cout, "{},{},{},{},{},{},{}\n", info.name, infersim::family_name(info.family), info.dtype,
               info.shape, info.work.flops, info.work.bytes, info.cold ? "yes" : "no");
  }
}

int check(const DeviceInfo& device) {
  fmt::print(std::cerr, "infersim-ref-cuda: checking the kernels on device {} ({})\n", device.index,
             device.name);
  const CheckSummary summary = run_checks(device, std::cout);
  if (summary.failed > 0) {
    fmt::print(std::cout, "infersim-ref-cuda: {} of {} checks FAILED on {}\n", summary.failed,
               summary.failed + summary.passed, device.name);
    return infersim::kExitAnswerNo;
  }
  fmt::print(std::cout, "infersim-ref-cuda: all {} checks passed on {}\n", summary.passed, device.name);
  return 0;
}

class Stream {
 public:
  Stream() { check_cuda(cudaStreamCreate(&stream_), "cudaStreamCreate"); }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ~Stream() { cudaStreamDestroy(stream_); }
  [[nodiscard]] cudaStream_t get() const { return stream_; }

 private:
  cudaStream_t stream_{};
};

int measure_suite(const Options& options, const DeviceInfo& device) {
  const Stream owned_stream;  // declared first: destroyed after the cuBLAS handle that uses it
  const cudaStream_t stream = owned_stream.get();
  const Blas blas(stream);
  L2Flusher flusher(device.l2_B, stream);
  const infersim::ref::TimingOptions timing =
      options.quick ? infersim::ref::TimingOptions{2, 10} : infersim::ref::TimingOptions{3, 20};
  const MeasureContext context{device, stream, &blas, &flusher, timing};
  fmt::print(std::cerr,
             "infersim-ref-cuda: device {} ({}, {} SMs, sm_{}, L2 {} MiB), {} warm-up + {} repeats\n",
             device.index, device.name, device.sm_count, device.compute_capability, device.l2_B >> 20,
             timing.warmup, timing.repeats);
  std::vector<infersim::MeasuredRow> rows;
  for (const Case& c : suite_cases(options.quick)) {
    rows.push_back(measure(c, context));
    const infersim::MeasuredRow& r = rows.back();
    fmt::print(std::cerr, "  {:<28} {:<5} {:.6f} s  spread {:.3f}  {:.3g} FLOP/s  {:.3g} B/s\n", r.case_name,
               r.dtype, r.measured_s, r.spread, r.flops / r.measured_s, r.bytes / r.measured_s);
  }
  if (options.output.empty()) {
    infersim::write_measured_csv(std::cout, rows);
  } else {
    infersim::write_measured_csv_file(options.output, rows);
  }
  return 0;
}

int run(const Options& options) {
  if (options.list_cases) {
    list_cases(options.quick);
    return 0;
  }
  if (!options.output.empty()) {  // fail before measuring, not after
    const auto out_dir = std::filesystem::absolute(options.output).parent_path();
    if (!std::filesystem::is_directory(out_dir))
      throw infersim::InputError("cannot write '" + options.output + "': no directory '" + out_dir.string() +
                                 "'");
  }
  const DeviceInfo device = select_device(options.device);
  return options.check ? check(device) : measure_suite(options, device);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"infersim-ref-cuda: times the reference CUDA kernels and writes the measured CSV",
               "infersim-ref-cuda"};
  Options options;
  app.add_flag("--quick", options.quick, "the short suite (fewer cases and repeats)");
  app.add_option("-o,--output", options.output, "write the CSV to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  app.add_option("--device", options.device, "CUDA device index")
      ->check(CLI::Range(0, 1023))
      ->capture_default_str();
  app.add_flag("--list-cases", options.list_cases,
               "print the cases (with --quick: the short suite) and exit; no GPU needed");
  app.add_flag("--check", options.check,
               "compare every kernel with a CPU reference on small shapes; exit 3 on a mismatch");
  return infersim::guarded_main(app, argc, argv, std::cerr, [&] { return run(options); });
}

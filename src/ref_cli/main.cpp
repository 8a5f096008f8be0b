// infersim-ref-cpu: runs the reference CPU kernel suite and writes the measured CSV;
// `--model NAME` runs only the end-to-end cases of one model config. Model configs are looked up as
// infersim looks them up: --config-dir, then $INFERSIM_PATH, then ./, then the compiled-in data dirs.
// Exit codes as infersim's: 0 success, 1 internal error, 2 bad usage or an unwritable output.
#include <fmt/ostream.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <string>
#include <thread>

#include "cli/guarded_main.hpp"
#include "core/errors.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/search_path.hpp"
#include "io/output/output_guard.hpp"
#include "ref/base/measured_csv.hpp"
#include "ref/cpu/blas.hpp"
#include "ref/cpu/host_suite.hpp"

namespace {

struct Options {
  bool quick = false;
  std::string output;
  std::string model;  // only the end-to-end cases of this model
  std::string config_dir;
  int tokens = 256;  // their prefill length; decode at tokens + 1
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

int run(const Options& options) {
  using namespace infersim::ref;
  // Fail before minutes of measuring, not after: the model loads, and the output is no input.
  const infersim::SearchPath search =
      infersim::SearchPath::from_user(options.config_dir, std::getenv("INFERSIM_PATH"));
  const std::string model_path =
      search.resolve("model_configs", options.model.empty() ? kSuiteModel : options.model);
  const infersim::ModelSpec model = infersim::load_model(model_path);
  if (!options.output.empty()) {
    const auto out_dir = std::filesystem::absolute(options.output).parent_path();
    if (!std::filesystem::is_directory(out_dir))
      throw infersim::InputError("cannot write '" + options.output + "': no directory '" + out_dir.string() +
                                 "'");
    infersim::check_not_an_input(options.output, {model_path});  // io/output/output_guard.hpp
  }
  set_blas_threads(options.threads);
  const BlasInfo blas = blas_info();
  fmt::print(std::cerr,
             "infersim-ref-cpu: OpenBLAS core {}, {} OpenBLAS threads, {} kernel threads; device {}\n",
             blas.core, blas.threads, options.threads, host_device_name(options.threads));
  const RowCallback progress = [](const MeasuredRow& r) {
    fmt::print(std::cerr, "  {:<24} {:.6f} s  spread {:.3f}  {:.3g} FLOP/s  {:.3g} B/s\n", r.case_name,
               r.measured_s, r.spread, r.flops / r.measured_s, r.bytes / r.measured_s);
  };
  const HostSuiteOptions suite{options.quick, options.threads};
  const auto rows =
      options.model.empty()
          ? run_host_suite(suite, model, progress)
          : run_host_model_cases(suite, {model, options.tokens, {options.tokens + 1}}, progress);
  if (options.output.empty()) {
    write_measured_csv(std::cout, rows);
  } else {
    write_measured_csv_file(options.output, rows);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"infersim-ref-cpu: times the reference CPU kernels (fp32) and writes the measured CSV",
               "infersim-ref-cpu"};
  Options options;
  app.add_flag("--quick", options.quick, "the short suite (working sets just above the L3 cache)");
  app.add_option("-o,--output", options.output, "write the CSV to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  app.add_option(
         "--model", options.model,
         "run only the end-to-end cases of this model config (name or path, e.g. ref-tiny): a prefill "
         "of --tokens tokens and a decode step after it")
      ->type_name("MODEL");
  app.add_option("--config-dir", options.config_dir,
                 "directory holding model_configs/, searched before $INFERSIM_PATH")
      ->type_name("DIR");
  app.add_option("--tokens", options.tokens, "prefill length of the --model cases")
      ->check(CLI::Range(1, 1 << 20))
      ->capture_default_str();
  app.add_option("--threads", options.threads, "threads for our kernels and for OpenBLAS")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  return infersim::guarded_main(app, argc, argv, std::cerr, [&] { return run(options); });
}

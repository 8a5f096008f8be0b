// `infersim calibrate [-o FILE] [--quick] [--threads N] [--force]`: measures this host and writes a
// hardware profile (stdout without -o).
#include <filesystem>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.hpp"
#include "cli/host_measure.hpp"
#include "core/errors.hpp"
#include "io/output/atomic_output.hpp"
#include "io/published/host_profile.hpp"

namespace infersim {

namespace {

struct CalibrateOptions {
  std::string output;
  bool quick = false;
  bool force = false;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
};

int run_calibrate(const CalibrateOptions& o) {
  // Before measuring, not after; a device or pipe (-o /dev/null) is written, never replaced.
  if (!o.output.empty() && std::filesystem::is_regular_file(o.output) && !o.force)
    throw InputError("-o " + o.output + " exists; calibrate overwrites a file only with --force");
  std::unique_ptr<AtomicOutput> out;  // created now: a missing directory fails before the measuring
  if (!o.output.empty()) out = std::make_unique<AtomicOutput>(o.output, std::vector<std::string>{});
  const HostCalibration host = measure_host(o.quick, o.threads);
  const std::string yaml = host_profile_yaml(host, measurement_provenance());
  if (o.output.empty()) {
    std::cout << yaml << std::flush;
    return 0;
  }
  out->write(yaml);
  out->commit();
  std::cerr << "infersim calibrate: wrote " << o.output << "\n";
  return 0;
}

}  // namespace

void add_calibrate_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<CalibrateOptions>();
  CLI::App* sub = app.add_subcommand(
      "calibrate",
      "Measure this host (FMA peak, sgemm, our kernels, triad, read stream, LLC, overhead) "
      "and write a hardware profile");
  sub->add_option("-o,--output", o->output, "write the profile to FILE (atomically) instead of stdout")
      ->type_name("FILE");
  sub->add_flag("--quick", o->quick, "fewer repeats and one sgemm size (a few seconds)");
  sub->add_flag("--force", o->force, "overwrite FILE when it exists");
  sub->add_option("--threads", o->threads, "threads to measure with")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  sub->callback([o, &action] { action = [o](const SearchPath&) { return run_calibrate(*o); }; });
}

}  // namespace infersim

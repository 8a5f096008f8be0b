#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "cli/progress_bar.hpp"
#include "core/errors.hpp"
#include "io/config/strict_number.hpp"
#include "io/config/value_text.hpp"
#include "io/output/atomic_output.hpp"
#include "io/sweep/sweep.hpp"

namespace infersim {

namespace {

struct SweepCommandOptions {
  std::string spec;
  std::string output;
  std::string jobs = "auto";
  std::string max_configs = "100000000";
  bool formatting_floor = false;
  std::string shard;
  bool progress = false;
  bool quiet = false;
  // Inline axes: comma lists, in kSweepKeys order (kSweepKeys[i] <-> inline_axes[i]).
  std::string inline_axes[kSweepKeys.size()];
};

// estimate's flags, as comma lists of the same values.
constexpr const char* kInlineFlags[kSweepKeys.size()] = {"-m,--model",
                                                         "-g,--hardware",
                                                         "-b,--batch",
                                                         "--input",
                                                         "--output",
                                                         "--tp",
                                                         "--pp",
                                                         "--ep",
                                                         "--dp",
                                                         "--micro-batches",
                                                         "--weights",
                                                         "--activations",
                                                         "--kv",
                                                         "--runtime",
                                                         "--attention",
                                                         "--mla",
                                                         "--moe-skew",
                                                         "--comm-overlap",
                                                         "--quant",
                                                         "--group-size",
                                                         "--scale-dtype",
                                                         "--zero-point",
                                                         "--quantize-embeddings",
                                                         "--kv-window",
                                                         "--kv-sinks",
                                                         "--attention-dp",
                                                         "--moe-tp",
                                                         "--moe-routing"};

SweepSpec spec_from(const SweepCommandOptions& o) {
  SweepSpec inline_spec{"the command line", {}};
  for (std::size_t i = 0; i < kSweepKeys.size(); ++i) {
    if (o.inline_axes[i].empty()) continue;
    const std::string_view flags = kInlineFlags[i];
    const std::string long_flag(flags.substr(flags.find("--")));
    inline_spec.axes.push_back({std::string(kSweepKeys[i]), split_list(long_flag, o.inline_axes[i])});
  }
  if (o.spec.empty()) return inline_spec;
  if (!inline_spec.axes.empty()) {
    throw InputError("give the axes either in SPEC.yaml or as flags, not both (flag '" +
                     inline_spec.axes[0].key + "')");
  }
  return load_sweep_spec(o.spec);
}

// --shard I/N: the I-th (1-based) of N contiguous blocks of configurations.
std::pair<std::uint64_t, std::uint64_t> shard_range(const std::string& shard, std::uint64_t total) {
  if (shard.empty()) return {0, total};
  const std::size_t slash = shard.find('/');
  const auto i = parse_integer(shard.substr(0, slash == std::string::npos ? 0 : slash));
  const auto n = parse_integer(slash == std::string::npos ? "" : shard.substr(slash + 1));
  if (!i || !n || *n < 1 || *i < 1 || *i > *n || *n > 1'000'000) {
    throw InputError(fmt::format("--shard must be I/N with 1 <= I <= N, got '{}'", shard));
  }
  const auto count = static_cast<std::uint64_t>(*n);
  const auto index = static_cast<std::uint64_t>(*i - 1);
  // total * index / count without overflow for total < 2^62 and count <= 1e6.
  auto boundary = [total, count](std::uint64_t k) { return total / count * k + total % count * k / count; };
  return {boundary(index), boundary(index + 1)};
}

// The largest --max-configs: 10^12 rows would be hundreds of terabytes.
constexpr long long kMaxMaxConfigs = 1'000'000'000'000;

// --jobs auto: the machine's hardware threads, at most kMaxDefaultJobs (each job holds two blocks of rows,
// about 3 MB: twelve keep the peak RSS near 45 MB, under 64 MB); 1 where the count is unknown.
constexpr unsigned kMaxDefaultJobs = 12;

int default_jobs() {
  const unsigned threads = std::thread::hardware_concurrency();
  return static_cast<int>(threads == 0 ? 1 : std::min(threads, kMaxDefaultJobs));
}

int run_sweep_command(const SweepCommandOptions& o, const SearchPath& search) {
  const SweepSpec spec = spec_from(o);
  const SweepPlan plan = make_sweep_plan(spec, search);
  const auto max_configs =
      static_cast<std::uint64_t>(positive_integer_flag("--max-configs", o.max_configs, kMaxMaxConfigs));
  if (plan.total > max_configs) {
    throw InputError(fmt::format(
        "{}: the cross product has {} configurations, more than --max-configs {}; narrow the axes, or raise "
        "--max-configs",
        spec.origin, plan.total, max_configs));
  }
  SweepOptions options;
  options.jobs =
      o.jobs == "auto" ? default_jobs() : static_cast<int>(positive_integer_flag("--jobs", o.jobs, 256));
  options.formatting_floor = o.formatting_floor;
  std::tie(options.first, options.last) = shard_range(o.shard, plan.total);
  std::optional<AtomicOutput> file;
  if (!o.output.empty()) file.emplace(o.output, std::vector<std::string>{o.spec});
  auto write = [&file](std::string_view text) {
    if (file)
      file->write(text);
    else
      std::fwrite(text.data(), 1, text.size(), stdout);
  };
  ProgressBar bar(show_progress(o.progress, o.quiet), options.last - options.first, "configurations");
  write(sweep_header(plan));
  const SweepStats stats = run_sweep(plan, options, write, [&bar](std::uint64_t done) { bar.update(done); });
  if (file)
    file->commit();
  else if (std::fflush(stdout) != 0)
    throw InputError("cannot write the CSV to standard output");
  if (!o.quiet) {
    const double seconds = bar.seconds();
    const auto configurations = options.last - options.first;
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    std::cerr << fmt::format(
        "sweep: {} configurations in {:.2f} s ({:.0f} configurations/s, peak RSS {:.1f} MB): "
        "{} rows, {} skipped as invalid (heads not divisible, context past the model's "
        "maximum, dtype without a peak)\n",
        configurations, seconds, static_cast<double>(configurations) / seconds,
        static_cast<double>(usage.ru_maxrss) / 1024.0, stats.rows, stats.skipped);
  }
  return 0;
}

}  // namespace

void add_sweep_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<SweepCommandOptions>();
  CLI::App* sub =
      app.add_subcommand("sweep", "Estimate every configuration of a cross product of axes, as CSV");
  sub->footer(
      "Axes come from SPEC.yaml (each key a CSV column, its value a list or a range {from, to, mul} /\n"
      "{from, to, step}) or from the flags below as comma lists; axes left out take estimate's defaults.\n"
      "Rows follow the axes' order, the last varying fastest; the output is the same whatever --jobs.\n"
      "Examples:\n"
      "  infersim sweep spec.yaml -o out.csv --jobs 2\n"
      "  infersim sweep -m llama-2-7b,llama-3-70b -g h100-sxm -b 1,2,4,8 --input 512,4096 -o out.csv\n"
      "  infersim sweep spec.yaml --shard 3/10 -o part3.csv   # a job array: shards concatenate to the "
      "whole");
  sub->add_option("spec", o->spec, "sweep spec YAML (optional when the axes are given as flags)")
      ->type_name("FILE");
  sub->add_option("-o", o->output, "CSV file, written whole or not at all (default: standard output)")
      ->type_name("FILE");
  sub->add_option(
         "--jobs", o->jobs,
         fmt::format("worker threads, or auto: the machine's hardware threads (at most {})", kMaxDefaultJobs))
      ->type_name("N|auto")
      ->capture_default_str();
  sub->add_flag("--formatting-floor", o->formatting_floor,
                "benchmark baseline: write the same rows with estimates computed once and reused, timing "
                "the formatting and writing alone (the numbers are not the configurations')");
  sub->add_option("--max-configs", o->max_configs,
                  "refuse a cross product of more configurations than this, before writing anything")
      ->type_name("N")
      ->capture_default_str();
  sub->add_option("--shard", o->shard, "write only the I-th of N contiguous blocks of configurations")
      ->type_name("I/N");
  auto* progress =
      sub->add_flag("--progress", o->progress, "show a progress bar even when stderr is not a terminal");
  sub->add_flag("--quiet", o->quiet, "no progress bar and no summary line")->excludes(progress);
  for (std::size_t i = 0; i < kSweepKeys.size(); ++i) {
    sub->add_option(kInlineFlags[i], o->inline_axes[i],
                    fmt::format("values of '{}', comma-separated", kSweepKeys[i]))
        ->type_name("LIST");
  }
  sub->callback(
      [o, &action] { action = [o](const SearchPath& search) { return run_sweep_command(*o, search); }; });
}

}  // namespace infersim

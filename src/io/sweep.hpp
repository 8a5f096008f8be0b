#pragma once
// Runs a sweep: every configuration of the axes' cross product, estimated and written as one CSV row
// (the estimate's summary fields), streaming in configuration order whatever the number of jobs.
// Configurations the engine rejects (TP not dividing the heads, a context past the model's maximum,
// a compute dtype the device lacks) are skipped and counted; ones that do not fit stay, fits=false.
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "core/estimate.hpp"
#include "io/search_path.hpp"
#include "io/sweep_spec.hpp"

namespace infersim {

// The axes resolved once: files loaded, values parsed. Errors name the key and the value.
struct SweepPlan {
  std::vector<ModelSpec> models;
  std::vector<HardwareSpec> hardware;
  std::vector<int> order;          // the axes in the spec's order, as indexes into kSweepKeys
  std::vector<std::size_t> sizes;  // values per axis, same order
  std::vector<long long> batch, input, output, tp, pp, ep, dp, micro_batches;
  std::vector<Dtype> weights, activations, kv;
  RuntimeTerms runtime;  // estimate's default runtime profile (runtime_profiles/optimized.yaml)
  std::uint64_t total = 0;
};

[[nodiscard]] SweepPlan make_sweep_plan(const SweepSpec& spec, const SearchPath& search);

struct SweepOptions {
  int jobs = 1;
  std::uint64_t first = 0;  // configurations [first, last) of the cross product (a shard)
  std::uint64_t last = 0;
};

struct SweepStats {
  std::uint64_t rows = 0;
  std::uint64_t skipped = 0;
};

// The header line (column names).
[[nodiscard]] std::string sweep_header();

// Calls write(text) with the CSV rows of configurations [first, last), in order, and progress(done)
// after each block.
SweepStats run_sweep(const SweepPlan& plan, const SweepOptions& options,
                     const std::function<void(std::string_view)>& write,
                     const std::function<void(std::uint64_t)>& progress);

}  // namespace infersim

#include "io/sweep.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <iterator>
#include <stdexcept>
#include <type_traits>

#include "core/errors.hpp"
#include "io/hardware_loader.hpp"
#include "io/model_loader.hpp"
#include "io/number_text.hpp"
#include "io/report.hpp"
#include "io/runtime_loader.hpp"
#include "io/strict_number.hpp"

namespace infersim {

namespace {

constexpr std::uint64_t kBlock = 2048;  // configurations per job per round
constexpr long long kMaxValue = 1'000'000'000;

long long integer_value(const std::string& key, const std::string& text) {
  const auto v = parse_integer(text);
  if (!v || *v < 1 || *v > kMaxValue) {
    throw InputError(
        fmt::format("sweep axis '{}' takes positive integers up to {}, got '{}'", key, kMaxValue, text));
  }
  return *v;
}

Dtype dtype_value(const std::string& key, const std::string& text) {
  const auto d = parse_dtype(text);
  if (!d)
    throw InputError(fmt::format("sweep axis '{}' must be one of {}, got '{}'", key, dtype_choices(), text));
  return *d;
}

std::vector<long long>* integer_axis(SweepPlan& p, std::string_view key) {
  if (key == "batch") return &p.batch;
  if (key == "input_tokens") return &p.input;
  if (key == "output_tokens") return &p.output;
  if (key == "tp") return &p.tp;
  if (key == "pp") return &p.pp;
  if (key == "ep") return &p.ep;
  if (key == "dp") return &p.dp;
  if (key == "micro_batches") return &p.micro_batches;
  return nullptr;
}

std::vector<Dtype>* dtype_axis(SweepPlan& p, std::string_view key) {
  if (key == "weights") return &p.weights;
  if (key == "activations") return &p.activations;
  if (key == "kv") return &p.kv;
  return nullptr;
}

void fill_axis(SweepPlan& p, const SweepAxis& axis, const SearchPath& search) {
  for (const std::string& v : axis.values) {
    if (axis.key == "model")
      p.models.push_back(load_model(search.resolve("model_configs", v)));
    else if (axis.key == "hardware")
      p.hardware.push_back(load_hardware(search.resolve("hardware_profiles", v)));
    else if (auto* ints = integer_axis(p, axis.key))
      ints->push_back(integer_value(axis.key, v));
    else if (auto* dtypes = dtype_axis(p, axis.key))
      dtypes->push_back(dtype_value(axis.key, v));
    else
      throw InputError(fmt::format("unknown sweep axis '{}'", axis.key));
  }
}

// Axes the spec leaves out take estimate's defaults.
void fill_defaults(SweepPlan& p, const SearchPath& search) {
  if (p.models.empty()) p.models.push_back(load_model(search.resolve("model_configs", "llama-2-7b")));
  if (p.hardware.empty())
    p.hardware.push_back(load_hardware(search.resolve("hardware_profiles", "a100-80gb-sxm")));
  p.runtime = load_runtime(search.resolve("runtime_profiles", "optimized")).terms;
  const Scenario defaults;
  for (auto [axis, value] : {std::pair{&p.batch, defaults.batch},
                             {&p.input, defaults.input_tokens},
                             {&p.output, defaults.output_tokens},
                             {&p.tp, 1LL},
                             {&p.pp, 1LL},
                             {&p.ep, 1LL},
                             {&p.dp, 1LL},
                             {&p.micro_batches, 1LL}}) {
    if (axis->empty()) axis->push_back(value);
  }
  for (std::vector<Dtype>* axis : {&p.weights, &p.activations, &p.kv}) {
    if (axis->empty()) axis->push_back(Dtype::bf16);
  }
}

struct Config {
  const ModelSpec* model;
  const HardwareSpec* hardware;
  Scenario scenario;
};

// Configuration `index` of the cross product, the last axis varying fastest.
Config config_at(const SweepPlan& p, std::uint64_t index) {
  Config c{&p.models[0], &p.hardware[0], {}};
  Scenario& sc = c.scenario;
  std::size_t digit[kSweepKeys.size()] = {};
  for (std::size_t k = p.order.size(); k-- > 0;) {
    digit[p.order[k]] = static_cast<std::size_t>(index % p.sizes[k]);
    index /= p.sizes[k];
  }
  c.model = &p.models[digit[0]];
  c.hardware = &p.hardware[digit[1]];
  sc.batch = p.batch[digit[2]];
  sc.input_tokens = p.input[digit[3]];
  sc.output_tokens = p.output[digit[4]];
  sc.layout.tp = static_cast<int>(p.tp[digit[5]]);
  sc.layout.pp = static_cast<int>(p.pp[digit[6]]);
  sc.layout.ep = static_cast<int>(p.ep[digit[7]]);
  sc.layout.dp = static_cast<int>(p.dp[digit[8]]);
  sc.layout.micro_batches = static_cast<int>(p.micro_batches[digit[9]]);
  sc.weights = default_storage_format(p.weights[digit[10]]);
  sc.activations = p.activations[digit[11]];
  sc.kv = p.kv[digit[12]];
  sc.runtime = p.runtime;
  return c;
}

// RFC 4180 quoting, only when needed (names come from file names and rarely need it).
void append_text(fmt::memory_buffer& out, std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  for (const char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_row(fmt::memory_buffer& out, const EstimateReport& report) {
  bool first = true;
  for_each_summary_field(report, [&out, &first](const char*, auto value) {
    if (!first) out.push_back(',');
    first = false;
    using T = decltype(value);
    if constexpr (std::is_same_v<T, std::string_view>)
      append_text(out, value);
    else if constexpr (std::is_same_v<T, bool>)
      out.append(std::string_view(value ? "true" : "false"));
    else if constexpr (std::is_same_v<T, double>) {
      if (!std::isfinite(value)) throw std::logic_error("internal error: a result is not a finite number");
      append_shortest(out, value);  // shortest round trip, as estimate's
    } else
      fmt::format_to(fmt::appender(out), FMT_COMPILE("{}"), value);
  });
  out.push_back('\n');
}

struct Block {
  EstimateScratch scratch;  // this job's operator lists, reused configuration after configuration
  fmt::memory_buffer text;
  std::uint64_t rows = 0;
  std::uint64_t skipped = 0;
};

void run_block(const SweepPlan& plan, std::uint64_t from, std::uint64_t to, Block& block) {
  block.text.clear();
  block.rows = block.skipped = 0;
  for (std::uint64_t i = from; i < to; ++i) {
    const Config c = config_at(plan, i);
    if (why_invalid(*c.model, *c.hardware, c.scenario)) {
      ++block.skipped;
      continue;
    }
    const Estimate e = estimate(*c.model, *c.hardware, c.scenario, false, block.scratch);
    append_row(block.text, {*c.model, *c.hardware, c.scenario, e});
    ++block.rows;
  }
}

}  // namespace

SweepPlan make_sweep_plan(const SweepSpec& spec, const SearchPath& search) {
  SweepPlan p;
  for (const SweepAxis& axis : spec.axes) {
    const auto it = std::find(kSweepKeys.begin(), kSweepKeys.end(), axis.key);
    if (it == kSweepKeys.end())
      throw InputError(fmt::format("{}: unknown sweep axis '{}'", spec.origin, axis.key));
    if (std::find(p.order.begin(), p.order.end(), it - kSweepKeys.begin()) != p.order.end()) {
      throw InputError(fmt::format("{}: sweep axis '{}' is given twice", spec.origin, axis.key));
    }
    fill_axis(p, axis, search);
    p.order.push_back(static_cast<int>(it - kSweepKeys.begin()));
    p.sizes.push_back(axis.values.size());
  }
  fill_defaults(p, search);
  p.total = 1;
  for (const std::size_t n : p.sizes) {
    if (p.total > (std::uint64_t{1} << 62) / n)
      throw InputError(fmt::format("{}: too many configurations", spec.origin));
    p.total *= n;
  }
  return p;
}

std::string sweep_header() {
  std::string header;
  const ModelSpec m;
  const HardwareSpec hw;
  const Scenario sc;
  const Estimate e;
  for_each_summary_field(EstimateReport{m, hw, sc, e}, [&header](const char* key, auto) {
    if (!header.empty()) header += ',';
    header += key;
  });
  return header + "\n";
}

SweepStats run_sweep(const SweepPlan& plan, const SweepOptions& options,
                     const std::function<void(std::string_view)>& write,
                     const std::function<void(std::uint64_t)>& progress) {
  const auto jobs = static_cast<std::size_t>(std::max(1, options.jobs));
  std::vector<Block> ready(jobs);
  std::vector<Block> next(jobs);
  SweepStats stats;
  std::uint64_t start = options.first;
  auto launch = [&](std::vector<Block>& blocks, std::uint64_t from) {
    std::vector<std::future<void>> running;
    for (std::size_t j = 0; j < jobs; ++j) {
      const std::uint64_t a = std::min(options.last, from + j * kBlock);
      const std::uint64_t b = std::min(options.last, a + kBlock);
      running.push_back(std::async(std::launch::async,
                                   [&plan, a, b, &block = blocks[j]] { run_block(plan, a, b, block); }));
    }
    return running;
  };
  // Double buffering: the jobs compute round r+1 while this thread writes round r.
  std::vector<std::future<void>> computing = launch(next, start);
  while (start < options.last) {
    for (auto& f : computing) f.get();
    std::swap(ready, next);
    const std::uint64_t round_end = std::min(options.last, start + jobs * kBlock);
    if (round_end < options.last)
      computing = launch(next, round_end);
    else
      computing.clear();
    for (const Block& b : ready) {
      write(std::string_view(b.text.data(), b.text.size()));
      stats.rows += b.rows;
      stats.skipped += b.skipped;
    }
    start = round_end;
    progress(start - options.first);
  }
  return stats;
}

}  // namespace infersim

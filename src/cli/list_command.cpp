#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "core/errors.hpp"
#include "io/config/hardware_loader.hpp"
#include "io/config/model_loader.hpp"
#include "io/config/runtime_loader.hpp"
#include "io/text/escape.hpp"

namespace infersim {

namespace {

std::string model_summary(const std::string& path) {
  const ModelSpec m = load_model(path);
  return fmt::format("{} layers, hidden {}, {} heads / {} KV heads, max context {}: {}", m.layers,
                     m.hidden_size, m.attention_heads, m.kv_heads, m.max_context, m.description);
}

// The dense peak of every dtype the profile gives, dtypes with the same peak joined by '/', in the
// order of the peak slots: "fp32 67 | tf32 494 | bf16/fp16 989 | fp8/int8 1979" (integer formats in TOPS).
std::string peaks_summary(const HardwareSpec& hw) {
  std::vector<std::pair<double, std::string>> groups;
  for (PeakSlot slot : kAllPeakSlots) {
    const double tflops = peak_flops(hw, slot) / 1e12;
    if (tflops <= 0.0) continue;
    auto same = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == tflops; });
    if (same == groups.end())
      groups.emplace_back(tflops, std::string(peak_slot_name(slot)));
    else
      same->second += "/" + std::string(peak_slot_name(slot));
  }
  std::string out;
  for (const auto& [tflops, names] : groups) {
    out += fmt::format("{}{} {}", out.empty() ? "" : " | ", names,
                       tflops >= 100.0 ? fmt::format("{:.0f}", tflops) : fmt::format("{:.3g}", tflops));
  }
  return out;
}

std::string hardware_summary(const std::string& path) {
  const HardwareSpec hw = load_hardware(path);
  // GB and TB/s in powers of ten, as estimate prints memory (an "80GB" A100 holds 80 GiB = 85.90 GB).
  return fmt::format("{:.2f} GB, {:.2f} TB/s, {} TFLOP/s: {}", hw.memory_capacity_B / 1e9,
                     hw.memory_bandwidth_Bps / 1e12, peaks_summary(hw), hw.description);
}

std::string runtime_summary(const std::string& path, const SearchPath& search) {
  const RuntimeProfile r = load_runtime(path, search);
  return fmt::format("{:g} us per pass{}, {:g} us per kernel issued ({}): {}", r.terms.step_overhead_s * 1e6,
                     !r.terms.host_overlaps_device    ? ""
                     : r.terms.host_overlaps_under_pp ? " (overlapped with the device's pass)"
                                                      : " (overlapped with the device's pass, not under pp)",
                     r.terms.host_launch_s * 1e6, r.terms.launches_serialized ? "serialized" : "async",
                     r.description);
}

// The alias tables' names, after the models: "aliases (...):" then one "  ALIAS  MODEL" line each.
std::string alias_section(const SearchPath& search) {
  const std::vector<ModelAlias> aliases = search.model_aliases();
  if (aliases.empty()) return "";
  std::size_t width = 0;
  for (const ModelAlias& a : aliases) width = std::max(width, a.alias.size());
  std::string out = "\naliases (Hugging Face repository names; -m takes an alias or a model name):\n";
  for (const ModelAlias& a : aliases)
    out += fmt::format("  {:<{}} {}\n", terminal_text(a.alias), width, terminal_text(a.model));
  return out;
}

int run_list(const std::string& what, const SearchPath& search) {
  const bool models = what == "models";
  const bool runtimes = what == "runtimes";
  const std::vector<NamedFile> files = search.list(models     ? "model_configs"
                                                   : runtimes ? "runtime_profiles"
                                                              : "hardware_profiles");
  if (files.empty())
    throw InputError(fmt::format("no {} found in: {}", what, fmt::join(search.directories(), ", ")));
  std::size_t width = 18;
  for (const NamedFile& f : files) width = std::max(width, f.name.size());
  std::string out;
  for (const NamedFile& f : files) {
    out += fmt::format("{:<{}} {}\n", terminal_text(f.name), width,
                       terminal_text(models     ? model_summary(f.path)
                                     : runtimes ? runtime_summary(f.path, search)
                                                : hardware_summary(f.path)));
  }
  if (models) out += alias_section(search);
  std::cout << out << std::flush;
  return 0;
}

}  // namespace

void add_list_command(CLI::App& app, Action& action) {
  auto what = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "list", "List the shipped models, hardware or runtime profiles with a one-line summary");
  sub->add_option("what", *what, "models, hardware or runtimes")
      ->required()
      ->check(CLI::IsMember({"models", "hardware", "runtimes"}));
  sub->callback(
      [what, &action] { action = [what](const SearchPath& search) { return run_list(*what, search); }; });
}

}  // namespace infersim

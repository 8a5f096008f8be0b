#pragma once
// The multi-device layout flags shared by every command that takes a scenario.
#include <CLI/CLI.hpp>
#include <string>

namespace infersim {

struct LayoutOptions {
  std::string tp = "1";
  std::string pp = "1";
  std::string ep = "1";
  std::string dp = "1";
  std::string attention_dp = "1";
  std::string moe_tp = "1";
  std::string micro_batches = "1";
  std::string comm_overlap = "0";
};

void add_layout_options(CLI::App& command, LayoutOptions& o);

}  // namespace infersim

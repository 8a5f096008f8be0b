// infersim: the command line. Parses, calls io and core, maps errors to exit codes:
// 0 success, 1 internal error (a bug), 2 bad input or usage, 3 the answer is "no" (later commands).
#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdlib>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/guarded_main.hpp"
#include "cli/version.hpp"
#include "core/errors.hpp"

int main(int argc, char** argv) {
  // Past a file-size limit, write(2) then fails with EFBIG and the output writer cleans up, instead of
  // SIGXFSZ killing the process and leaving a temporary file behind.
  std::signal(SIGXFSZ, SIG_IGN);
  CLI::App app{
      "infersim: analytical performance and memory simulator for LLM inference (roofline per operator)",
      "infersim"};
  app.require_subcommand(1);
  app.footer(
      "Data files are looked up in --config-dir, then $INFERSIM_PATH, then ./, then " INFERSIM_SOURCE_DATA_DIR
      ".\nRun `infersim COMMAND --help` for a command's options.");
  app.set_version_flag(
      "--version", std::string("infersim ") + infersim::kVersion + " (git " + infersim::kGitRevision + ")");
  std::string config_dir;
  app.add_option("--config-dir", config_dir,
                 "directory holding model_configs/, hardware_profiles/ and runtime_profiles/");
  infersim::Action action;
  infersim::add_estimate_command(app, action);
  infersim::add_list_command(app, action);
  infersim::add_sweep_command(app, action);
  infersim::add_capacity_command(app, action);
  infersim::add_plan_command(app, action);
  infersim::add_report_command(app, action);
  infersim::add_calibrate_command(app, action);
  infersim::add_validate_command(app, action);
  infersim::add_import_command(app, action);
  infersim::add_serve_command(app, action);
  return infersim::guarded_main(app, argc, argv, std::cerr, [&] {
    // Each must name a readable directory (exit 2), never silently fall back to the shipped files.
    return action(infersim::SearchPath::from_user(config_dir, std::getenv("INFERSIM_PATH")));
  });
}

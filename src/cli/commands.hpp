#pragma once
// The subcommands. Each registers its options on the app and returns the action to run once the
// command line has parsed; actions throw InputError for bad input and return the exit code.
#include <CLI/CLI.hpp>
#include <functional>

#include "io/config/search_path.hpp"

namespace infersim {

using Action = std::function<int(const SearchPath&)>;

void add_estimate_command(CLI::App& app, Action& action);
void add_list_command(CLI::App& app, Action& action);
void add_sweep_command(CLI::App& app, Action& action);
void add_capacity_command(CLI::App& app, Action& action);
void add_plan_command(CLI::App& app, Action& action);
void add_report_command(CLI::App& app, Action& action);
void add_calibrate_command(CLI::App& app, Action& action);
void add_validate_command(CLI::App& app, Action& action);
void add_import_command(CLI::App& app, Action& action);
void add_serve_command(CLI::App& app, Action& action);

}  // namespace infersim

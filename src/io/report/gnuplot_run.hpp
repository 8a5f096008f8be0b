#pragma once
// Runs gnuplot without a shell: found on the PATH as a shell would find it, started with posix_spawn
// in the report's directory with the script names as its arguments, so no file or directory name (a
// quote, a space, `$(…)`, a newline) is ever read as a command. What the scripts themselves quote goes
// through gnuplot_string (io/text/escape.hpp).
#include <optional>
#include <string>
#include <vector>

namespace infersim {

// The gnuplot executable the PATH names (the first directory holding an executable `gnuplot`), or none.
[[nodiscard]] std::optional<std::string> find_gnuplot();

// Runs `gnuplot scripts...` with `dir` as its working directory, its standard input /dev/null and its
// standard error into dir/log_name; returns whether it exited 0. Throws InputError when it cannot be
// started.
[[nodiscard]] bool run_gnuplot(const std::string& gnuplot, const std::string& dir,
                               const std::vector<std::string>& scripts, const std::string& log_name);

}  // namespace infersim

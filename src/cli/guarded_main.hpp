#pragma once
// The exit codes of every binary (infersim, infersim-ref-cpu, infersim-ref-cuda) and the one place
// exceptions become them: a bad flag or InputError (bad input or usage, ConfigError included) -> 2 with
// its one-line message; anything else escaping a command is a bug -> 1, "internal error", never a
// printed result. Header-only so the tests can check the mapping. Messages go through terminal_text:
// whatever user text a message quotes, it stays one line.
#include <CLI/CLI.hpp>
#include <exception>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include "core/errors.hpp"
#include "io/text/escape.hpp"

namespace infersim {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitAnswerNo = 3;  // the command ran and the answer is "no"

template <typename Command>
int run_guarded(Command&& command, std::ostream& err, std::string_view program = "infersim") {
  try {
    return command();
  } catch (const InputError& e) {
    err << program << ": error: " << terminal_text(e.what()) << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << program << ": internal error (a bug, please report it): " << terminal_text(e.what()) << "\n";
    return kExitInternal;
  } catch (...) {
    err << program << ": internal error (a bug, please report it): unknown exception\n";
    return kExitInternal;
  }
}

// A binary's main once its options are declared: parses argv (--help and --version exit 0, a bad flag
// exits 2 with one line), then runs `command` under run_guarded.
template <typename Command>
int guarded_main(CLI::App& app, int argc, char** argv, std::ostream& err, Command&& command) {
  const std::string program = app.get_name();
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    err << program << ": error: " << terminal_text(e.what()) << "\nRun `" << program
        << " --help` for usage.\n";
    return kExitBadInput;
  }
  return run_guarded(std::forward<Command>(command), err, program);
}

}  // namespace infersim

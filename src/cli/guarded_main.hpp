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

namespace detail {

// Options that take one value: a vector's expected maximum is CLI11's expected_max_vector_size.
inline bool takes_one_value(const CLI::Option& option) { return option.get_expected_max() <= 1; }

inline void make_option_strict(CLI::Option& option) {
  // Repeats are refused after parsing (refuse_repeats), in words: CLI11's own Throw policy says
  // "--hardware: At Most 1 required but received 2".
  if (takes_one_value(option)) option.multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  if (option.get_expected_min() == 0) return;  // a flag: no value to check
  // A transform runs before the option's own checks and conversion, so the message is the same
  // whatever the option's type. It throws a ParseError, not a ValidationError: CLI11 would prefix
  // the latter with the option's name and a colon.
  const std::string name = option.get_name();
  option.transform(CLI::Validator(
      [name](std::string& value) -> std::string {
        if (value.empty())
          throw CLI::ParseError(name + " must not be empty", CLI::ExitCodes::ValidationError);
        return {};
      },
      ""));
}

inline bool is_builtin(const CLI::App& app, const CLI::Option* option) {
  return option == app.get_help_ptr() || option == app.get_help_all_ptr() || option == app.get_version_ptr();
}

// "--batch given twice: give it once", naming how a list is given where the option takes one.
inline void refuse_repeats(const CLI::App& app) {
  for (const CLI::Option* option : app.get_options()) {
    const std::size_t given = option->count();
    if (given < 2 || !takes_one_value(*option) || is_builtin(app, option)) continue;
    std::string message = option->get_name() + " given " +
                          (given == 2 ? "twice" : std::to_string(given) + " times") + ": give it once";
    if (option->get_type_name() == "LIST") message += ", its values as one comma-separated list (1,2,4)";
    throw CLI::ParseError(message, CLI::ExitCodes::ArgumentMismatch);
  }
  for (const CLI::App* sub : app.get_subcommands()) refuse_repeats(*sub);
}

}  // namespace detail

// The command line's two rules for every option of every command, applied in one place after all
// options are registered and before parsing: a value may not be empty (`--shard ''` is an error, not
// "not given"), and an option that takes one value (or a flag) may be given once (checked once parsed,
// by guarded_main); options that take a list (`--price`) may repeat. Both are CLI::ParseError, so they
// exit 2 as any usage error does. Walks `app` and its subcommands, at any depth.
inline void make_options_strict(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (!detail::is_builtin(app, option)) detail::make_option_strict(*option);
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) make_options_strict(*sub);
}

// A binary's main once its options are declared: makes them strict, parses argv (--help and --version
// exit 0, a bad flag exits 2 with one line), then runs `command` under run_guarded.
template <typename Command>
int guarded_main(CLI::App& app, int argc, char** argv, std::ostream& err, Command&& command) {
  const std::string program = app.get_name();
  make_options_strict(app);
  try {
    app.parse(argc, argv);
    detail::refuse_repeats(app);
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

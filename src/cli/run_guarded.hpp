#pragma once
// The one place exceptions become exit codes: InputError (bad input or usage, ConfigError
// included) -> 2 with its one-line message; anything else escaping a command is a bug -> 1,
// "internal error", never a printed result. Header-only so the tests can check the mapping. The
// message goes through terminal_text: whatever user text a message quotes, it stays one line.
#include <exception>
#include <ostream>
#include <string>

#include "core/errors.hpp"
#include "io/text/escape.hpp"

namespace infersim {

inline constexpr int kExitOk = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitAnswerNo = 3;  // the command ran and the answer is "no"

template <typename Command>
int run_guarded(Command&& command, std::ostream& err) {
  try {
    return command();
  } catch (const InputError& e) {
    err << "infersim: error: " << terminal_text(e.what()) << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    err << "infersim: internal error (a bug, please report it): " << terminal_text(e.what()) << "\n";
    return kExitInternal;
  } catch (...) {
    err << "infersim: internal error (a bug, please report it): unknown exception\n";
    return kExitInternal;
  }
}

}  // namespace infersim

#pragma once
// Temporary output files that an interrupted run must not leave behind (a Ctrl-C, a `kill`, a batch
// system's time limit during a sweep writing hundreds of MB).
//
// How, and why this way: a signal can arrive while any thread holds any lock, so the handler may only
// make async-signal-safe calls and touch lock-free state. Each live temporary path is therefore kept
// in a fixed table of slots (an atomic state and a fixed char buffer each, no allocation). On SIGINT,
// SIGTERM or SIGHUP the handler unlink(2)s every live slot, restores the signal's default disposition
// and re-raises it, so the process ends as killed by that signal and its parent sees that (a shell
// reports 130 for SIGINT, 143 for SIGTERM). That re-raise is the one place library code ends the
// process. The handlers are installed when the first temporary file is made, only for signals whose
// disposition is still the default (a signal ignored by nohup or a background job stays ignored, and
// a handler the program installed itself is kept).
#include <string>

namespace infersim {

// mkstemp(3) on `path_template` (ending in XXXXXX, replaced by the name made) with the signals above
// blocked until the file is registered, so no signal can fall between creation and registration.
// Returns the descriptor (-1 with errno set on failure) and the slot to release in `slot` (-1 when the
// table is full or the path too long: the file is then made but not cleaned up on a signal).
int make_registered_temporary(std::string& path_template, int& slot);

// The temporary file is gone (renamed into place or unlinked): the handler forgets it.
void release_temporary(int slot);

}  // namespace infersim

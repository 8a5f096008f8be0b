#pragma once
// The one rule for every output: no command writes over a file it reads.
//
// Every input is recorded here by the code all inputs pass through: read_text_file (io/config/text_file.hpp)
// records each file it reads, SearchPath::resolve each name or path it resolves (before the file is
// read), so a model given by path, listed in a sweep spec or found through --config-dir is recorded
// without the command doing anything. AtomicOutput (io/output/atomic_output.hpp) checks its target against
// the record when it is opened (the inputs loaded so far) and again just before it replaces the target
// (every input read meanwhile), so no output can land on an input whatever order a command works in.
//
// Files are compared by identity (device and inode, after symlinks), not by spelling: a relative path,
// a symlink or a hard link to an input is that input.
#include <string>
#include <string_view>
#include <vector>

namespace infersim {

// Records `path` as an input of this process. `description` names what it is in the error
// ("model file"); the first description recorded for a path wins. Thread-safe.
void record_input(const std::string& path, std::string_view description);

// Throws InputError "output 'OUT' is the input DESCRIPTION 'IN'" when `output` is an existing file
// that is one of the recorded inputs or one of `also` (inputs not read yet, "input file"). An output
// that does not exist yet, or is not a regular file (a device, a pipe), overwrites nothing.
void check_not_an_input(const std::string& output, const std::vector<std::string>& also = {});

// Forgets every recorded input: for tests that run several commands' code in one process.
void forget_recorded_inputs();

// The marker `infersim report` leaves in each directory it writes.
inline constexpr const char* kReportMarker = ".infersim-report";

// Makes `dir` ready for a report made of `file_names`: refuses (InputError) a path that is not a
// directory, a non-empty directory without the marker (not a report of ours: the user's files are
// never overwritten), and any of dir/NAME that is an input of this command; then creates the
// directory and writes the marker.
void prepare_report_directory(const std::string& dir, const std::vector<std::string>& file_names);

}  // namespace infersim

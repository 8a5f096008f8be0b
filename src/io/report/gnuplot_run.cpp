#include "io/report/gnuplot_run.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/errors.hpp"
#include "io/text/escape.hpp"

extern char** environ;

namespace infersim {

namespace {

// posix_spawn's file actions, released however the spawn ends.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_{};
};

[[noreturn]] void cannot_start(const std::string& dir, int error) {
  throw InputError("cannot start gnuplot in '" + terminal_text(dir) + "': " + std::strerror(error));
}

}  // namespace

std::optional<std::string> find_gnuplot() {
  const char* path = std::getenv("PATH");
  // POSIX: an empty entry (and an unset PATH's default) is the current directory; Infersim never runs
  // a program from there, so it skips those.
  std::string_view dirs = path == nullptr ? "/usr/bin:/bin" : path;
  while (!dirs.empty()) {
    const std::size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    dirs.remove_prefix(colon == std::string_view::npos ? dirs.size() : colon + 1);
    if (dir.empty() || dir.front() != '/') continue;
    const std::string candidate = std::string(dir) + "/gnuplot";
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

bool run_gnuplot(const std::string& gnuplot, const std::string& dir, const std::vector<std::string>& scripts,
                 const std::string& log_name) {
  FileActions actions;
  // In order, in the child: into the directory, then its log (relative to it) and a closed input.
  if (int e = posix_spawn_file_actions_addchdir_np(actions.get(), dir.c_str()); e != 0) cannot_start(dir, e);
  if (int e = posix_spawn_file_actions_addopen(actions.get(), STDERR_FILENO, log_name.c_str(),
                                               O_WRONLY | O_CREAT | O_TRUNC, 0644);
      e != 0)
    cannot_start(dir, e);
  if (int e = posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0); e != 0)
    cannot_start(dir, e);
  std::vector<std::string> args{gnuplot};
  args.insert(args.end(), scripts.begin(), scripts.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t child = 0;
  if (int e = posix_spawn(&child, gnuplot.c_str(), actions.get(), nullptr, argv.data(), environ); e != 0)
    cannot_start(dir, e);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0) {
    if (errno != EINTR) cannot_start(dir, errno);
  }
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace infersim

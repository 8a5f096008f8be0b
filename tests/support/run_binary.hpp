#pragma once
// Runs the infersim binary with arguments through the shell; captures exit code, stdout and stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace infersim::test {

struct Run {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// env: assignments put before the command, e.g. "PATH=/nonexistent".
inline Run run_infersim_env(const std::string& env, const std::string& args) {
  // One stderr file per test process: ctest runs test cases in parallel processes.
  const std::string err_path =
      (std::filesystem::temp_directory_path() / ("infersim_test_stderr_" + std::to_string(getpid())))
          .string();
  const std::string command = env + " " + std::string(INFERSIM_BINARY) + " " + args + " 2>" + err_path;
  Run r;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return r;
  std::array<char, 65536> buffer{};
  std::size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) r.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream err(err_path);
  std::stringstream text;
  text << err.rdbuf();
  r.err = text.str();
  std::filesystem::remove(err_path);
  return r;
}

inline Run run_infersim(const std::string& args) { return run_infersim_env("", args); }

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace infersim::test

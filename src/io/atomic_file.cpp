#include "io/atomic_file.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/errors.hpp"
#include "io/atomic_output.hpp"

namespace infersim {

void write_file_atomically(const std::string& path, const std::string& text,
                           const std::vector<std::string>& input_paths) {
  if (path.empty()) throw InputError("cannot write '': the output path is empty");
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(fmt::format("cannot write '{}': it is a directory", path));
  AtomicOutput out(path, input_paths);
  out.write(text);
  out.commit();
}

}  // namespace infersim

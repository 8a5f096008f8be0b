#include "io/output/atomic_file.hpp"

#include "io/output/atomic_output.hpp"

namespace infersim {

void write_file_atomically(const std::string& path, const std::string& text,
                           const std::vector<std::string>& input_paths) {
  AtomicOutput out(path, input_paths);
  out.write(text);
  out.commit();
}

}  // namespace infersim

#include "ref/cpu/host_info.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ref/cpu/blas.hpp"

namespace infersim::ref {

namespace {

std::string first_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// sysfs writes sizes as "32768K" (KiB) or "1M".
double sysfs_size_B(const std::string& text) {
  if (text.empty()) return 0.0;
  const double value = std::stod(text);
  switch (text.back()) {
    case 'K':
      return value * 1024.0;
    case 'M':
      return value * 1048576.0;
    case 'G':
      return value * 1073741824.0;
    default:
      return value;
  }
}

double llc_size_B() {
  namespace fs = std::filesystem;
  const fs::path base = "/sys/devices/system/cpu/cpu0/cache";
  int best_level = 0;
  double size = 0.0;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(base, error)) {
    const std::string type = first_line(entry.path() / "type");
    if (type != "Unified" && type != "Data") continue;
    const std::string level = first_line(entry.path() / "level");
    if (level.empty() || std::stoi(level) <= best_level) continue;
    best_level = std::stoi(level);
    size = sysfs_size_B(first_line(entry.path() / "size"));
  }
  return size;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) != 0) continue;
    const auto colon = line.find(':');
    return colon == std::string::npos ? "unknown CPU" : line.substr(line.find_first_not_of(' ', colon + 1));
  }
  return "unknown CPU";
}

}  // namespace

HostCalibration host_description(int threads) {
  HostCalibration h;
  h.cpu_model = cpu_model();
  h.blas_core = blas_info().core;
  h.threads = threads;
  h.memory_B = static_cast<double>(sysconf(_SC_PHYS_PAGES)) * static_cast<double>(sysconf(_SC_PAGE_SIZE));
  h.llc_size_B = llc_size_B();
  return h;
}

}  // namespace infersim::ref

#include "io/config/text_file.hpp"

#include <fmt/format.h>

#include <array>
#include <filesystem>
#include <fstream>

#include "io/config/config_error.hpp"
#include "io/output/output_guard.hpp"

namespace infersim {

namespace {

// "1 MiB" for the configuration limit, "8 B" for a limit that is no whole number of MiB.
std::string limit_text(std::size_t max_bytes) {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  return max_bytes % kMiB == 0 ? fmt::format("{} MiB", max_bytes / kMiB) : fmt::format("{} B", max_bytes);
}

// "a configuration file" -> "configuration file": what the input is called in an output's error.
std::string_view without_article(std::string_view kind) {
  for (const std::string_view article : {"a ", "an ", "the "})
    if (kind.substr(0, article.size()) == article) return kind.substr(article.size());
  return kind;
}

}  // namespace

std::ifstream open_text_file(const std::string& path, const char* kind, Streams streams) {
  namespace fs = std::filesystem;
  record_input(path, without_article(kind));  // no output may overwrite it (io/output/output_guard.hpp)
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec || !fs::exists(status)) throw ConfigError(path, {}, "no such file");
  if (fs::is_directory(status)) throw ConfigError(path, {}, "is a directory, not a file");
  const bool stream_ok =
      streams == Streams::accepted && (fs::is_fifo(status) || fs::is_character_file(status));
  if (!fs::is_regular_file(status) && !stream_ok)
    throw ConfigError(path, {}, "not a regular file (a device, pipe or socket?)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, {}, "cannot be read (permission denied?)");
  return in;
}

std::string read_text_file(const std::string& path, std::size_t max_bytes, const char* kind,
                           Streams streams) {
  std::ifstream in = open_text_file(path, kind, streams);
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > max_bytes)
    throw ConfigError(
        path, {},
        fmt::format("the file is {} bytes, over the {} limit for {}", size, limit_text(max_bytes), kind));
  // Read to the end, whatever the size said: a file that grew meanwhile, or a stream, is read whole or
  // stopped at the limit.
  std::string text;
  if (!ec) text.reserve(static_cast<std::size_t>(size));
  std::array<char, 1 << 16> chunk{};
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw ConfigError(
          path, {}, fmt::format("the file holds more than the {} limit for {}", limit_text(max_bytes), kind));
  }
  if (in.bad()) throw ConfigError(path, {}, "cannot be read (I/O error)");
  return text;
}

}  // namespace infersim

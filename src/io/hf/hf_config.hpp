#pragma once
// Checked reading of a Hugging Face config.json, parsed with yaml-cpp (JSON is YAML 1.2 flow syntax).
// Keys nobody asks for are ignored. A required key that is missing, or a key of the wrong type, is a
// ConfigError naming the file, the line and column (of the value, or of the top-level object for a
// missing key) and the key. JSON null reads as absent: config.json writes unset values as null.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "io/config/config_error.hpp"

namespace infersim {

class HfConfig {
 public:
  static constexpr long long kMaxCount = 1'000'000'000;  // sums of two counts stay in an int

  // `file` names the text in messages. Throws ConfigError when the text is not JSON or its top level
  // is not an object.
  HfConfig(const std::string& json_text, std::string file);

  [[nodiscard]] bool has(std::string_view key) const;      // present and not null
  [[nodiscard]] bool written(std::string_view key) const;  // present, null included
  // An integer in [min, max]; a missing key is an error that says which architecture needed it. The
  // default max keeps every count, and the sum of two, in an int.
  [[nodiscard]] long long integer(std::string_view key, long long min = 1, long long max = kMaxCount) const;
  [[nodiscard]] std::optional<long long> optional_integer(std::string_view key, long long min = 1) const;
  [[nodiscard]] std::optional<double> optional_real(std::string_view key) const;
  [[nodiscard]] bool flag(std::string_view key, bool fallback) const;
  [[nodiscard]] std::string text(std::string_view key, std::string_view fallback) const;
  // Elements of a list, 0 when absent; an error when present and not a list.
  [[nodiscard]] std::size_t list_size(std::string_view key) const;

  // The first entry of `architectures`, or "" when the key is absent.
  [[nodiscard]] std::string architecture() const;
  void set_architecture(std::string architecture) { architecture_ = std::move(architecture); }

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] SourceMark mark(std::string_view key) const;  // the value's, or the object's when absent
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

 private:
  [[nodiscard]] YAML::Node value(std::string_view key) const;  // null Node when absent or JSON null
  [[nodiscard]] YAML::Node required(std::string_view key) const;
  [[nodiscard]] std::string scalar(const YAML::Node& node, std::string_view key,
                                   std::string_view expected) const;

  YAML::Node root_;
  std::string file_;
  std::string architecture_;  // for messages: "missing required key 'x' (needed for ...)"
};

}  // namespace infersim

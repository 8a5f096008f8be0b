#pragma once
// Checked reading of a Hugging Face config.json, parsed as strict JSON (RFC 8259) with nlohmann/json:
// no trailing commas, comments, single quotes, bare keys or text after the object; a key given twice in
// one object is an error (parsers disagree on which one counts); a leading UTF-8 byte order mark is
// skipped. Keys nobody asks for are ignored. A required key that is missing, or a key of the wrong
// type, is a ConfigError naming the file, the line and column (of the value, or of the top-level
// object for a missing key) and the key. JSON null reads as absent: config.json writes unset values as
// null.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "io/config/config_error.hpp"

namespace infersim {

// One parsed JSON value, with where it starts.
struct HfJsonValue {
  enum class Kind { null, boolean, number, string, object, array };
  Kind kind = Kind::null;
  std::string text;                // a number as written, true or false, or a string's contents
  std::vector<HfJsonValue> items;  // an array's elements; an object's member values
  std::vector<std::string> keys;   // an object's member names, one per item
  SourceMark mark;
};

class HfConfig {
 public:
  static constexpr long long kMaxCount = 1'000'000'000;  // sums of two counts stay in an int
  static constexpr int kMaxDepth = 64;                   // nesting levels; config.json files use 3

  // `file` names the text in messages. Throws ConfigError when the text is not JSON, holds a key twice
  // in one object, or its top level is not an object.
  HfConfig(const std::string& json_text, std::string file);

  [[nodiscard]] bool has(std::string_view key) const;        // present and not null
  [[nodiscard]] bool is_object(std::string_view key) const;  // present and an object
  [[nodiscard]] bool written(std::string_view key) const;    // present, null included
  // An integer in [min, max]; a missing key is an error that says which architecture needed it. The
  // default max keeps every count, and the sum of two, in an int.
  [[nodiscard]] long long integer(std::string_view key, long long min = 1, long long max = kMaxCount) const;
  [[nodiscard]] std::optional<long long> optional_integer(std::string_view key, long long min = 1) const;
  [[nodiscard]] std::optional<double> optional_real(std::string_view key) const;
  [[nodiscard]] bool flag(std::string_view key, bool fallback) const;
  [[nodiscard]] std::string text(std::string_view key, std::string_view fallback) const;
  // Elements of a list, 0 when absent; an error when present and not a list.
  [[nodiscard]] std::size_t list_size(std::string_view key) const;
  // A list of strings / of integers in [min, max]; empty when absent; an error for anything else.
  [[nodiscard]] std::vector<std::string> string_list(std::string_view key) const;
  [[nodiscard]] std::vector<long long> integer_list(std::string_view key, long long min, long long max) const;
  // A nested object (text_config, quantization_config) read the same way; its keys are named
  // "text_config.hidden_size" in messages. An error when missing or not an object.
  [[nodiscard]] HfConfig object(std::string_view key) const;
  // `key` as messages name it: prefixed by the objects it is in.
  [[nodiscard]] std::string qualified(std::string_view key) const { return prefix_ + std::string(key); }

  // The first entry of `architectures`, or "" when the key is absent.
  [[nodiscard]] std::string architecture() const;
  void set_architecture(std::string architecture) { architecture_ = std::move(architecture); }

  [[nodiscard]] const std::string& file() const { return file_; }
  [[nodiscard]] SourceMark mark(std::string_view key) const;  // the value's, or the object's when absent
  [[noreturn]] void fail(std::string_view key, const std::string& message) const;

 private:
  HfConfig(const HfJsonValue& object, std::string file, std::string prefix, std::string architecture);
  void take_members(const HfJsonValue& object);

  [[nodiscard]] const HfJsonValue* value(std::string_view key) const;  // null when absent or JSON null
  [[nodiscard]] const HfJsonValue& required(std::string_view key) const;
  [[nodiscard]] std::string scalar(const HfJsonValue& node, std::string_view key,
                                   std::string_view expected) const;

  std::map<std::string, HfJsonValue, std::less<>> members_;  // the top-level object's
  SourceMark object_mark_;
  std::string file_;
  std::string prefix_;        // "" at the top; "text_config." inside that object
  std::string architecture_;  // for messages: "missing required key 'x' (needed for ...)"
};

}  // namespace infersim

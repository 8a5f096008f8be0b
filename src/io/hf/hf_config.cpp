#include "io/hf/hf_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>

#include "io/config/strict_number.hpp"
#include "io/config/text_file.hpp"
#include "io/config/yaml_screen.hpp"

namespace infersim {

namespace {

using Kind = HfJsonValue::Kind;

// A character iterator that records how far the parser has read: nlohmann/json's SAX events carry no
// position, but each comes right after its token is read (a number's after one character more), so
// the position read so far locates the token.
class ReadingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  ReadingIterator(const char* at, const char** furthest) : at_(at), furthest_(furthest) {}
  reference operator*() const { return *at_; }
  ReadingIterator& operator++() {
    *furthest_ = ++at_;
    return *this;
  }
  ReadingIterator operator++(int) {
    ReadingIterator before = *this;
    ++*this;
    return before;
  }
  friend bool operator!=(const ReadingIterator& a, const ReadingIterator& b) { return a.at_ != b.at_; }

 private:
  const char* at_;
  const char** furthest_;
};

bool is_number_char(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

// Builds the values the importer reads, checks keys are unique in each object and nesting depth, and
// keeps the first error with its position.
class Builder {
 public:
  using json = nlohmann::json;

  Builder(std::string_view text, const std::string& file) : text_(text), file_(file), read_(text.data()) {
    line_starts_.push_back(0);
    for (std::size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') line_starts_.push_back(i + 1);
  }

  // nlohmann/json's SAX interface.
  bool null() { return add(scalar(Kind::null, "null", read_offset() - 4)); }
  bool boolean(bool value) {
    const std::size_t length = value ? 4 : 5;
    return add(scalar(Kind::boolean, value ? "true" : "false", read_offset() - length));
  }
  bool number_integer(json::number_integer_t) { return add(number()); }
  bool number_unsigned(json::number_unsigned_t) { return add(number()); }
  bool number_float(json::number_float_t, const std::string&) { return add(number()); }
  bool string(std::string& value) {
    HfJsonValue v = scalar(Kind::string, std::move(value), string_start());
    return add(std::move(v));
  }
  bool binary(json::binary_t&) { return false; }  // never in JSON text
  bool start_object(std::size_t) { return open(Kind::object); }
  bool start_array(std::size_t) { return open(Kind::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(std::string& name) {
    Frame& frame = open_.back();
    const SourceMark here = mark_at(string_start());
    const auto [it, inserted] = frame.keys.emplace(name, here);
    if (!inserted) {
      return error(here, fmt::format("duplicate key '{}' (first at line {}, column {}): a key may appear "
                                     "once in an object",
                                     excerpt(name), it->second.line + 1, it->second.column + 1));
    }
    frame.key = std::move(name);
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    // what(): "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error ...".
    std::string message = e.what();
    const std::size_t column = message.find(", column ");
    const std::size_t cut = message.find(": ", column == std::string::npos ? 0 : column);
    if (cut != std::string::npos) {
      message.erase(0, cut + 2);
    } else if (const std::size_t tag = message.find("] "); tag != std::string::npos) {
      message.erase(0, tag + 2);
    }
    return error(mark_at(position == 0 ? 0 : position - 1), "invalid JSON: " + excerpt(message, 200));
  }

  [[nodiscard]] const std::optional<ConfigError>& failure() const { return failure_; }
  [[nodiscard]] HfJsonValue& root() { return root_; }
  [[nodiscard]] const char** read_position() { return &read_; }

 private:
  struct Frame {
    HfJsonValue value;
    std::map<std::string, SourceMark, std::less<>> keys;  // an object's, for duplicates
    std::string key;                                      // the key of the member being read
  };

  [[nodiscard]] std::size_t read_offset() const { return static_cast<std::size_t>(read_ - text_.data()); }

  [[nodiscard]] SourceMark mark_at(std::size_t offset) const {
    offset = std::min(offset, text_.size());
    const auto line = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset) - 1;
    return {static_cast<int>(line - line_starts_.begin()), static_cast<int>(offset - *line)};
  }

  // The opening quote of the string just read: the last character read is its closing quote, and a
  // quote inside it is escaped (an odd number of backslashes before it).
  [[nodiscard]] std::size_t string_start() const {
    std::size_t i = read_offset() - 1;
    while (i > 0) {
      --i;
      if (text_[i] != '"') continue;
      std::size_t backslashes = 0;
      while (backslashes < i && text_[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return i;
  }

  // A number is known to have ended once the character after it is read: step back over that one,
  // then over the number's characters; the number is kept as written.
  [[nodiscard]] HfJsonValue number() const {
    std::size_t end = read_offset();
    if (end > 0 && !is_number_char(text_[end - 1])) --end;
    std::size_t begin = end;
    while (begin > 0 && is_number_char(text_[begin - 1])) --begin;
    return scalar(Kind::number, std::string(text_.substr(begin, end - begin)), begin);
  }

  [[nodiscard]] HfJsonValue scalar(Kind kind, std::string text, std::size_t offset) const {
    HfJsonValue v;
    v.kind = kind;
    v.text = std::move(text);
    v.mark = mark_at(offset);
    return v;
  }

  bool open(Kind kind) {
    const SourceMark here = mark_at(read_offset() - 1);  // the bracket just read
    if (static_cast<int>(open_.size()) >= HfConfig::kMaxDepth) {
      return error(here, fmt::format("nesting deeper than {} levels", HfConfig::kMaxDepth));
    }
    Frame frame;
    frame.value.kind = kind;
    frame.value.mark = here;
    open_.push_back(std::move(frame));
    return true;
  }

  bool close() {
    HfJsonValue done = std::move(open_.back().value);
    open_.pop_back();
    done.items.shrink_to_fit();
    return add(std::move(done));
  }

  bool add(HfJsonValue v) {
    if (open_.empty()) {
      root_ = std::move(v);
    } else {
      Frame& parent = open_.back();
      if (parent.value.kind == Kind::object) parent.value.keys.push_back(parent.key);
      parent.value.items.push_back(std::move(v));
    }
    return true;
  }

  bool error(SourceMark mark, const std::string& message) {
    if (!failure_) failure_.emplace(file_, mark, message);
    return false;
  }

  std::string_view text_;
  const std::string& file_;
  const char* read_;  // one past the last character the parser has read
  std::vector<std::size_t> line_starts_;
  std::vector<Frame> open_;
  HfJsonValue root_;
  std::optional<ConfigError> failure_;
};

std::string shown(const HfJsonValue& node) {
  switch (node.kind) {
    case Kind::object:
      return "an object";
    case Kind::array:
      return "a list";
    case Kind::string:
      return fmt::format("\"{}\"", excerpt(node.text));
    default:
      return excerpt(node.text);
  }
}

}  // namespace

HfConfig::HfConfig(const std::string& json_text, std::string file) : file_(std::move(file)) {
  if (json_text.size() > kMaxConfigBytes) {
    throw ConfigError(file_, {},
                      fmt::format("the file is {} bytes, over the {} MiB limit for a configuration file",
                                  json_text.size(), kMaxConfigBytes >> 20));
  }
  const std::string_view text = without_byte_order_mark(json_text);
  Builder builder(text, file_);
  const char* const end = text.data() + text.size();
  const bool parsed = nlohmann::json::sax_parse(ReadingIterator(text.data(), builder.read_position()),
                                                ReadingIterator(end, builder.read_position()), &builder);
  if (builder.failure()) throw *builder.failure();
  if (!parsed) throw ConfigError(file_, {}, "invalid JSON");
  const HfJsonValue& root = builder.root();
  if (root.kind != Kind::object) {
    throw ConfigError(file_, root.mark, "not a JSON object: a config.json is one `{ ... }` object");
  }
  take_members(root);
}

HfConfig::HfConfig(const HfJsonValue& object, std::string file, std::string prefix, std::string architecture)
    : file_(std::move(file)), prefix_(std::move(prefix)), architecture_(std::move(architecture)) {
  take_members(object);
}

void HfConfig::take_members(const HfJsonValue& object) {
  for (std::size_t i = 0; i < object.keys.size(); ++i) members_[object.keys[i]] = object.items[i];
  object_mark_ = object.mark;
}

bool HfConfig::is_object(std::string_view key) const {
  const HfJsonValue* node = value(key);
  return node != nullptr && node->kind == Kind::object;
}

HfConfig HfConfig::object(std::string_view key) const {
  const HfJsonValue& node = required(key);
  if (node.kind != Kind::object)
    fail(key, fmt::format("'{}' must be an object, got {}", qualified(key), shown(node)));
  return HfConfig(node, file_, qualified(key) + ".", architecture_);
}

std::vector<std::string> HfConfig::string_list(std::string_view key) const {
  std::vector<std::string> strings;
  const HfJsonValue* node = value(key);
  if (node == nullptr) return strings;
  if (node->kind != Kind::array)
    fail(key, fmt::format("'{}' must be a list of strings, got {}", qualified(key), shown(*node)));
  for (const HfJsonValue& item : node->items) {
    if (item.kind != Kind::string) {
      throw ConfigError(file_, item.mark,
                        fmt::format("'{}' must be a list of strings, got {}", qualified(key), shown(item)));
    }
    strings.push_back(item.text);
  }
  return strings;
}

std::vector<long long> HfConfig::integer_list(std::string_view key, long long min, long long max) const {
  std::vector<long long> numbers;
  const HfJsonValue* node = value(key);
  if (node == nullptr) return numbers;
  const std::string expected = fmt::format("a list of integers in [{}, {}]", min, max);
  if (node->kind != Kind::array)
    fail(key, fmt::format("'{}' must be {}, got {}", qualified(key), expected, shown(*node)));
  for (const HfJsonValue& item : node->items) {
    const auto number = item.kind == Kind::number ? parse_integer(item.text) : std::nullopt;
    if (!number || *number < min || *number > max) {
      throw ConfigError(file_, item.mark,
                        fmt::format("'{}' must be {}, got {}", qualified(key), expected, shown(item)));
    }
    numbers.push_back(*number);
  }
  return numbers;
}

const HfJsonValue* HfConfig::value(std::string_view key) const {
  const auto it = members_.find(key);
  return it != members_.end() && it->second.kind != Kind::null ? &it->second : nullptr;
}

bool HfConfig::has(std::string_view key) const { return value(key) != nullptr; }

bool HfConfig::written(std::string_view key) const { return members_.find(key) != members_.end(); }

SourceMark HfConfig::mark(std::string_view key) const {
  const HfJsonValue* node = value(key);
  return node != nullptr ? node->mark : object_mark_;
}

void HfConfig::fail(std::string_view key, const std::string& message) const {
  throw ConfigError(file_, mark(key), message);
}

const HfJsonValue& HfConfig::required(std::string_view key) const {
  const HfJsonValue* node = value(key);
  if (node == nullptr) {
    const std::string needed_by = architecture_.empty() ? "" : fmt::format(" (needed for {})", architecture_);
    fail(key, fmt::format("missing required key '{}'{}", qualified(key), needed_by));
  }
  return *node;
}

std::string HfConfig::scalar(const HfJsonValue& node, std::string_view key, std::string_view expected) const {
  if (node.kind != Kind::number && node.kind != Kind::boolean) {
    fail(key, fmt::format("'{}' must be {}, got {}", qualified(key), expected, shown(node)));
  }
  return node.text;
}

long long HfConfig::integer(std::string_view key, long long min, long long max) const {
  const std::string expected = fmt::format("an integer in [{}, {}]", min, max);
  const HfJsonValue& node = required(key);
  const auto number = parse_integer(scalar(node, key, expected));
  if (!number || *number < min || *number > max) {
    fail(key, fmt::format("'{}' must be {}, got {}", qualified(key), expected, shown(node)));
  }
  return *number;
}

std::optional<long long> HfConfig::optional_integer(std::string_view key, long long min) const {
  if (!has(key)) return std::nullopt;
  return integer(key, min);
}

std::optional<double> HfConfig::optional_real(std::string_view key) const {
  const HfJsonValue* node = value(key);
  if (node == nullptr) return std::nullopt;
  const auto number = parse_real(scalar(*node, key, "a number"));
  if (!number) fail(key, fmt::format("'{}' must be a number, got {}", qualified(key), shown(*node)));
  return number;
}

bool HfConfig::flag(std::string_view key, bool fallback) const {
  const HfJsonValue* node = value(key);
  if (node == nullptr) return fallback;
  const std::string text = scalar(*node, key, "true or false");
  if (node->kind != Kind::boolean)
    fail(key, fmt::format("'{}' must be true or false, got {}", qualified(key), shown(*node)));
  return text == "true";
}

std::string HfConfig::text(std::string_view key, std::string_view fallback) const {
  const HfJsonValue* node = value(key);
  if (node == nullptr) return std::string(fallback);
  if (node->kind != Kind::string)
    fail(key, fmt::format("'{}' must be a string, got {}", qualified(key), shown(*node)));
  return node->text;
}

std::size_t HfConfig::list_size(std::string_view key) const {
  const HfJsonValue* node = value(key);
  if (node == nullptr) return 0;
  if (node->kind != Kind::array)
    fail(key, fmt::format("'{}' must be a list, got {}", qualified(key), shown(*node)));
  return node->items.size();
}

std::string HfConfig::architecture() const {
  const HfJsonValue* node = value("architectures");
  if (node == nullptr) return "";
  if (node->kind != Kind::array || node->items.empty() || node->items[0].kind != Kind::string) {
    fail("architectures", fmt::format("'architectures' must be a list of class names, got {}", shown(*node)));
  }
  return node->items[0].text;
}

}  // namespace infersim

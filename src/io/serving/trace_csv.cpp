#include "io/serving/trace_csv.hpp"

#include <fmt/format.h>

#include <array>
#include <climits>
#include <sstream>
#include <utility>
#include <vector>

#include "io/config/config_error.hpp"
#include "io/config/strict_number.hpp"
#include "io/config/text_file.hpp"

namespace infersim {

namespace {

constexpr std::array<std::string_view, 5> kNames = {"arrival_s", "input_tokens", "output_tokens",
                                                    "prefix_group", "prefix_tokens"};

// ConfigError's line numbers are ints: a longer trace is refused rather than numbered wrong.
constexpr int kMaxLines = INT_MAX - 2;

struct Field {
  std::string_view text;  // without the spaces around it
  int column = 0;         // 0-based character column of the raw field's start
};

std::vector<Field> split_fields(std::string_view line) {
  std::vector<Field> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(line.find(',', start), line.size());
    std::string_view text = line.substr(start, end - start);
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    fields.push_back({text, static_cast<int>(start)});
    if (end == line.size()) return fields;
    start = end + 1;
  }
}

std::string header_text(std::size_t columns) {
  return columns == 3 ? std::string(kTraceColumns) : fmt::format("{},{}", kTraceColumns, kTracePrefixColumns);
}

}  // namespace

TraceReader::TraceReader(const std::string& path)
    : TraceReader(std::make_unique<std::ifstream>(open_text_file(path, "a trace", Streams::accepted)), path) {
}

TraceReader TraceReader::from_text(std::string text, std::string name) {
  return TraceReader(std::make_unique<std::istringstream>(std::move(text)), std::move(name));
}

TraceReader::TraceReader(std::unique_ptr<std::istream> in, std::string name)
    : in_(std::move(in)), name_(std::move(name)) {
  read_header();
}

bool TraceReader::read_line() {
  if (line_ >= kMaxLines)
    throw ConfigError(name_, {}, fmt::format("a trace may have at most {} lines", kMaxLines));
  line_text_.clear();
  std::streambuf& buf = *in_->rdbuf();
  bool any = false;
  for (int c = buf.sbumpc(); c != std::char_traits<char>::eof(); c = buf.sbumpc()) {
    any = true;
    if (c == '\n') break;
    if (line_text_.size() == kMaxTraceLineBytes)
      throw ConfigError(name_, {line_ + 1, 0},
                        fmt::format("a line must be at most {} bytes", kMaxTraceLineBytes));
    line_text_.push_back(static_cast<char>(c));
  }
  if (!line_text_.empty() && line_text_.back() == '\r') line_text_.pop_back();
  if (!any) return false;
  ++line_;
  return true;
}

void TraceReader::read_header() {
  const std::string expected =
      fmt::format("the header '{}' or '{},{}'", kTraceColumns, kTraceColumns, kTracePrefixColumns);
  if (!read_line())
    throw ConfigError(name_, {0, 0}, fmt::format("the trace is empty: it must start with {}", expected));
  const std::string_view text = without_byte_order_mark(line_text_);
  const std::vector<Field> fields = split_fields(text);
  bool matches = fields.size() == 3 || fields.size() == 5;
  for (std::size_t i = 0; matches && i < fields.size(); ++i) matches = fields[i].text == kNames[i];
  if (!matches)
    throw ConfigError(name_, {0, 0},
                      fmt::format("the first line must be {}, got '{}'", expected, excerpt(text)));
  columns_ = fields.size();
}

std::optional<serving::Request> TraceReader::next() {
  for (;;) {
    if (!read_line()) {
      if (count_ == 0)
        throw ConfigError(name_, {line_ + 1, 0},
                          "the trace holds no requests: a line must follow the header");
      return std::nullopt;
    }
    if (line_text_.find_first_not_of(" \t") == std::string::npos) continue;  // blank
    serving::Request r = parse_line();
    last_arrival_s_ = r.arrival_s;
    r.id = count_++;
    return r;
  }
}

serving::Request TraceReader::parse_line() const {
  const std::vector<Field> fields = split_fields(line_text_);
  if (fields.size() != columns_)
    throw ConfigError(name_, {line_, 0},
                      fmt::format("a line must have {} fields ({}) as the header says, got {}", columns_,
                                  header_text(columns_), fields.size()));
  const auto error = [&](std::size_t i, const std::string& must) {
    return ConfigError(name_, {line_, fields[i].column},
                       fmt::format("'{}' must be {}, got '{}'", kNames[i], must, excerpt(fields[i].text)));
  };
  const auto integer = [&](std::size_t i, long long lo, long long hi, const std::string& must) {
    const auto value = parse_integer(fields[i].text);
    if (!value || *value < lo || *value > hi) throw error(i, must);
    return *value;
  };
  serving::Request r;
  const auto arrival = parse_real(fields[0].text);
  if (!arrival || *arrival < 0.0) throw error(0, "a finite number of seconds >= 0");
  if (count_ > 0 && *arrival < last_arrival_s_)
    throw error(0, fmt::format("at least the arrival on the line before ({}): lines in arrival order",
                               last_arrival_s_));
  r.arrival_s = *arrival + 0.0;  // -0 reads as 0
  const std::string tokens = fmt::format("an integer in [1, {}]", serving::kMaxRequestTokens);
  r.input_tokens = integer(1, 1, serving::kMaxRequestTokens, tokens);
  r.output_tokens = integer(2, 1, serving::kMaxRequestTokens, tokens);
  if (columns_ == 5) {
    r.prefix_group = integer(3, -1, LLONG_MAX, "an integer >= 0, or -1 for none");
    const long long most = r.prefix_group < 0 ? 0 : r.input_tokens;
    r.prefix_tokens = integer(4, 0, most,
                              r.prefix_group < 0 ? std::string("0 when prefix_group is -1")
                                                 : fmt::format("an integer in [0, input_tokens = {}]", most));
  }
  return r;
}

}  // namespace infersim

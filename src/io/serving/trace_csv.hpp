#pragma once
// A request trace: a CSV file with a header line, one request per line in arrival order,
//   arrival_s,input_tokens,output_tokens[,prefix_group,prefix_tokens]
// arrival_s seconds (finite, >= 0, never below the line before), token counts integers in
// [1, serving::kMaxRequestTokens]; with the prefix columns, prefix_group an integer >= 0 (requests of a
// group share the KV cache of their first prefix_tokens), or -1 for none, and prefix_tokens in
// [0, input_tokens] (0 with group -1). Blank lines are skipped; a field may have spaces around it; a
// UTF-8 byte order mark before the header is skipped. Which prefix a group's requests really share
// (the shortest prefix_tokens of the group, if they differ) is the simulator's concern.
//
// Read as a stream, one line at a time, in memory independent of the file's length: an error is found
// when its line is reached, as a ConfigError "file:line:column: error: what was expected".
#include <cstddef>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "serving/workload.hpp"

namespace infersim {

inline constexpr std::string_view kTraceColumns = "arrival_s,input_tokens,output_tokens";
inline constexpr std::string_view kTracePrefixColumns = "prefix_group,prefix_tokens";
inline constexpr std::size_t kMaxTraceLineBytes = 4096;

class TraceReader {
 public:
  // Opens the file (a regular file, or a pipe: io/config/text_file.hpp) and reads its header.
  explicit TraceReader(const std::string& path);
  // A trace held in memory, `name` standing for the file in messages (the fuzzer, tests).
  [[nodiscard]] static TraceReader from_text(std::string text, std::string name);

  // The next request (ids 0, 1, ... in file order), or none after the last; a trace with no request
  // at all is an error.
  std::optional<serving::Request> next();

 private:
  TraceReader(std::unique_ptr<std::istream> in, std::string name);
  bool read_line();  // the next line into line_text_, false at the end
  void read_header();
  [[nodiscard]] serving::Request parse_line() const;

  std::unique_ptr<std::istream> in_;
  std::string name_;
  std::string line_text_;
  int line_ = -1;  // 0-based number of the line in line_text_
  std::size_t columns_ = 3;
  long long count_ = 0;
  double last_arrival_s_ = 0.0;
};

}  // namespace infersim

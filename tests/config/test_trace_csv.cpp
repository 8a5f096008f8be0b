// The serving trace reader (io/serving/trace_csv.hpp): the requests of good traces, and for each kind
// of malformed line (one fixture each in tests/serving/) the one-line error at its file, line and column.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "io/config/config_error.hpp"
#include "io/serving/trace_csv.hpp"
#include "support/fixtures.hpp"

using infersim::ConfigError;
using infersim::TraceReader;
using infersim::serving::Request;
using infersim::test::source_path;

namespace {

std::vector<Request> read_all(TraceReader reader) {
  std::vector<Request> out;
  while (auto r = reader.next()) out.push_back(*r);
  return out;
}

// The message of the first error reading the whole fixture.
std::string error_of(const std::string& fixture) {
  try {
    (void)read_all(TraceReader(source_path("tests/serving/" + fixture)));
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "(no error)";
}

const std::string kHeaders =
    "the header 'arrival_s,input_tokens,output_tokens' or "
    "'arrival_s,input_tokens,output_tokens,prefix_group,prefix_tokens'";

}  // namespace

TEST_CASE("A trace reads as its requests, in order, blank lines and spaces skipped") {
  const auto r = read_all(TraceReader(source_path("tests/serving/good.csv")));
  REQUIRE(r.size() == 4);
  CHECK(r[0].id == 0);
  CHECK(r[0].arrival_s == 0.0);
  CHECK(r[0].input_tokens == 512);
  CHECK(r[0].output_tokens == 128);
  CHECK(r[1].arrival_s == 0.25);
  CHECK(r[1].output_tokens == 1);
  CHECK(r[2].id == 2);  // after the blank line, spaces around a field and a CRLF
  CHECK(r[2].input_tokens == 64);
  CHECK(r[3].arrival_s == 7.5);
  CHECK(r[3].output_tokens == 256);
  for (const Request& q : r) {
    CHECK(q.prefix_group == -1);
    CHECK(q.prefix_tokens == 0);
  }
}

TEST_CASE("A trace with prefix columns (a byte order mark, CRLF lines) reads its prefix groups") {
  const auto r = read_all(TraceReader(source_path("tests/serving/good_prefix.csv")));
  REQUIRE(r.size() == 3);
  CHECK(r[0].prefix_group == 0);
  CHECK(r[0].prefix_tokens == 800);
  CHECK(r[1].prefix_group == 0);
  CHECK(r[1].input_tokens == 900);
  CHECK(r[2].prefix_group == -1);
  CHECK(r[2].prefix_tokens == 0);
}

TEST_CASE("Each malformed trace is an error at its file:line:column saying what was expected") {
  const auto at = [](const std::string& fixture) { return source_path("tests/serving/" + fixture); };
  CHECK(error_of("bad_empty.csv") ==
        at("bad_empty.csv") + ":1:1: error: the trace is empty: it must start with " + kHeaders);
  CHECK(error_of("bad_no_header.csv") ==
        at("bad_no_header.csv") + ":1:1: error: the first line must be " + kHeaders + ", got '0.0,128,16'");
  CHECK(error_of("bad_header_only.csv") ==
        at("bad_header_only.csv") +
            ":2:1: error: the trace holds no requests: a line must follow the header");
  CHECK(error_of("bad_field_count.csv") ==
        at("bad_field_count.csv") +
            ":3:1: error: a line must have 3 fields (arrival_s,input_tokens,output_tokens) as the header "
            "says, got 2");
  CHECK(error_of("bad_prefix_columns_missing.csv") ==
        at("bad_prefix_columns_missing.csv") +
            ":2:1: error: a line must have 5 fields "
            "(arrival_s,input_tokens,output_tokens,prefix_group,prefix_tokens) as the header says, got 3");
  CHECK(error_of("bad_not_a_number.csv") ==
        at("bad_not_a_number.csv") +
            ":3:5: error: 'input_tokens' must be an integer in [1, 1000000000], got 'abc'");
  CHECK(error_of("bad_negative_arrival.csv") ==
        at("bad_negative_arrival.csv") +
            ":2:1: error: 'arrival_s' must be a finite number of seconds >= 0, got '-1.5'");
  CHECK(error_of("bad_nan_arrival.csv") ==
        at("bad_nan_arrival.csv") +
            ":3:1: error: 'arrival_s' must be a finite number of seconds >= 0, got 'nan'");
  CHECK(error_of("bad_arrivals_decrease.csv") ==
        at("bad_arrivals_decrease.csv") +
            ":4:1: error: 'arrival_s' must be at least the arrival on the line before (2): lines in arrival "
            "order, got '1.75'");
  CHECK(error_of("bad_zero_tokens.csv") ==
        at("bad_zero_tokens.csv") +
            ":2:9: error: 'output_tokens' must be an integer in [1, 1000000000], got '0'");
  CHECK(error_of("bad_negative_tokens.csv") ==
        at("bad_negative_tokens.csv") +
            ":2:5: error: 'input_tokens' must be an integer in [1, 1000000000], got '-128'");
  CHECK(error_of("bad_fractional_tokens.csv") ==
        at("bad_fractional_tokens.csv") +
            ":2:5: error: 'input_tokens' must be an integer in [1, 1000000000], got '128.5'");
  CHECK(error_of("bad_prefix_longer_than_input.csv") ==
        at("bad_prefix_longer_than_input.csv") +
            ":2:14: error: 'prefix_tokens' must be an integer in [0, input_tokens = 100], got '101'");
  CHECK(error_of("bad_prefix_without_group.csv") ==
        at("bad_prefix_without_group.csv") +
            ":2:15: error: 'prefix_tokens' must be 0 when prefix_group is -1, got '10'");
  CHECK(error_of("missing.csv") == at("missing.csv") + ": error: no such file");
}

TEST_CASE("An in-memory trace reads the same, a line past the limit is refused, not buffered") {
  auto reader = TraceReader::from_text("arrival_s,input_tokens,output_tokens\n0,1,1\n", "mem.csv");
  const auto r = read_all(std::move(reader));
  REQUIRE(r.size() == 1);
  CHECK(r[0].input_tokens == 1);
  const std::string long_line =
      "arrival_s,input_tokens,output_tokens\n0,1,1\n" + std::string(5000, '1') + "\n";
  auto long_reader = TraceReader::from_text(long_line, "long.csv");
  CHECK(long_reader.next());
  CHECK_THROWS_WITH(long_reader.next(), "long.csv:3:1: error: a line must be at most 4096 bytes");
  // A control character in a field is shown escaped, the message stays one line.
  auto escape = TraceReader::from_text("arrival_s,input_tokens,output_tokens\n0,1\x1b[2J,1\n", "esc.csv");
  CHECK_THROWS_WITH(escape.next(),
                    "esc.csv:2:3: error: 'input_tokens' must be an integer in [1, 1000000000], got "
                    "'1\\x1b[2J'");
}

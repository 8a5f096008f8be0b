// The screen in front of yaml-cpp (io/config/yaml_screen.hpp): what it must reject, and the valid YAML it
// must let through (quoted '&' and '*', comments, block scalars, shallow flow collections).
#include <catch2/catch.hpp>
#include <string>

#include "io/config/close_matches.hpp"
#include "io/config/config_error.hpp"
#include "io/config/yaml_map.hpp"
#include "io/config/yaml_screen.hpp"

using namespace infersim;

namespace {

std::string screen_error(const std::string& text) {
  try {
    screen_yaml_text(text, "t.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string nested(const std::string& open, const std::string& close, int depth) {
  std::string s = "a: ";
  for (int i = 0; i < depth; ++i) s += open;
  for (int i = 0; i < depth; ++i) s += close;
  return s + "\n";
}

}  // namespace

TEST_CASE("Valid YAML of the kinds our files use passes the screen") {
  for (const char* text : {
           "a: 1\nb: \"x & y * z [ { #\"\nc: 'it''s *not* an &alias'\n",
           "a: 1  # 2 * 4096 & more [\nb: [1, 2, {c: 3}]\n",
           "a: |\n  *literal [[[[ & text\n  more\nb: >-\n  folded *x\nc: 2\n",
           "list:\n  - level: L2\n    size_MiB: 50\n  - level: L3\n", "url: https://example.com/a*b&c=1\n",
           "a: \"multi\n  line [ quoted\"\nb: 1\n",
           "name: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n",  // 2-, 3- and 4-byte UTF-8
           "\xef\xbb\xbf"
           "a: 1\r\nb: 2\r\n",  // BOM and CRLF
       }) {
    INFO(text);
    CHECK(screen_error(text).empty());
    CHECK_NOTHROW(parse_yaml_mapping(text, "t.yaml"));
  }
  CHECK(screen_error(nested("[", "]", kMaxYamlDepth - 2)).empty());
}

TEST_CASE("The screen rejects what yaml-cpp cannot be trusted with, naming line and column") {
  CHECK(screen_error(nested("[", "]", 100)) ==
        "t.yaml:1:67: error: nesting deeper than 64 levels is not accepted");
  CHECK(screen_error(nested("{a: ", "}", 100)).find("nesting deeper than 64") != std::string::npos);
  std::string block;
  for (int i = 0; i < 100; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  CHECK(screen_error(block) == "t.yaml:65:65: error: nesting deeper than 64 levels is not accepted");
  CHECK(screen_error("a: &x 1\nb: *x\n").rfind("t.yaml:1:4: error: YAML anchors", 0) == 0);
  CHECK(screen_error("b: *x\n").rfind("t.yaml:1:4: error: YAML aliases", 0) == 0);
  CHECK(screen_error("a: [1, *x]\n").rfind("t.yaml:1:8: error: YAML aliases", 0) == 0);
  CHECK(screen_error("- &a [1]\n").rfind("t.yaml:1:3: error: YAML anchors", 0) == 0);
  CHECK(screen_error(std::string("a: 1\nb: \0\n", 10)) ==
        "t.yaml:2:4: error: NUL byte: a configuration file must be text (UTF-8 YAML)");
  CHECK(screen_error("a: \xed\xa0\x80\n").find("invalid UTF-8") != std::string::npos);      // a surrogate
  CHECK(screen_error("a: \xf4\x90\x80\x80\n").find("invalid UTF-8") != std::string::npos);  // above U+10FFFF
  CHECK(screen_error("a: \xe2\x82\n").find("invalid UTF-8") != std::string::npos);          // cut short
  CHECK(screen_error(std::string(kMaxConfigBytes + 1, ' ')).find("over the 1 MiB limit") !=
        std::string::npos);
}

TEST_CASE("One document per file, never a hang, yaml-cpp's own errors keep their position") {
  CHECK_THROWS_WITH(parse_yaml_mapping("a: 1\n---\nb: 2\n", "t.yaml"),
                    Catch::StartsWith("t.yaml:2:1: error: content after the first YAML document"));
  CHECK_THROWS_WITH(parse_yaml_mapping("{a: 1}\nb: 2\n", "t.yaml"),  // yaml-cpp's Load would drop b
                    Catch::StartsWith("t.yaml:2:1: error: content after the first YAML document"));
  // yaml-cpp's LoadAll never returns on these; the screen stops them first.
  CHECK(screen_error(", a\n") == "t.yaml:1:1: error: ',' is only allowed between items inside [ ] or { }");
  CHECK(screen_error("\"x\", a\n").rfind("t.yaml:1:4: error: ','", 0) == 0);
  CHECK_THROWS_WITH(parse_yaml_mapping("!t , a\n", "t.yaml"),
                    Catch::Contains("content after the first YAML document"));
  CHECK_THROWS_WITH(parse_yaml_mapping("a: [1, 2\n", "t.yaml"),
                    Catch::StartsWith("t.yaml:") && Catch::Contains("invalid YAML"));
  CHECK_THROWS_WITH(parse_yaml_mapping("", "t.yaml"),
                    "t.yaml: error: the top level must be a mapping of keys to values");
}

TEST_CASE("Quoted user text stays on one line and short") {
  CHECK(excerpt("a\nb\x01") == "a\\nb\\x01");
  CHECK(excerpt("\x1b[2J\xff") == "\\x1b[2J\\xff");  // escape sequences and bad bytes shown, not sent
  CHECK(excerpt(std::string(200, 'x'), 10) == std::string(10, 'x') + "...");
  CHECK(excerpt("\xc3\xa9\xc3\xa9", 3) == "\xc3\xa9\xc3\xa9");  // never cut inside a character
}

TEST_CASE("Close matches: nearest first, at most three, none when nothing is close") {
  const std::vector<std::string> names = {"llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3-8b",
                                          "mistral-7b"};
  CHECK(close_matches("llama-2-7", names) ==
        std::vector<std::string>{"llama-2-7b", "llama-2-70b", "llama-2-13b"});
  CHECK(close_matches("mistral", names) == std::vector<std::string>{"mistral-7b"});
  CHECK(close_matches("gpt-4", names).empty());
  // Equal distance (2): the names containing "h100" before the near-spellings, whatever the order given.
  CHECK(close_matches("h100", {"b200", "b300", "h100-pcie", "h100-sxm", "h20"}) ==
        std::vector<std::string>{"h100-pcie", "h100-sxm", "b200"});
  CHECK(edit_distance("kitten", "sitting") == 3);
}

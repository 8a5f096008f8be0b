// io/text/escape.hpp: one escaping function per language Infersim writes, fed hostile text.
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "io/text/escape.hpp"

using namespace infersim;
using namespace std::string_literals;

namespace {

// Valid UTF-8 that every language must carry: quotes, backslashes, markup, a gnuplot command, accents,
// a CJK character, an emoji.
const std::string kHostile[] = {
    "plain-name",
    "x'; system('touch PWNED'); y='",
    "back\\slash \"quoted\" `date` @macro",
    "<script>alert(1)</script> & co",
    "line\nbreak\r\nand\ttab",
    "nul\0byte and \x1b[31mred\x7f"s,
    "caf\xc3\xa9 \xe6\xbc\xa2 \xf0\x9f\x98\x80",
    "next\xc2\x85line sep\xe2\x80\xa8para\xe2\x80\xa9 bom\xef\xbb\xbf",
    "c1 \xc2\x9b csi, rlo \xe2\x80\xae",
    "",
};

// Not UTF-8: a stray continuation byte, an overlong '/', a surrogate, a truncated sequence, 0xff.
const std::string kInvalid[] = {"a\x80z",     "a\xc0\xafz", "a\xed\xa0\x80z",
                                "a\xe6\xbcz", "\xff",       "end\xf0\x9f"};

bool has_control(const std::string& s) {
  for (const char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

TEST_CASE("gnuplot_string: single-quoted, quotes doubled, one line") {
  CHECK(gnuplot_string("llama on h100") == "'llama on h100'");
  CHECK(gnuplot_string("x'; system('id'); y='") == "'x''; system(''id''); y='''");
  CHECK(gnuplot_string("a\\b\"c`d`") == "'a\\b\"c`d`'");  // single quotes take all of these literally
  CHECK(gnuplot_string("two\nlines\x1b") == "'two\\nlines\\x1b'");
  for (const std::string& s : kHostile) {
    const std::string q = gnuplot_string(s);
    CHECK_FALSE(has_control(q));
    REQUIRE(q.size() >= 2);
    // Inside the quotes every quote comes in a pair: the literal never ends early.
    const std::string inner = q.substr(1, q.size() - 2);
    for (std::size_t i = 0; i < inner.size(); ++i) {
      if (inner[i] != '\'') continue;
      REQUIRE(i + 1 < inner.size());
      CHECK(inner[i + 1] == '\'');
      ++i;
    }
  }
}

TEST_CASE("html_text and html_attribute: no markup survives") {
  CHECK(html_text("<script>alert('x')</script> & \"q\"") ==
        "&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"q\"");
  CHECK(html_attribute("a\"b'c<d>&\n") == "a&quot;b&#39;c&lt;d&gt;&amp;&#10;");
  CHECK(html_text("nul\0x"s) == "nul\xef\xbf\xbdx");
  CHECK(html_text("caf\xc3\xa9") == "caf\xc3\xa9");
  CHECK(html_text("bad\xff") == "bad\xef\xbf\xbd");
  for (const std::string& s : kHostile) {
    CHECK(html_text(s).find('<') == std::string::npos);
    CHECK(html_attribute(s).find_first_of("<>\"'\n") == std::string::npos);
  }
}

TEST_CASE("yaml_scalar: one line that loads back as the same text") {
  CHECK(yaml_scalar("llama") == "\"llama\"");
  CHECK(yaml_scalar("a\"b\\c\nd") == "\"a\\\"b\\\\c\\x0ad\"");
  for (const std::string& s : kHostile) {
    const std::string q = yaml_scalar(s);
    CHECK(q.find('\n') == std::string::npos);
    CHECK_FALSE(has_control(q));
    // As a mapping value followed by another key: the text comes back, and no key is added.
    const YAML::Node node = YAML::Load("description: " + q + "\nafter: 1\n");
    REQUIRE(node.IsMap());
    CHECK(node.size() == 2);
    CHECK(node["description"].as<std::string>() == s);
  }
  for (const std::string& s : kInvalid) {
    const YAML::Node node = YAML::Load("k: " + yaml_scalar(s) + "\n");
    CHECK(node.size() == 1);
    CHECK(node["k"].as<std::string>().find("\xef\xbf\xbd") != std::string::npos);
  }
}

TEST_CASE("csv_field: RFC 4180") {
  CHECK(csv_field("plain") == "plain");
  CHECK(csv_field("a,b \"c\"") == "\"a,b \"\"c\"\"\"");
  CHECK(csv_field("two\nlines") == "\"two\nlines\"");
  CHECK(csv_field("") == "");
  std::string appended = "x,";
  append_csv_field(appended, "y\"z");
  CHECK(appended == "x,\"y\"\"z\"");
  fmt::memory_buffer buffer;
  append_csv_field(buffer, "q,r");
  append_csv_field(buffer, "s");
  CHECK(fmt::to_string(buffer) == "\"q,r\"s");
}

TEST_CASE("json_string: RFC 8259, parses back as the same text") {
  CHECK(json_string("llama") == "\"llama\"");
  CHECK(json_string("a\"b\\c\nd\x01") == "\"a\\\"b\\\\c\\u000ad\\u0001\"");
  CHECK(json_string("ls\xe2\x80\xa8") == "\"ls\\u2028\"");
  for (const std::string& s : kHostile) {
    const std::string q = json_string(s);
    CHECK_FALSE(has_control(q));
    CHECK(nlohmann::json::parse(q).get<std::string>() == s);
  }
  for (const std::string& s : kInvalid) {
    const std::string q = json_string(s);
    CHECK(json_string(s) == q);  // deterministic
    CHECK(nlohmann::json::parse(q).get<std::string>().find("\xef\xbf\xbd") != std::string::npos);
  }
}

TEST_CASE("terminal_text: control characters shown, never sent") {
  CHECK(terminal_text("models/llama.yaml") == "models/llama.yaml");
  CHECK(terminal_text("a\nb\r\tc\x1b[2J\x7f") == "a\\nb\\r\\tc\\x1b[2J\\x7f");
  CHECK(terminal_text("nul\0"s) == "nul\\x00");
  CHECK(terminal_text("bad\xff\xc3") == "bad\\xff\\xc3");
  CHECK(terminal_text("csi\xc2\x9b rlo\xe2\x80\xae") == "csi\\u009b rlo\\u202e");
  CHECK(terminal_text("caf\xc3\xa9 \\ ok") == "caf\xc3\xa9 \\ ok");
  for (const std::string& s : kHostile) CHECK_FALSE(has_control(terminal_text(s)));
  for (const std::string& s : kInvalid) CHECK_FALSE(has_control(terminal_text(s)));
}

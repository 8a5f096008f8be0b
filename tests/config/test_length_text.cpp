// Length distributions given as text (io/serving/length_text.hpp): each form, and each bad value
// refused in one line naming the flag and what was expected.
#include <catch2/catch.hpp>

#include "core/errors.hpp"
#include "io/serving/length_text.hpp"

using infersim::parse_length_dist;
using Kind = infersim::serving::LengthDist::Kind;

TEST_CASE("Each length form parses into its distribution") {
  const auto fixed = parse_length_dist("1024", "--input");
  CHECK(fixed.kind == Kind::fixed);
  CHECK(fixed.a == 1024.0);
  const auto uniform = parse_length_dist("uniform:16:512", "--output");
  CHECK(uniform.kind == Kind::uniform);
  CHECK(uniform.a == 16.0);
  CHECK(uniform.b == 512.0);
  CHECK(parse_length_dist("uniform:7:7", "--input").b == 7.0);
  const auto normal = parse_length_dist("normal:1000:250.5", "--input");
  CHECK(normal.kind == Kind::normal);
  CHECK(normal.a == 1000.0);
  CHECK(normal.b == 250.5);
  const auto lognormal = parse_length_dist("lognormal:1024:0.5", "--input");
  CHECK(lognormal.kind == Kind::lognormal);
  CHECK(lognormal.a == 1024.0);
  CHECK(lognormal.b == 0.5);
}

TEST_CASE("A bad length is one line naming the flag and what was expected") {
  const std::string forms = "a token count (1024), uniform:LO:HI, normal:MEAN:SD or lognormal:MEAN:SIGMA";
  const auto error = [](const char* text, const char* flag) {
    try {
      (void)parse_length_dist(text, flag);
    } catch (const infersim::InputError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  CHECK(error("abc", "--input") == "--input must be " + forms + ", got 'abc'");
  CHECK(error("", "--input") == "--input must be " + forms + ", got ''");
  CHECK(error("1e3", "--input") == "--input must be " + forms + ", got '1e3'");
  CHECK(error("poisson:3:4", "--output") == "--output must be " + forms + ", got 'poisson:3:4'");
  CHECK(error("uniform:3", "--input") == "--input must be " + forms + ", got 'uniform:3'");
  CHECK(error("normal:1:2:3", "--input") == "--input must be " + forms + ", got 'normal:1:2:3'");
  CHECK(error("0", "--output") == "--output must be a token count, an integer in [1, 1000000000], got '0'");
  CHECK(error("-5", "--output") == "--output must be a token count, an integer in [1, 1000000000], got '-5'");
  CHECK(error("2000000000", "--input") ==
        "--input must be a token count, an integer in [1, 1000000000], got '2000000000'");
  const std::string uniform = "--input must be uniform:LO:HI with integers 1 <= LO <= HI <= 1000000000, got ";
  CHECK(error("uniform:9:2", "--input") == uniform + "'uniform:9:2'");
  CHECK(error("uniform:0:2", "--input") == uniform + "'uniform:0:2'");
  CHECK(error("uniform:1.5:2", "--input") == uniform + "'uniform:1.5:2'");
  CHECK(error("uniform::2", "--input") == uniform + "'uniform::2'");
  const std::string normal =
      "--input must be normal:MEAN:SD with 1 <= MEAN <= 1000000000 and 0 <= SD <= 1000000000, got ";
  CHECK(error("normal:100:-1", "--input") == normal + "'normal:100:-1'");
  CHECK(error("normal:inf:1", "--input") == normal + "'normal:inf:1'");
  CHECK(error("normal:nan:1", "--input") == normal + "'normal:nan:1'");
  CHECK(error("normal:0:1", "--input") == normal + "'normal:0:1'");
  const std::string lognormal =
      "--input must be lognormal:MEAN:SIGMA with 1 <= MEAN <= 1000000000 and 0 <= SIGMA <= 10, got ";
  CHECK(error("lognormal:1024:11", "--input") == lognormal + "'lognormal:1024:11'");
  CHECK(error("lognormal:1e400:1", "--input") == lognormal + "'lognormal:1e400:1'");
  CHECK(error("lognormal:1024:x", "--input") == lognormal + "'lognormal:1024:x'");
  // A hostile value stays on one line.
  CHECK(error("uniform:1:\n2", "--input") == uniform + "'uniform:1:\\n2'");
}

// append_shortest (io/text/number_text.hpp): its integer fast path gives fmt's own "{}" bytes, the oracle
// here, for every double it takes (integers below 2^53 in magnitude) and leaves the rest to fmt.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>

#include "io/text/number_text.hpp"

namespace {

std::string shortest(double value) {
  fmt::memory_buffer out;
  infersim::append_shortest(out, value);
  return fmt::to_string(out);
}

}  // namespace

TEST_CASE("append_shortest writes fmt's \"{}\" text: integers, their edges, fractions, -0") {
  constexpr double two_53 = 9007199254740992.0;
  constexpr double kValues[] = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                16.0,
                                128.5,
                                0.1,
                                6738415616.0,
                                13476831232.0,
                                1663031377920.0,
                                1e15,
                                999999999999999.0,
                                two_53 - 1.0,
                                -(two_53 - 1.0),
                                two_53,
                                two_53 + 2.0,
                                1e16,
                                1e17,
                                1e300,
                                -1e300,
                                2.9999999999999997e-05,
                                104.23803065029178,
                                4503599627370497.0};
  for (const double v : kValues) {
    INFO(v);
    CHECK(shortest(v) == fmt::format("{}", v));
  }
  CHECK(shortest(-0.0) == "-0");                  // fmt keeps the sign of zero
  CHECK(shortest(6738415616.0) == "6738415616");  // Llama-2-7B's parameter count (model card), no ".0"
}

TEST_CASE("append_shortest equals fmt's \"{}\" on random integers below 2^53 and random doubles") {
  std::mt19937_64 random(20261201);
  std::uniform_int_distribution<std::int64_t> integers(-(std::int64_t{1} << 53) + 1,
                                                       (std::int64_t{1} << 53) - 1);
  std::uniform_real_distribution<double> exponents(-20.0, 20.0);
  for (int i = 0; i < 20000; ++i) {
    const auto integer = static_cast<double>(integers(random));
    const double real = std::pow(10.0, exponents(random));
    INFO(integer << " " << real);
    REQUIRE(shortest(integer) == fmt::format("{}", integer));
    REQUIRE(shortest(real) == fmt::format("{}", real));
    REQUIRE(shortest(std::round(real)) == fmt::format("{}", std::round(real)));
  }
}

#pragma once
// A request-length distribution given as text (`--input`, `--output` of serve):
//   1024                   every request that many tokens
//   uniform:LO:HI          integers LO..HI, inclusive
//   normal:MEAN:SD         normal with that mean and standard deviation
//   lognormal:MEAN:SIGMA   lognormal with arithmetic mean MEAN tokens, SIGMA the underlying normal's sigma
// Each drawn length is rounded and clamped to [1, the model's context] (serving/workload.hpp).
#include <string_view>

#include "serving/workload.hpp"

namespace infersim {

// Throws InputError naming the flag and what was expected, quoting the text:
// "--input must be uniform:LO:HI with integers 1 <= LO <= HI <= 1000000000, got 'uniform:9:2'".
[[nodiscard]] serving::LengthDist parse_length_dist(std::string_view text, std::string_view flag);

}  // namespace infersim

#pragma once
// Requests for the serving simulator's tests: a fixed list, and n identical requests at t = 0.
#include <optional>
#include <utility>
#include <vector>

#include "serving/simulator.hpp"

namespace infersim::test {

// Requests from a fixed list, in its order.
class ListSource : public serving::RequestSource {
 public:
  explicit ListSource(std::vector<serving::Request> r) : r_(std::move(r)) {}
  std::optional<serving::Request> next() override {
    if (i_ == r_.size()) return std::nullopt;
    return r_[i_++];
  }

 private:
  std::vector<serving::Request> r_;
  std::size_t i_ = 0;
};

// n requests of `input` and `output` tokens, all arriving at t = 0.
inline std::vector<serving::Request> at_zero(int n, long long input, long long output) {
  std::vector<serving::Request> out;
  for (int i = 0; i < n; ++i) out.push_back({i, 0.0, input, output});
  return out;
}

}  // namespace infersim::test

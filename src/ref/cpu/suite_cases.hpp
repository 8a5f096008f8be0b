#pragma once
// Internal to the suite: one plain struct per kind of case, and the function that measures it.
// Working sets of the memory-bound kinds are sized well above the last-level cache by the case lists.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "ref/base/work_counts.hpp"
#include "ref/cpu/attention.hpp"
#include "ref/cpu/suite.hpp"

namespace infersim::ref::suite {

struct GemmCase {
  std::string name;
  int m, n, k;
};
struct LinearCase {
  std::string name;
  int rows, n_out, k_in;
};  // decode GEMV / skinny GEMM
struct DecodeCase {
  std::string name;
  AttentionShape shape;
  int context;
};
struct PrefillCase {
  std::string name;
  AttentionShape shape;
  int seq;
};
struct NormCase {
  std::string name;
  int rows, hidden;
};
struct MlpCase {
  std::string name;
  int tokens, hidden, ffn;
};
struct TriadCase {
  std::string name;
  std::size_t n;
};

MeasuredRow measure(const GemmCase& c, const SuiteContext& context);
MeasuredRow measure(const LinearCase& c, const SuiteContext& context);
MeasuredRow measure(const DecodeCase& c, const SuiteContext& context);
MeasuredRow measure(const PrefillCase& c, const SuiteContext& context);
MeasuredRow measure(const NormCase& c, const SuiteContext& context);
MeasuredRow measure(const MlpCase& c, const SuiteContext& context);
MeasuredRow measure(const TriadCase& c, const SuiteContext& context);

// Times kernel under the context's options, flushing caches first when cold is true and the context
// has a flusher, and fills in the row.
MeasuredRow timed_row(const std::string& name, Family family, const std::string& shape, const Work& work,
                      const std::function<void()>& kernel, bool cold, const SuiteContext& context);

}  // namespace infersim::ref::suite

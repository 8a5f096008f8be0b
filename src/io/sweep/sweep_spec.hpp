#pragma once
// A sweep's axes: each a configuration column and the values it takes, in the order given (the last
// axis varies fastest). From a spec YAML (every key a column, its value a list or a range
// {from, to, mul} / {from, to, step}) or from the command line's comma lists.
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace infersim {

struct SweepAxis {
  std::string key;
  std::vector<std::string> values;
};

struct SweepSpec {
  std::string origin;  // the spec file, or "the command line"
  std::vector<SweepAxis> axes;
};

// Every axis a sweep can vary: the files (model, hardware, runtime) and every value of a scenario that
// estimate takes as a flag (io/config/scenario_text.hpp), by their CSV column names. The first thirteen keep
// their places (flags given on the command line become axes in this order).
inline constexpr std::array<std::string_view, 28> kSweepKeys = {"model",
                                                                "hardware",
                                                                "batch",
                                                                "input_tokens",
                                                                "output_tokens",
                                                                "tp",
                                                                "pp",
                                                                "ep",
                                                                "dp",
                                                                "micro_batches",
                                                                "weights",
                                                                "activations",
                                                                "kv",
                                                                "runtime",
                                                                "attention",
                                                                "mla",
                                                                "moe_skew",
                                                                "comm_overlap",
                                                                "quant",
                                                                "group_size",
                                                                "scale_dtype",
                                                                "zero_point",
                                                                "quantize_embeddings",
                                                                "kv_window",
                                                                "kv_sinks",
                                                                "attention_dp",
                                                                "moe_tp",
                                                                "moe_routing"};

// Throws ConfigError naming the file, the line and the key.
[[nodiscard]] SweepSpec load_sweep_spec(const std::string& path);
// The same from text already read; `path` names it in errors (the fuzz target's entry point).
[[nodiscard]] SweepSpec load_sweep_spec_text(const std::string& text, const std::string& path);

// "1,2,4" -> {"1", "2", "4"}; empty items are an InputError naming the flag.
[[nodiscard]] std::vector<std::string> split_list(const std::string& flag, const std::string& text);

}  // namespace infersim

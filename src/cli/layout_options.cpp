#include "cli/layout_options.hpp"

#include <fmt/format.h>

#include "io/config/scenario_text.hpp"

namespace infersim {

void add_layout_options(CLI::App& command, LayoutOptions& o) {
  command.add_option("--tp", o.tp, "tensor-parallel devices (split heads, MLP and vocabulary)")
      ->type_name("N")
      ->capture_default_str();
  command.add_option("--pp", o.pp, "pipeline stages (layers split into N; uneven splits allowed)")
      ->type_name("N")
      ->capture_default_str();
  command.add_option("--ep", o.ep, "expert-parallel ways inside the tp devices (MoE; must divide --tp)")
      ->type_name("N")
      ->capture_default_str();
  command.add_option("--dp", o.dp, "independent replicas (throughput scales, latency does not)")
      ->type_name("N")
      ->capture_default_str();
  command
      .add_option(
          "--attention-dp", o.attention_dp,
          "MoE: N devices each run attention (and every layer but the routed experts) whole on "
          "their own requests, and split the experts N ways (TensorRT-LLM enable_attention_dp, SGLang "
          "--enable-dp-attention); with --tp 1 and --ep 1")
      ->type_name("N")
      ->capture_default_str();
  command
      .add_option("--moe-tp", o.moe_tp,
                  "with --attention-dp: split each routed expert's FFN N ways among the ranks and the "
                  "experts attention-dp / N ways (TensorRT-LLM moe_tp_size; its default when no expert "
                  "parallelism is given is N = --attention-dp)")
      ->type_name("N")
      ->capture_default_str();
  command.add_option("--micro-batches", o.micro_batches, "pipeline micro-batches the batch is split into")
      ->type_name("M")
      ->capture_default_str();
  // Ranges in help texts come from the constants the checks use (io/config/scenario_text.hpp).
  command
      .add_option("--comm-overlap", o.comm_overlap,
                  fmt::format("share of communication hidden behind compute, in [0, {}]", kMaxCommOverlap))
      ->type_name("F")
      ->capture_default_str();
}

}  // namespace infersim

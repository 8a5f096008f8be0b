#include "cli/layout_options.hpp"

#include <fmt/format.h>

#include "cli/cli_values.hpp"
#include "core/errors.hpp"

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
  command.add_option("--micro-batches", o.micro_batches, "pipeline micro-batches the batch is split into")
      ->type_name("M")
      ->capture_default_str();
  command
      .add_option("--comm-overlap", o.comm_overlap, "share of communication hidden behind compute, [0, 1)")
      ->type_name("F")
      ->capture_default_str();
}

Layout layout_from(const LayoutOptions& o) {
  Layout l;
  l.tp = static_cast<int>(positive_integer_flag("--tp", o.tp, kMaxDevices));
  l.pp = static_cast<int>(positive_integer_flag("--pp", o.pp, kMaxDevices));
  l.ep = static_cast<int>(positive_integer_flag("--ep", o.ep, kMaxDevices));
  l.dp = static_cast<int>(positive_integer_flag("--dp", o.dp, kMaxDevices));
  l.micro_batches = static_cast<int>(positive_integer_flag("--micro-batches", o.micro_batches, kMaxDevices));
  l.comm_overlap = nonnegative_real_flag("--comm-overlap", o.comm_overlap, 0.99);
  const long long devices = static_cast<long long>(l.dp) * l.tp * l.pp;  // each <= 10^6: no overflow here
  if (devices > kMaxDevices) {
    throw InputError(fmt::format("--dp x --tp x --pp must be at most {} devices, got {} x {} x {} = {}",
                                 kMaxDevices, l.dp, l.tp, l.pp, devices));
  }
  return l;
}

}  // namespace infersim

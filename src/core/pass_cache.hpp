#pragma once
// Internal to the estimate: the passes of the configurations estimated last, kept in the caller's
// EstimateScratch so that neighbouring configurations of a sweep that share a pass build and time it
// once. An entry serves only inputs equal to its own, bit for bit, and holds what the estimate computed
// from them: every estimate is the same with or without the entries.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/layout.hpp"
#include "core/model_spec.hpp"
#include "core/operator.hpp"
#include "core/operators.hpp"
#include "core/phase.hpp"
#include "core/phase_result.hpp"
#include "core/roofs.hpp"

namespace infersim::detail {

// A pass's inputs besides the model and the roofs (PassShape less the stage, which the layout gives).
struct PassKey {
  double batch = 1.0;          // the micro-batch
  double prompt_tokens = 1.0;  // the decode step's is the default: it ignores the prompt
  TensorFormats formats;
  AttentionKernel attention = AttentionKernel::fused;
  MlaDecode mla = MlaDecode::absorbed;
  MoeRouting moe_routing = MoeRouting::uniform;
  double moe_skew = 0.0;
  double sampler_fp32_passes = 0.0;
  Layout layout;
};

// Equal bit for bit (so -0 differs from 0), every field.
[[nodiscard]] bool same_pass(const PassKey& a, const PassKey& b);
// A hash of every field's bits: keys that same_pass finds equal hash equal, so a lookup compares whole
// keys only where the hashes agree.
[[nodiscard]] std::uint64_t pass_hash(const PassKey& k);
[[nodiscard]] bool same_roofs(const Roofs& a, const Roofs& b);

// The prefill of every stage and the sends between them, timed: e.prefill and the slowest stage's part.
struct PrefillEntry {
  bool ready = false;      // filled whole
  std::uint64_t hash = 0;  // pass_hash(key)
  PassKey key;
  Roofs roofs;
  ModelSpec model;
  bool keep_operators = false;
  PhaseResult prefill;
  double max_stage_s = 0.0;
};

// One stage's device in a decode step: its shard, its operators, and its sizes that no length changes.
struct DecodeStage {
  ModelSpec shard;
  std::vector<Operator> ops;
  std::vector<DecodeOpTerms> terms;  // of ops under the entry's timed_roofs
  DecodeTotals totals;               // of ops under the entry's timed_roofs
  double weight_bytes = 0.0;
  double kv_bytes_per_token = 0.0;
};

// The decode step's operators for every stage, and the whole model's sizes in the same formats.
struct DecodeEntry {
  bool ready = false;      // filled whole
  std::uint64_t hash = 0;  // pass_hash(key)
  PassKey key;
  ModelSpec model;
  std::vector<DecodeStage> stages;
  bool timed = false;  // the stages' terms are those under timed_roofs
  Roofs timed_roofs;
  double params_total = 0.0;
  double params_active = 0.0;
  double weight_bytes = 0.0;
  double kv_bytes_per_token = 0.0;
};

// The last kCapacity entries, the oldest replaced first.
template <class Entry>
struct RecentEntries {
  static constexpr std::size_t kCapacity = 32;
  std::vector<Entry> entries;
  std::size_t next = 0;
  std::size_t last = 0;  // the entry found or filled last: a sweep's next configuration most often wants it

  // The entry of key hash `hash` that `same` accepts, or none; the last one used is asked first.
  template <class Same>
  Entry* find(std::uint64_t hash, Same&& same) {
    const auto accepts = [&](const Entry& e) { return e.ready && e.hash == hash && same(e); };
    if (last < entries.size() && accepts(entries[last])) return &entries[last];
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (i != last && accepts(entries[i])) {
        last = i;
        return &entries[i];
      }
    }
    return nullptr;
  }
  // A slot to fill (its storage reused), not ready until the caller has filled it.
  Entry& slot() {
    if (entries.size() < kCapacity) {
      last = entries.size();
      return entries.emplace_back();
    }
    last = next;
    Entry& e = entries[next];
    next = (next + 1) % kCapacity;
    e.ready = false;
    return e;
  }
};

}  // namespace infersim::detail

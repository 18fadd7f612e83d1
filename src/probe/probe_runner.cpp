#include "probe/probe_runner.hpp"

#include <algorithm>
#include <tuple>

#include "nn/gpt.hpp"
#include "probe/probe_inputs.hpp"
#include "probe/probe_registry.hpp"

namespace emlab::probe {

std::vector<ProbeScore> run_probes(nn::Gpt& model, const ProbeOptions& requested,
                                   train::TokenStream* held_out) {
  const ProbeOptions o = requested.resolved_for(model.config());
  ProbeInputs inputs(model, o, held_out);
  struct Measured {
    ProbeReads reads;
    ProbeScore score;
  };
  std::vector<Measured> measured;
  for (const ProbeKind& kind : probe_kinds()) {
    if (!o.wants(kind.name)) continue;
    if (kind.reads == ProbeReads::kHeldOutStream && held_out == nullptr) continue;
    kind.run(inputs, [&](const std::string& score, int layer, int head, double value) {
      measured.push_back({kind.reads, {score, layer, head, value, o.seed}});
    });
  }
  // Grouped by what they read, then head by head: the order in which they are stored.
  std::stable_sort(measured.begin(), measured.end(), [](const Measured& a, const Measured& b) {
    return std::tie(a.reads, a.score.layer, a.score.head) <
           std::tie(b.reads, b.score.layer, b.score.head);
  });
  std::vector<ProbeScore> out;
  out.reserve(measured.size());
  for (Measured& m : measured) out.push_back(std::move(m.score));
  return out;
}

}  // namespace emlab::probe

#include "probe/probe_options.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.hpp"
#include "probe/probe_registry.hpp"
#include "tasks/alphabet.hpp"

namespace emlab::probe {

bool ProbeOptions::wants(const std::string& name) const {
  return probes.empty() || std::find(probes.begin(), probes.end(), name) != probes.end();
}

void ProbeOptions::validate() const {
  for (const std::string& p : probes)
    require(find_probe(p) != nullptr, "probe '{}': unknown; the probes are {}", p,
            fmt::join(probe_names(), ", "));
  require(block == 0 || block >= 2, "probe block: must be at least 2 tokens (got {})", block);
  require(repeats >= 2, "probe repeats: must be at least 2 (got {})", repeats);
  require(rows >= 1, "probe rows: must be at least 1 (got {})", rows);
  require(icl_rows >= 1, "probe icl_rows: must be at least 1 (got {})", icl_rows);
}

ProbeOptions ProbeOptions::resolved_for(const nn::ModelConfig& model) const {
  validate();
  ProbeOptions r = *this;
  const bool task_alphabet = model.vocab_size == tasks::kVocabSize;
  if (r.first_token < 0) r.first_token = task_alphabet ? tasks::tok::kLetterA : 0;
  if (r.last_token < 0)
    r.last_token = task_alphabet ? tasks::tok::kLetterA + 25 : model.vocab_size - 1;
  require(r.first_token <= r.last_token && r.last_token < model.vocab_size,
          "probe tokens {}..{}: outside the model's vocabulary 0..{}", r.first_token, r.last_token,
          model.vocab_size - 1);
  const int range = r.last_token - r.first_token + 1;
  if (r.block == 0) r.block = std::min(range, model.context / r.repeats);
  require(r.block >= 2, "probe block: a context of {} holds no block of 2 tokens repeated {} times",
          model.context, r.repeats);
  require(r.block * r.repeats <= model.context,
          "probe batch: {} tokens repeated {} times make {} positions, longer than the model's "
          "context of {}",
          r.block, r.repeats, r.block * r.repeats, model.context);
  require(r.block <= range, "probe block: {} distinct tokens do not fit in token ids {}..{}",
          r.block, r.first_token, r.last_token);
  return r;
}

}  // namespace emlab::probe

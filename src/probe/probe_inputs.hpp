#pragma once
// What the probes of one checkpoint read, each made at most once and shared between them: the
// repeated-block probe batch, the head scores of its attention (one forward pass serves every
// head probe) and the held-out stream.
#include <optional>
#include <vector>

#include "probe/head_scores.hpp"
#include "probe/probe_options.hpp"
#include "probe/repeated_blocks.hpp"

namespace emlab::nn {
class Gpt;
}
namespace emlab::train {
class TokenStream;
}

namespace emlab::probe {

class ProbeInputs {
 public:
  // options: resolved for the model (ProbeOptions::resolved_for); held_out may be null.
  ProbeInputs(nn::Gpt& model, const ProbeOptions& options, train::TokenStream* held_out)
      : model_(model), options_(options), held_out_(held_out) {}

  nn::Gpt& model() { return model_; }
  const ProbeOptions& options() const { return options_; }
  // Sequences of the training distribution the model did not see; null when none was given.
  train::TokenStream* held_out() { return held_out_; }
  const RepeatedBlocks& blocks();
  // One head's scores on the probe batch, averaged over its rows.
  const HeadScores& head_scores(int layer, int head);

 private:
  nn::Gpt& model_;
  const ProbeOptions options_;
  train::TokenStream* held_out_;
  std::optional<RepeatedBlocks> blocks_;
  std::vector<std::vector<HeadScores>> head_scores_;  // [layer][head]; empty until asked
};

}  // namespace emlab::probe

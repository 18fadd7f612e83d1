#pragma once
// What knocking out heads or branches does to a model (emlab probe --ablate): its held-out loss,
// its losses on the repeated-block probe batch and every metric of the chosen tasks, measured
// intact and ablated on the same sequences and examples.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nn/ablation.hpp"
#include "probe/probe_options.hpp"

namespace emlab::nn {
class Gpt;
}
namespace emlab::train {
class TokenStream;
}

namespace emlab::probe {

struct AblationSetup {
  nn::Ablation ablation;
  std::vector<std::string> tasks;  // task specs whose metrics to compare
  int examples = 200;              // per task
  // A fresh held-out stream of the training distribution: the same sequences on every call, so
  // the intact and the ablated model see the same ones.
  std::function<std::unique_ptr<train::TokenStream>()> held_out;
};

struct AblationMeasure {
  std::string name;  // "held-out loss", "repeat_loss_first", "copy(length=4) exact_match"
  double intact = 0, ablated = 0;
};

struct AblationComparison {
  std::string ablation;  // "zero-ablated L1H2, L0.attn"
  std::vector<AblationMeasure> measures;
};

// options: resolved for the model (ProbeOptions::resolved_for); batches are the model's max
// batch. Throws emlab::Error when the ablation names a part the model lacks. Leaves the model
// unablated.
AblationComparison compare_ablation(nn::Gpt& model, const ProbeOptions& options,
                                    AblationSetup setup);

}  // namespace emlab::probe

#pragma once
// Runs the chosen probes of the table (probe_registry.hpp) on one model: head scores on a
// repeated-block batch (from the very attention the model trains with), OV copying scores from
// the weights, and the context losses.
#include <vector>

#include "probe/probe_options.hpp"
#include "probe/probe_score.hpp"

namespace emlab::nn {
class Gpt;
}
namespace emlab::train {
class TokenStream;
}

namespace emlab::probe {

// held_out feeds the probes that read held-out sequences (the in-context score: sequences of the
// training distribution the model did not see); without it they are skipped. Head scores have
// layer and head set; per-model numbers (icl_score, icl_loss_early/late, icl_position_early/late,
// repeat_loss_first/repeated) have both -1. Every score carries options.seed. Throws
// emlab::Error for options that do not fit.
std::vector<ProbeScore> run_probes(nn::Gpt& model, const ProbeOptions& options,
                                   train::TokenStream* held_out);

}  // namespace emlab::probe

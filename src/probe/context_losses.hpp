#pragma once
// Losses that show whether a model uses its context. The in-context-learning score (Olsson et
// al. 2022) is the loss late in the context minus the loss early in it, on held-out sequences of
// the training distribution with every next token scored (as in text, even when the stream trains
// on answers only): their tokens 500 and 50 of 512, scaled to the model's context.
// Negative when later tokens are predicted better because of what came before.
#include <cstdint>

#include "probe/repeated_blocks.hpp"

namespace emlab::nn {
class Gpt;
}
namespace emlab::train {
class TokenStream;
}

namespace emlab::probe {

struct InContextLosses {
  int early_position = 0, late_position = 0;  // 0-based positions whose losses are compared
  double early_loss = 0, late_loss = 0;       // mean over the rows that score them
  int rows = 0;
  double score() const { return late_loss - early_loss; }
};

// Positions round(T·50/512) and round(T·500/512) (at most T-2) for a context of T tokens.
InContextLosses in_context_positions(int context);
// Draws `rows` sequences of the model's full context from `stream` and measures both losses.
// Throws emlab::Error when no row scores one of the two positions.
InContextLosses in_context_losses(nn::Gpt& model, train::TokenStream& stream, int rows);

// Mean loss on the first copy of each block (whose tokens are unpredictable) and on the later
// copies (which an induction head can copy), over the batch.
struct RepeatLosses {
  double first = 0, repeated = 0;
};
RepeatLosses repeat_losses(nn::Gpt& model, const RepeatedBlocks& blocks);

}  // namespace emlab::probe

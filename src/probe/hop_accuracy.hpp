#pragma once
// Per-k accuracy on the hops stream (train/hop_stream.hpp): held-out strings, each asked for every
// k = 0..max_hops, the model's most likely token compared with the label at every labelled
// position. What the depth study reads (Sanford, Hsu & Telgarsky 2024 score every position too).
#include <cstdint>
#include <vector>

namespace emlab::nn {
class Gpt;
}
namespace emlab::train {
class HopStream;
}

namespace emlab::probe {

struct HopAccuracy {
  std::vector<double> accuracy;    // [k]: share of labelled positions predicted right
  std::vector<int64_t> positions;  // [k]: labelled positions scored
};

// Draws `rows` strings of the model's context from `stream` (which then moves on).
HopAccuracy hop_accuracy(nn::Gpt& model, train::HopStream& stream, int rows);

}  // namespace emlab::probe

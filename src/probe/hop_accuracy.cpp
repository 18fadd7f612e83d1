#include "probe/hop_accuracy.hpp"

#include <algorithm>

#include "nn/gpt.hpp"
#include "train/hop_stream.hpp"

namespace emlab::probe {

HopAccuracy hop_accuracy(nn::Gpt& model, train::HopStream& stream, int rows) {
  const int T = model.config().context, V = model.config().vocab_size;
  const int ks = stream.max_hops() + 1;
  HopAccuracy out{std::vector<double>(size_t(ks), 0.0), std::vector<int64_t>(size_t(ks), 0)};
  std::vector<int64_t> correct(size_t(ks), 0);
  std::vector<int32_t> tokens, targets;
  for (int first = 0; first < rows; first += model.max_batch()) {
    const int B = std::min(model.max_batch(), rows - first);
    tokens.resize(size_t(B) * T);
    targets.resize(tokens.size());
    stream.next_batch(B, T, tokens.data(), targets.data());
    // Every k on the same strings, so the ks differ only in what is asked.
    for (int k = 0; k < ks; ++k) {
      for (int b = 0; b < B; ++b)
        stream.ask_hops(k, T, tokens.data() + size_t(b) * T, targets.data() + size_t(b) * T);
      model.forward(tokens.data(), targets.data(), B, T);
      const float* logits = model.logits();
      for (size_t at = 0; at < targets.size(); ++at) {
        if (targets[at] < 0) continue;
        const float* row = logits + at * size_t(V);
        const auto predicted = std::max_element(row, row + V) - row;
        correct[size_t(k)] += predicted == targets[at] ? 1 : 0;
        ++out.positions[size_t(k)];
      }
    }
  }
  for (int k = 0; k < ks; ++k)
    if (out.positions[size_t(k)] > 0)
      out.accuracy[size_t(k)] = double(correct[size_t(k)]) / double(out.positions[size_t(k)]);
  return out;
}

}  // namespace emlab::probe

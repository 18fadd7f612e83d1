#include "probe/probe_inputs.hpp"

#include <algorithm>

#include "nn/gpt.hpp"

namespace emlab::probe {

namespace {

// Head scores of every layer, averaged over the batch, run in pieces of the model's max batch.
std::vector<std::vector<HeadScores>> attention_scores(nn::Gpt& model, const RepeatedBlocks& b) {
  const nn::ModelConfig& c = model.config();
  const int T = b.length();
  std::vector<std::vector<HeadScores>> total(static_cast<size_t>(c.layers),
                                             std::vector<HeadScores>(static_cast<size_t>(c.heads)));
  for (int r0 = 0; r0 < b.rows; r0 += model.max_batch()) {
    const int B = std::min(model.max_batch(), b.rows - r0);
    model.forward(b.tokens.data() + static_cast<size_t>(r0) * T, nullptr, B, T);
    const double weight = static_cast<double>(B) / b.rows;
    for (int l = 0; l < c.layers; ++l) {
      const auto part = score_heads(model.attention(l), B, c.heads, b.block, b.repeats);
      for (int h = 0; h < c.heads; ++h) {
        HeadScores& t = total[static_cast<size_t>(l)][static_cast<size_t>(h)];
        const HeadScores& p = part[static_cast<size_t>(h)];
        t.previous_token += weight * p.previous_token;
        t.induction += weight * p.induction;
        t.induction_mul += weight * p.induction_mul;
        t.duplicate_token += weight * p.duplicate_token;
      }
    }
  }
  return total;
}

}  // namespace

const RepeatedBlocks& ProbeInputs::blocks() {
  if (!blocks_)
    blocks_ = make_repeated_blocks(options_.rows, options_.block, options_.repeats,
                                   options_.first_token, options_.last_token, options_.seed);
  return *blocks_;
}

const HeadScores& ProbeInputs::head_scores(int layer, int head) {
  if (head_scores_.empty()) head_scores_ = attention_scores(model_, blocks());
  return head_scores_.at(static_cast<size_t>(layer)).at(static_cast<size_t>(head));
}

}  // namespace emlab::probe

#include "probe/probe_runner.hpp"

#include <algorithm>

#include "nn/gpt.hpp"
#include "probe/context_losses.hpp"
#include "probe/copying_score.hpp"
#include "probe/head_scores.hpp"
#include "probe/repeated_blocks.hpp"

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

std::vector<ProbeScore> run_probes(nn::Gpt& model, const ProbeOptions& requested,
                                   train::TokenStream* held_out) {
  const ProbeOptions o = requested.resolved_for(model.config());
  const nn::ModelConfig& c = model.config();
  std::vector<ProbeScore> out;
  auto add = [&](const char* name, int layer, int head, double value) {
    out.push_back({name, layer, head, value, o.seed});
  };
  const bool heads =
      o.wants("previous_token") || o.wants("induction") || o.wants("duplicate_token");
  if (heads || o.wants("repeat_loss")) {
    const RepeatedBlocks blocks =
        make_repeated_blocks(o.rows, o.block, o.repeats, o.first_token, o.last_token, o.seed);
    if (heads) {
      const auto scores = attention_scores(model, blocks);
      for (int l = 0; l < c.layers; ++l)
        for (int h = 0; h < c.heads; ++h) {
          const HeadScores& s = scores[static_cast<size_t>(l)][static_cast<size_t>(h)];
          if (o.wants("previous_token")) add("previous_token", l, h, s.previous_token);
          if (o.wants("induction")) {
            add("induction", l, h, s.induction);
            add("induction_mul", l, h, s.induction_mul);
          }
          if (o.wants("duplicate_token")) add("duplicate_token", l, h, s.duplicate_token);
        }
    }
    if (o.wants("repeat_loss")) {
      const RepeatLosses r = repeat_losses(model, blocks);
      add("repeat_loss_first", -1, -1, r.first);
      add("repeat_loss_repeated", -1, -1, r.repeated);
    }
  }
  if (o.wants("copying"))
    for (int l = 0; l < c.layers; ++l) {
      const auto scores = head_copying_scores(model, l);
      for (int h = 0; h < c.heads; ++h) add("copying", l, h, scores[static_cast<size_t>(h)]);
    }
  if (o.wants("icl") && held_out != nullptr) {
    const InContextLosses icl = in_context_losses(model, *held_out, o.icl_rows);
    add("icl_score", -1, -1, icl.score());
    add("icl_loss_early", -1, -1, icl.early_loss);
    add("icl_loss_late", -1, -1, icl.late_loss);
    add("icl_position_early", -1, -1, icl.early_position);
    add("icl_position_late", -1, -1, icl.late_position);
  }
  return out;
}

}  // namespace emlab::probe

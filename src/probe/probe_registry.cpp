#include "probe/probe_registry.hpp"

#include <algorithm>

#include "nn/ablation.hpp"
#include "nn/gpt.hpp"
#include "probe/context_losses.hpp"
#include "probe/copying_score.hpp"
#include "probe/hop_accuracy.hpp"
#include "train/hop_stream.hpp"

namespace emlab::probe {

namespace {

// The head probes read one number each off the shared head scores of the probe batch.
template <typename Read>
void each_head(ProbeInputs& in, const Read& read) {
  const nn::ModelConfig& c = in.model().config();
  for (int l = 0; l < c.layers; ++l)
    for (int h = 0; h < c.heads; ++h) read(l, h, in.head_scores(l, h));
}

void run_previous_token(ProbeInputs& in, const EmitScore& emit) {
  each_head(in, [&](int l, int h, const HeadScores& s) {
    emit("previous_token", l, h, s.previous_token);
  });
}

void run_induction(ProbeInputs& in, const EmitScore& emit) {
  each_head(in, [&](int l, int h, const HeadScores& s) {
    emit("induction", l, h, s.induction);
    emit("induction_mul", l, h, s.induction_mul);
  });
}

void run_duplicate_token(ProbeInputs& in, const EmitScore& emit) {
  each_head(in, [&](int l, int h, const HeadScores& s) {
    emit("duplicate_token", l, h, s.duplicate_token);
  });
}

void run_copying(ProbeInputs& in, const EmitScore& emit) {
  for (int l = 0; l < in.model().config().layers; ++l) {
    const std::vector<double> scores = head_copying_scores(in.model(), l);
    for (size_t h = 0; h < scores.size(); ++h) emit("copying", l, static_cast<int>(h), scores[h]);
  }
}

void run_icl(ProbeInputs& in, const EmitScore& emit) {
  const InContextLosses icl = in_context_losses(in.model(), *in.held_out(), in.options().icl_rows);
  emit("icl_score", -1, -1, icl.score());
  emit("icl_loss_early", -1, -1, icl.early_loss);
  emit("icl_loss_late", -1, -1, icl.late_loss);
  emit("icl_position_early", -1, -1, icl.early_position);
  emit("icl_position_late", -1, -1, icl.late_position);
}

// Only a hops stream has hops to ask for: on other streams the probe measures nothing.
void run_hop_accuracy(ProbeInputs& in, const EmitScore& emit) {
  auto* hops = dynamic_cast<train::HopStream*>(in.held_out());
  if (hops == nullptr) return;
  const HopAccuracy a = hop_accuracy(in.model(), *hops, in.options().icl_rows);
  for (size_t k = 0; k < a.accuracy.size(); ++k) {
    emit(hop_accuracy_score(int(k)), -1, -1, a.accuracy[k]);
    emit(hop_positions_score(int(k)), -1, -1, double(a.positions[k]));
  }
}

void run_repeat_loss(ProbeInputs& in, const EmitScore& emit) {
  const RepeatLosses r = repeat_losses(in.model(), in.blocks());
  emit("repeat_loss_first", -1, -1, r.first);
  emit("repeat_loss_repeated", -1, -1, r.repeated);
}

void run_induction_chance(ProbeInputs& in, const EmitScore& emit) {
  emit("induction_chance", -1, -1,
       uniform_induction_score(in.options().block, in.options().repeats));
}

// The repeated-copy loss with one layer's attention replaced by its mean over the probe batch,
// layer by layer: a layer that copies takes the loss back up towards the first copy's.
void run_layer_ablation(ProbeInputs& in, const EmitScore& emit) {
  nn::Gpt& model = in.model();
  const RepeatedBlocks& blocks = in.blocks();
  const int rows = std::min(blocks.rows, model.max_batch());
  for (int l = 0; l < model.config().layers; ++l) {
    nn::Ablation ablation(nn::Ablation::Mode::kMean, {}, {l}, {});
    ablation.measure_means(model, blocks.tokens.data(), rows, blocks.length());
    model.set_ablation(std::move(ablation));
    const double repeated = repeat_losses(model, blocks).repeated;
    model.clear_ablation();
    emit("repeat_loss_ablated", l, -1, repeated);
  }
}

std::vector<std::string> hop_score_names() {
  std::vector<std::string> names;
  for (int k = 0; k <= train::HopStream::kMaxHops; ++k) {
    names.push_back(hop_accuracy_score(k));
    names.push_back(hop_positions_score(k));
  }
  return names;
}

}  // namespace

std::string hop_accuracy_score(int k) {
  return "hop_accuracy_k" + std::to_string(k);
}
std::string hop_positions_score(int k) {
  return "hop_positions_k" + std::to_string(k);
}

const std::vector<ProbeKind>& probe_kinds() {
  using enum ProbeScope;
  using enum ProbeReads;
  static const std::vector<ProbeKind> kinds = {
      {"previous_token", kHead, kProbeBatchAttention, {"previous_token"}, run_previous_token},
      {"induction", kHead, kProbeBatchAttention, {"induction", "induction_mul"}, run_induction},
      {"duplicate_token", kHead, kProbeBatchAttention, {"duplicate_token"}, run_duplicate_token},
      {"copying", kHead, kWeights, {"copying"}, run_copying},
      {"icl",
       kModel,
       kHeldOutStream,
       {"icl_score", "icl_loss_early", "icl_loss_late", "icl_position_early", "icl_position_late"},
       run_icl},
      {"repeat_loss",
       kModel,
       kProbeBatchLoss,
       {"repeat_loss_first", "repeat_loss_repeated"},
       run_repeat_loss},
      {"induction_chance",
       kModel,
       kProbeBatchAttention,
       {"induction_chance"},
       run_induction_chance},
      {"layer_ablation", kLayer, kProbeBatchLoss, {"repeat_loss_ablated"}, run_layer_ablation},
      {"hop_accuracy", kModel, kHeldOutStream, hop_score_names(), run_hop_accuracy},
  };
  return kinds;
}

const std::vector<std::string>& probe_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const ProbeKind& k : probe_kinds()) out.push_back(k.name);
    return out;
  }();
  return names;
}

const ProbeKind* find_probe(const std::string& name) {
  for (const ProbeKind& k : probe_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

bool needs_held_out(const ProbeOptions& options) {
  for (const ProbeKind& k : probe_kinds())
    if (k.reads == ProbeReads::kHeldOutStream && options.wants(k.name)) return true;
  return false;
}

}  // namespace emlab::probe

// Induction heads form in a 2-layer attention-only model and not in a 1-layer one (Olsson et al.
// 2022), on the in-context Markov chains of Edelman et al. (2024): each row follows its own random
// chain, so only earlier occurrences of the current token tell what may follow it. The probe's
// blocks of distinct tokens repeated twice never occur in training. This test trains real models
// (about a minute and a half on 2 cores) and can fail: it is the claim on a small model, not a
// formula.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "probe/probe_runner.hpp"
#include "train/trainer.hpp"

namespace emlab {
namespace {

struct Outcome {
  double best_induction = 0;  // the best head of any layer
  double loss_first = 0, loss_repeated = 0;
};

Outcome train_and_probe(int layers) {
  train::TrainConfig c;
  c.model.vocab_size = 16;
  c.model.context = 64;
  c.model.width = 64;
  c.model.layers = layers;
  c.model.heads = 2;
  c.model.mlp_width = 0;  // attention only
  c.optim.learning_rate = 3e-3f;
  c.optim.warmup_steps = 100;
  c.optim.min_lr_ratio = 1.0f;  // constant after warmup
  c.data.task = "markov";
  c.data.successors = 2;
  c.batch_size = 32;
  c.steps = 2000;  // the heads form near step 900 (measured: 0.2 at 750, 0.6 at 1000)
  c.seed = 1;
  c.threads = 2;  // fixed, so that the numbers do not depend on the machine's cores
  c.log_every = 0;
  train::Trainer trainer(c);
  EXPECT_EQ(trainer.run().status, train::RunStatus::kCompleted);

  probe::ProbeOptions options;
  options.probes = {"induction", "repeat_loss"};
  options.block = 16;  // every token once, then again
  const auto scores =
      probe::run_probes(trainer.model(), options.resolved_for(c.model), /*held_out=*/nullptr);
  Outcome o;
  for (const probe::ProbeScore& s : scores) {
    if (s.probe == "induction") o.best_induction = std::max(o.best_induction, s.value);
    if (s.probe == "repeat_loss_first") o.loss_first = s.value;
    if (s.probe == "repeat_loss_repeated") o.loss_repeated = s.value;
  }
  return o;
}

TEST(InductionFormation, TwoLayersFormAnInductionHeadAndOneLayerDoesNot) {
  const Outcome two = train_and_probe(2);
  EXPECT_GT(two.best_induction, 0.5);
  EXPECT_LT(two.loss_repeated, 0.5 * two.loss_first)
      << "first copy " << two.loss_first << ", repeated " << two.loss_repeated;

  // A single layer has no earlier head to compose with: its keys know only their own token.
  const Outcome one = train_and_probe(1);
  EXPECT_LT(one.best_induction, 0.2);
  EXPECT_GT(one.loss_repeated, 0.8 * one.loss_first)
      << "first copy " << one.loss_first << ", repeated " << one.loss_repeated;
}

}  // namespace
}  // namespace emlab

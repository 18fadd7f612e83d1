// The evaluator end to end: a tiny model trained briefly on in-context copying scores clearly
// above chance under every metric; the same model untrained sits at chance.
#include <gtest/gtest.h>

#include <algorithm>

#include "eval/evaluator.hpp"
#include "eval/task_summary.hpp"
#include "tasks/alphabet.hpp"
#include "tasks/factory.hpp"
#include "tasks/task_stream.hpp"
#include "train/trainer.hpp"

namespace emlab::eval {
namespace {

train::TrainConfig copy_config() {
  train::TrainConfig c;
  c.model = {.vocab_size = tasks::kVocabSize,
             .context = 32,
             .width = 64,
             .layers = 2,
             .heads = 4,
             .mlp_width = 128,
             .tied_embeddings = true};
  c.batch_size = 16;
  c.steps = 400;
  c.seed = 5;
  c.optim.learning_rate = 3e-3f;
  c.optim.warmup_steps = 20;
  c.log_every = 0;
  c.data.tasks = {"copy(length=5 symbols=10)"};
  return c;
}

std::unique_ptr<train::TokenStream> copy_stream(uint64_t seed) {
  tasks::MixtureConfig mixture;
  mixture.tasks = {tasks::parse_task_spec("copy(length=5 symbols=10)")};
  return tasks::make_task_stream(mixture, seed);
}

TEST(Evaluator, TrainedCopierBeatsChanceUntrainedSitsAtIt) {
  const auto task = tasks::make_task(tasks::parse_task_spec("copy(length=5 symbols=10)"));
  const EvalOptions options{.examples = 200, .seed = 3, .batch = 16, .samples = 4};
  SummaryOptions summary_options;
  summary_options.scoring.pass_k = {1, 4};

  train::Trainer untrained(copy_config(), copy_stream(1));
  const auto before =
      summarise_task(evaluate_task(untrained.model(), *task, options), summary_options);
  // Each answer token is one of 10 symbols (or <eos>): an untrained model guesses among 64.
  EXPECT_EQ(before.metric("exact_match").estimate.mean, 0.0);
  EXPECT_LT(before.metric("token_accuracy").estimate.mean, 0.2);
  EXPECT_LT(before.metric("mean_token_prob").estimate.mean, 0.05);

  train::Trainer trainer(copy_config(), copy_stream(1));
  ASSERT_EQ(trainer.run().status, train::RunStatus::kCompleted);
  const auto records = evaluate_task(trainer.model(), *task, options);
  ASSERT_EQ(records.size(), 200u);
  const auto after = summarise_task(records, summary_options);
  // Chance of an exact 5-symbol copy is 10^-5; the trained model copies most of them.
  EXPECT_GT(after.metric("exact_match").estimate.lower, 0.5);
  EXPECT_GT(after.metric("token_accuracy").estimate.mean, 0.8);
  EXPECT_GT(after.metric("mean_token_prob").estimate.mean, 0.5);
  EXPECT_GT(after.metric("pass@4").estimate.mean, 0.5);
  EXPECT_LT(after.metric("token_edit_distance").estimate.mean,
            before.metric("token_edit_distance").estimate.mean);
}

TEST(Evaluator, PassUntilSamplesUntilRPassesOrTheCap) {
  const auto task = tasks::make_task(tasks::parse_task_spec("copy(length=5 symbols=10)"));
  train::TrainConfig c = copy_config();
  c.steps = 150;  // part-trained: pass rates spread between 0 and 1
  train::Trainer trainer(c, copy_stream(1));
  trainer.run();
  const EvalOptions options{.examples = 40,
                            .seed = 3,
                            .batch = 16,
                            .samples = 2,
                            .pass_until_r = 2,
                            .pass_until_max = 48,
                            .pass_until_round = 8};
  const auto records = evaluate_task(trainer.model(), *task, options);
  int censored = 0;
  for (const auto& r : records) {
    ASSERT_GE(r.until_outcomes.size(), 2u);
    ASSERT_LE(r.until_outcomes.size(), 48u);
    for (size_t s = 0; s < r.samples.size(); ++s)
      EXPECT_EQ(r.until_outcomes[s], r.samples[s].passed) << "the fixed samples start the sequence";
    const auto passes = std::count(r.until_outcomes.begin(), r.until_outcomes.end(), true);
    if (r.until_outcomes.size() < 48u) {
      EXPECT_GE(passes, 2) << "sampling stopped before the cap only after r passes";
      // Stopped within one round of the r-th pass.
      const auto rth = std::find_if(r.until_outcomes.begin(), r.until_outcomes.end(),
                                    [seen = 0](bool p) mutable { return p && ++seen == 2; });
      EXPECT_LT(r.until_outcomes.end() - rth, 8 + 1);
    }
    if (passes < 2) ++censored;  // the cap came first
  }
  SummaryOptions summary_options;
  summary_options.scoring.pass_k = {1};
  const auto summary = summarise_task(records, summary_options);
  EXPECT_EQ(summary.metric("pass_until(r=2)").censored, static_cast<size_t>(censored));
}

TEST(Evaluator, MultipleChoiceRecordsCarryEveryChoice) {
  train::TrainConfig c = copy_config();
  const auto task = tasks::make_task(tasks::parse_task_spec("kb"));
  train::Trainer untrained(c, copy_stream(1));
  const auto records =
      evaluate_task(untrained.model(), *task, {.examples = 20, .seed = 1, .batch = 16});
  ASSERT_FALSE(records.empty());
  for (const auto& r : records) {
    EXPECT_GE(r.choice_logprobs.size(), 2u);
    EXPECT_GE(r.correct_choice, 0);
    EXPECT_LT(r.correct_choice, static_cast<int64_t>(r.choice_logprobs.size()));
  }
  const auto summary = summarise_task(records);
  EXPECT_TRUE(summary.metric("mc_grade").chance.has_value());
}

}  // namespace
}  // namespace emlab::eval

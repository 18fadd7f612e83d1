// Scoring whole records and aggregating a task: hand-computed means over small sets, chance levels
// and flags, sampled metrics, bad records, and the table and JSON forms.
#include <gtest/gtest.h>

#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "eval/example_metrics.hpp"
#include "eval/report.hpp"
#include "eval/task_summary.hpp"
#include "support/error_message.hpp"

namespace emlab::eval {
namespace {

using emlab::testing::error_message;

ExampleRecord generation(Tokens target, Tokens output) {
  ExampleRecord r;
  r.task = "add";
  r.prompt = {1, 2};
  r.target = std::move(target);
  r.output = std::move(output);
  return r;
}

ExampleRecord choice(std::vector<double> probs, int64_t correct) {
  ExampleRecord r;
  r.task = "mc";
  for (double& p : probs) p = std::log(p);
  r.choice_logprobs = std::move(probs);
  r.correct_choice = correct;
  return r;
}

std::vector<Sample> judged(const std::vector<int>& answers, int right) {
  std::vector<Sample> s;
  for (int a : answers) s.push_back({{a}, a == right});
  return s;
}

TEST(ScoreExample, GroupsFollowTheRecord) {
  ExampleRecord r = generation({5, 6, 7}, {5, 6, 8, 9});
  r.target_token_probs = {0.5, 0.5, 0.25};
  r.target_logprob = std::log(0.5 * 0.5 * 0.25);
  const auto m = score_example(r, {});
  ASSERT_TRUE(m.generation && m.likelihood);
  EXPECT_FALSE(m.choice || m.sampled);
  EXPECT_FALSE(m.generation->exact_match);
  EXPECT_DOUBLE_EQ(m.generation->token_accuracy, 0.5);  // 2 of max(4, 3)
  EXPECT_EQ(m.generation->edit_distance, 2u);           // substitute 8, delete 9
  EXPECT_DOUBLE_EQ(m.likelihood->mean_token_prob, 1.25 / 3);
  EXPECT_DOUBLE_EQ(m.likelihood->target_logprob, std::log(0.0625));

  const auto c = score_example(choice({0.1, 0.6, 0.3}, 1), {});
  ASSERT_TRUE(c.choice);
  EXPECT_FALSE(c.generation);
  EXPECT_DOUBLE_EQ(c.choice->grade, 1.0);
  EXPECT_NEAR(c.choice->brier, 0.01 + 0.16 + 0.09, 1e-12);
  EXPECT_NEAR(c.choice->prob_correct, 0.6, 1e-12);
  EXPECT_DOUBLE_EQ(c.choice->grade_normalised, 1.0);
  EXPECT_NEAR(c.choice->brier_skill, 1.0 - 0.26 / (2.0 / 3.0), 1e-12);
  EXPECT_NEAR(c.choice->prob_correct_normalised, (0.6 - 1.0 / 3) / (2.0 / 3), 1e-12);
}

TEST(SummariseTask, HandComputedGenerationSet) {
  // EM 1, 0, 0, 0; accuracy 1, 2/3, 0 (empty output), 0.6 (long output); edit 0, 1, 3, 2.
  const std::vector<ExampleRecord> records = {
      generation({1, 2, 3}, {1, 2, 3}), generation({1, 2, 3}, {1, 9, 3}), generation({1, 2, 3}, {}),
      generation({1, 2, 3}, {1, 2, 3, 4, 5})};
  const auto s = summarise_task(records);
  EXPECT_EQ(s.task, "add");
  EXPECT_EQ(s.records, 4u);
  const auto& em = s.metric("exact_match");
  EXPECT_DOUBLE_EQ(em.estimate.mean, 0.25);
  EXPECT_EQ(em.estimate.n, 4u);
  EXPECT_DOUBLE_EQ(em.estimate.resolution(), 0.25);
  EXPECT_DOUBLE_EQ(em.estimate.standard_error, 0.25);  // sd 0.5 over √4
  EXPECT_FALSE(em.continuous);
  EXPECT_FALSE(em.chance.has_value());
  EXPECT_DOUBLE_EQ(s.metric("token_accuracy").estimate.mean, (1 + 2.0 / 3 + 0 + 0.6) / 4);
  EXPECT_TRUE(s.metric("token_accuracy").continuous);
  EXPECT_DOUBLE_EQ(s.metric("token_edit_distance").estimate.mean, 1.5);
  EXPECT_FALSE(s.metric("token_edit_distance").higher_is_better);
  for (const auto& m : s.metrics) {
    EXPECT_LE(m.estimate.lower, m.estimate.mean) << m.name;
    EXPECT_GE(m.estimate.upper, m.estimate.mean) << m.name;
  }
  EXPECT_NE(error_message([&] { s.metric("brier"); }).find("has no metric 'brier'"),
            std::string::npos);
}

TEST(SummariseTask, AllCorrectAllWrongAndSingle) {
  const auto right = summarise_task(std::vector<ExampleRecord>(10, generation({4, 2}, {4, 2})));
  EXPECT_DOUBLE_EQ(right.metric("exact_match").estimate.mean, 1.0);
  EXPECT_DOUBLE_EQ(right.metric("exact_match").estimate.lower, 1.0);
  EXPECT_DOUBLE_EQ(right.metric("exact_match").estimate.upper, 1.0);
  EXPECT_DOUBLE_EQ(right.metric("exact_match").estimate.standard_error, 0.0);
  EXPECT_DOUBLE_EQ(right.metric("token_edit_distance").estimate.mean, 0.0);
  const auto wrong = summarise_task(std::vector<ExampleRecord>(10, generation({4, 2}, {2, 4})));
  EXPECT_DOUBLE_EQ(wrong.metric("exact_match").estimate.upper, 0.0);
  EXPECT_DOUBLE_EQ(wrong.metric("token_accuracy").estimate.mean, 0.0);
  EXPECT_DOUBLE_EQ(wrong.metric("token_edit_distance").estimate.mean, 2.0);
  const auto one = summarise_task({generation({4, 2}, {4, 3})});
  EXPECT_DOUBLE_EQ(one.metric("token_accuracy").estimate.mean, 0.5);
  EXPECT_DOUBLE_EQ(one.metric("token_accuracy").estimate.lower, 0.5);
  EXPECT_TRUE(std::isnan(one.metric("token_accuracy").estimate.standard_error));
  EXPECT_DOUBLE_EQ(one.metric("exact_match").estimate.resolution(), 1.0);
}

TEST(SummariseTask, MirageShapesFromAPerTokenModel) {
  // Each of L = 5 answer tokens is right with probability p, independently (substitutions only):
  // exact match ≈ p^L, token accuracy ≈ p, edit distance ≈ L·(1 − p) (Schaeffer et al. 2023).
  const size_t length = 5;
  for (double p : {0.5, 0.8, 0.95}) {
    Rng rng(42);
    std::vector<ExampleRecord> records;
    for (int i = 0; i < 4000; ++i) {
      Tokens target(length, 1), output(length, 1);
      for (auto& t : output)
        if (rng.uniform() >= static_cast<float>(p)) t = 2;
      records.push_back(generation(target, output));
    }
    SummaryOptions options;
    options.bootstrap.resamples = 200;
    const auto s = summarise_task(records, options);
    EXPECT_NEAR(s.metric("exact_match").estimate.mean, std::pow(p, 5.0), 0.025) << p;
    EXPECT_NEAR(s.metric("token_accuracy").estimate.mean, p, 0.015) << p;
    EXPECT_NEAR(s.metric("token_edit_distance").estimate.mean, 5 * (1 - p), 0.07) << p;
  }
}

TEST(SummariseTask, ChanceLevelsAndWorseThanChanceFlags) {
  // Uniform 4-way model: grade 1/4 (tie rule), Brier 3/4: exactly chance, not flagged.
  const auto flat =
      summarise_task({choice({0.25, 0.25, 0.25, 0.25}, 0), choice({0.25, 0.25, 0.25, 0.25}, 3)});
  EXPECT_DOUBLE_EQ(flat.metric("mc_grade").estimate.mean, 0.25);
  EXPECT_DOUBLE_EQ(*flat.metric("mc_grade").chance, 0.25);
  EXPECT_FALSE(flat.metric("mc_grade").worse_than_chance);
  EXPECT_NEAR(flat.metric("brier").estimate.mean, 0.75, 1e-12);
  EXPECT_NEAR(*flat.metric("brier").chance, 0.75, 1e-12);
  EXPECT_NEAR(flat.metric("brier_skill").estimate.mean, 0.0, 1e-12);
  EXPECT_NEAR(flat.metric("mc_grade_normalised").estimate.mean, 0.0, 1e-12);

  // Confidently wrong: grade 0, Brier (0.7² + 0.1² + 0.1² + 0.9²) = 1.32 > 0.75: flagged.
  const auto bad = summarise_task({choice({0.1, 0.7, 0.1, 0.1}, 0)});
  EXPECT_DOUBLE_EQ(bad.metric("mc_grade").estimate.mean, 0.0);
  EXPECT_TRUE(bad.metric("mc_grade").worse_than_chance);
  EXPECT_NEAR(bad.metric("brier").estimate.mean, 1.32, 1e-12);
  EXPECT_TRUE(bad.metric("brier").worse_than_chance);
  EXPECT_TRUE(bad.metric("brier_skill").worse_than_chance);
  EXPECT_NEAR(bad.metric("brier_skill").estimate.mean, 1 - 1.32 / 0.75, 1e-12);
  EXPECT_TRUE(bad.metric("prob_correct").worse_than_chance);

  // Mixed 2-way and 4-way: the chance level of the mean is the mean of 1/K = (1/2 + 1/4)/2.
  const auto mixed = summarise_task({choice({0.9, 0.1}, 0), choice({0.4, 0.2, 0.2, 0.2}, 1)});
  EXPECT_DOUBLE_EQ(*mixed.metric("mc_grade").chance, 0.375);
  EXPECT_DOUBLE_EQ(*mixed.metric("brier").chance, (0.5 + 0.75) / 2);
  EXPECT_DOUBLE_EQ(mixed.metric("mc_grade").estimate.mean, 0.5);
  // Normalised per example, then averaged: (1 + (0 − 1/4)/(3/4))/2 = 1/3.
  EXPECT_NEAR(mixed.metric("mc_grade_normalised").estimate.mean, 1.0 / 3, 1e-12);
}

TEST(SummariseTask, SampledMetrics) {
  std::vector<ExampleRecord> records(3, generation({7}, {7}));
  records[0].samples = judged({7, 7, 3, 7}, 7);  // 3 of 4 pass; vote 7
  records[1].samples = judged({3, 7, 3, 7}, 7);  // 2 of 4; vote tied 3/7, 3 sampled first
  records[2].samples = judged({3, 3, 3, 3}, 7);  // none; PassUntil censored
  SummaryOptions options;
  options.scoring.pass_k = {1, 2};
  options.scoring.pass_until_r = 2;
  const auto s = summarise_task(records, options);
  EXPECT_DOUBLE_EQ(s.metric("pass@1").estimate.mean, (0.75 + 0.5 + 0.0) / 3);
  // pass@2: 1 − C(1,2)/C(4,2) = 1; 1 − C(2,2)/C(4,2) = 5/6; 0.
  EXPECT_NEAR(s.metric("pass@2").estimate.mean, (1 + 5.0 / 6) / 3, 1e-12);
  // PassUntil r = 2: K = 2 -> 1; K = 4 -> 0.5; censored 0/4 -> 0. Unbiased: 1/1, 1/3, 0.
  const auto& pu = s.metric("pass_until(r=2)");
  EXPECT_DOUBLE_EQ(pu.estimate.mean, 0.5);
  EXPECT_EQ(pu.censored, 1u);
  EXPECT_NEAR(s.metric("pass_until_unbiased(r=2)").estimate.mean, (1 + 1.0 / 3) / 3, 1e-12);
  EXPECT_DOUBLE_EQ(s.metric("self_consistency").estimate.mean, 1.0 / 3);
  EXPECT_FALSE(s.metric("self_consistency").continuous);

  options.scoring.pass_k = {5};
  EXPECT_NE(error_message([&] {
              summarise_task(records, options);
            }).find("pass@k needs 1 <= k <= samples: k = 5, samples = 4"),
            std::string::npos);
}

TEST(SummariseTask, ScratchpadRecordsScoreTheFinalAnswerAndTheVotesGainIsPaired) {
  // "|" (21) ends the scratchpad; <eos> is 2. Target: steps 7, then answer 9.
  const Tokens target = {7, 21, 9, 2};
  auto pad = [&](Tokens output, std::vector<Tokens> drawn) {
    ExampleRecord r = generation(target, std::move(output));
    r.answer_separator = 21;
    for (Tokens& d : drawn) {
      const bool right = d.size() >= 3 && d[d.size() - 2] == 9 && d[d.size() - 3] == 21;
      r.samples.push_back({std::move(d), right});
    }
    return r;
  };
  const std::vector<ExampleRecord> records = {
      // greedy wrong steps, right answer: exact match 1; the vote elects 9 by other chains.
      pad({8, 21, 9, 2}, {{6, 21, 9, 2}, {5, 21, 9, 2}, {7, 21, 8, 2}}),
      // greedy wrong; the vote right: gain +1.
      pad({7, 21, 8, 2}, {{6, 21, 9, 2}, {7, 21, 8, 2}, {5, 21, 9, 2}}),
      // greedy right; the vote wrong: gain −1.
      pad({7, 21, 9, 2}, {{7, 21, 8, 2}, {6, 21, 8, 2}, {7, 21, 9, 2}}),
      // both wrong: gain 0.
      pad({7, 7, 2}, {{7, 7, 2}, {5, 21, 8, 2}, {6, 21, 6, 2}}),
  };
  SummaryOptions options;
  options.scoring.pass_k = {1};
  const auto s = summarise_task(records, options);
  EXPECT_DOUBLE_EQ(s.metric("exact_match").estimate.mean, 0.5);       // examples 1 and 3
  EXPECT_DOUBLE_EQ(s.metric("self_consistency").estimate.mean, 0.5);  // examples 1 and 2
  // Per example 0, +1, −1, 0: mean 0, sample standard deviation sqrt(2/3), so the paired
  // standard error is sqrt(2/3)/sqrt(4).
  const MetricSummary& gain = s.metric("self_consistency_gain");
  EXPECT_DOUBLE_EQ(gain.estimate.mean, 0.0);
  EXPECT_EQ(gain.estimate.n, 4u);
  EXPECT_NEAR(gain.estimate.standard_error, std::sqrt(2.0 / 3) / 2, 1e-12);
  EXPECT_FALSE(gain.continuous);
  // Judged whole (no separator), only example 3's output equals the target.
  std::vector<ExampleRecord> whole = records;
  for (ExampleRecord& r : whole) r.answer_separator = -1;
  for (ExampleRecord& r : whole)
    for (Sample& x : r.samples) x.passed = x.output == target;
  EXPECT_DOUBLE_EQ(summarise_task(whole, options).metric("exact_match").estimate.mean, 0.25);
}

TEST(SummariseTask, BadRecordsNameTheField) {
  EXPECT_NE(error_message([] { summarise_task({}); }).find("no records"), std::string::npos);

  auto separated = generation({7, 8, 2}, {7, 8, 2});
  separated.answer_separator = 21;
  EXPECT_NE(error_message([&] {
              summarise_task({separated});
            }).find("answer_separator 21 does not occur in the target"),
            std::string::npos);

  auto other = generation({1}, {1});
  other.task = "copy";
  EXPECT_NE(error_message([&] {
              summarise_task({generation({1}, {1}), other});
            }).find("record 1 of task 'add': task is 'copy'"),
            std::string::npos);

  auto lengths = generation({1, 2, 3}, {1});
  lengths.target_token_probs = {0.5, 0.5};
  lengths.target_logprob = -1.4;
  EXPECT_NE(error_message([&] {
              summarise_task({lengths});
            }).find("target_token_probs has 2 entries but target has 3 tokens"),
            std::string::npos);

  auto prob = generation({1}, {1});
  prob.target_token_probs = {1.5};
  prob.target_logprob = 0;
  EXPECT_NE(error_message([&] { summarise_task({prob}); }).find("target_token_probs[0] = 1.5"),
            std::string::npos);

  auto missing_logprob = generation({1}, {1});
  missing_logprob.target_token_probs = {0.5};
  EXPECT_NE(error_message([&] { summarise_task({missing_logprob}); }).find("target_logprob"),
            std::string::npos);

  auto range = choice({0.5, 0.5}, 2);
  EXPECT_NE(error_message([&] {
              summarise_task({range});
            }).find("correct_choice = 2 is out of range for 2 choices"),
            std::string::npos);
  EXPECT_NE(error_message([&] {
              summarise_task({choice({0.5, 0.5}, -1)});
            }).find("correct_choice = -1"),
            std::string::npos);

  auto no_choices = generation({1}, {1});
  no_choices.correct_choice = 0;
  EXPECT_NE(error_message([&] {
              summarise_task({no_choices});
            }).find("correct_choice = 0 is set but choice_logprobs is empty"),
            std::string::npos);
  EXPECT_NE(error_message([&] { summarise_task({choice({1.0}, 0)}); }).find("needs at least 2"),
            std::string::npos);

  ExampleRecord nothing;
  nothing.task = "x";
  EXPECT_NE(error_message([&] {
              summarise_task({nothing});
            }).find("neither target tokens nor choice_logprobs"),
            std::string::npos);
}

TEST(Report, TableAndJsonCarryEveryMetric) {
  std::vector<ExampleRecord> records = {choice({0.1, 0.7, 0.1, 0.1}, 0),
                                        choice({0.7, 0.1, 0.1, 0.1}, 0)};
  SummaryOptions options;
  options.bootstrap = {.seed = 1, .resamples = 500, .level = 0.95};
  const auto s = summarise_task(records, options);
  const std::string table = format_table(s);
  EXPECT_NE(table.find("task mc: 2 records, resolution 1/n = 0.5"), std::string::npos);
  EXPECT_NE(table.find("95% CI"), std::string::npos);
  EXPECT_NE(table.find("500 resamples, seed 1"), std::string::npos);
  for (const auto& m : s.metrics) EXPECT_NE(table.find(m.name), std::string::npos) << m.name;
  EXPECT_NE(table.find("discontinuous"), std::string::npos);
  EXPECT_NE(table.find("chance 0.25"), std::string::npos);

  const auto json = to_json(s);
  EXPECT_EQ(json["task"], "mc");
  EXPECT_EQ(json["records"], 2);
  EXPECT_EQ(json["bootstrap"]["resamples"], 500);
  ASSERT_EQ(json["metrics"].size(), s.metrics.size());
  const auto& grade = json["metrics"][0];
  EXPECT_EQ(grade["name"], "mc_grade");
  EXPECT_EQ(grade["kind"], "discontinuous");
  EXPECT_DOUBLE_EQ(grade["value"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(grade["chance"].get<double>(), 0.25);
  EXPECT_EQ(grade["n"], 2);
  EXPECT_DOUBLE_EQ(grade["resolution"].get<double>(), 0.5);
  EXPECT_EQ(grade["ci"].size(), 2u);

  // A single record has no standard error: written as null, not NaN.
  const auto one = to_json(summarise_task({generation({1}, {1})}));
  EXPECT_TRUE(one["metrics"][0]["standard_error"].is_null());
  EXPECT_TRUE(one["metrics"][0]["chance"].is_null());
}

}  // namespace
}  // namespace emlab::eval

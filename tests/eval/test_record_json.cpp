// Example records survive the database's JSON exactly: every field, NaN as null, and the metrics
// computed from the stored records equal those computed from the originals.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "eval/record_json.hpp"
#include "eval/task_summary.hpp"
#include "support/error_message.hpp"

namespace emlab::eval {
namespace {

ExampleRecord full_record() {
  ExampleRecord r;
  r.task = "add(digits=2)";
  r.prompt = {5, 6, 7};
  r.target = {8, 2};
  r.output = {8, 9, 2};
  r.target_token_probs = {0.1 + 0.2, 1.0 / 3.0};
  r.target_logprob = std::log(r.target_token_probs[0]) + std::log(r.target_token_probs[1]);
  r.choice_logprobs = {-1.5, -0.25, -7.0};
  r.correct_choice = 1;
  r.samples = {{{8, 2}, true}, {{9, 2}, false}};
  r.until_outcomes = {true, false, false, true};
  r.answer_separator = 21;
  r.target = {8, 21, 2};
  r.target_token_probs.push_back(0.5);
  r.target_logprob += std::log(0.5);
  return r;
}

TEST(RecordJson, RoundTripsEveryFieldExactly) {
  const ExampleRecord r = full_record();
  const ExampleRecord back = record_from_json(nlohmann::json::parse(to_json(r).dump()));
  EXPECT_EQ(back.task, r.task);
  EXPECT_EQ(back.prompt, r.prompt);
  EXPECT_EQ(back.target, r.target);
  EXPECT_EQ(back.output, r.output);
  EXPECT_EQ(back.answer_separator, 21);
  EXPECT_EQ(back.target_token_probs, r.target_token_probs);
  EXPECT_EQ(back.target_logprob, r.target_logprob);
  EXPECT_EQ(back.choice_logprobs, r.choice_logprobs);
  EXPECT_EQ(back.correct_choice, 1);
  ASSERT_EQ(back.samples.size(), 2u);
  EXPECT_EQ(back.samples[1].output, (Tokens{9, 2}));
  EXPECT_FALSE(back.samples[1].passed);
  EXPECT_EQ(back.until_outcomes, r.until_outcomes);

  const TaskSummary a = summarise_task({r, r}), b = summarise_task({back, back});
  ASSERT_EQ(a.metrics.size(), b.metrics.size());
  for (size_t i = 0; i < a.metrics.size(); ++i)
    EXPECT_EQ(a.metrics[i].estimate.mean, b.metrics[i].estimate.mean) << a.metrics[i].name;
}

TEST(RecordJson, OptionalPartsStayAbsentAndBadJsonNamesTheField) {
  ExampleRecord r;
  r.task = "copy";
  r.target = {3, 2};
  r.output = {3, 2};
  const nlohmann::json j = to_json(r);
  EXPECT_FALSE(j.contains("choice_logprobs"));
  EXPECT_FALSE(j.contains("samples"));
  EXPECT_FALSE(j.contains("answer_separator"));
  EXPECT_EQ(record_from_json(j).answer_separator, -1);
  EXPECT_FALSE(record_from_json(j).has_likelihood());
  nlohmann::json broken = j;
  broken.erase("output");
  EXPECT_NE(testing::error_message([&] { record_from_json(broken); }).find("output"),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::eval

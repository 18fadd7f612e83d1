// The token stream: row layout and loss mask, determinism, exact save/restore, mixture
// proportions, and the finite pool.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "support/error_message.hpp"
#include "task_test_util.hpp"
#include "tasks/task_stream.hpp"

namespace emlab::tasks {
namespace {

using namespace tasktest;

MixtureConfig mixture(std::vector<std::string> specs, std::vector<double> weights = {}) {
  MixtureConfig c;
  for (size_t i = 0; i < specs.size(); ++i) {
    c.tasks.push_back(parse_task_spec(specs[i]));
    if (i < weights.size()) c.tasks.back().weight = weights[i];
  }
  return c;
}

struct Batch {
  std::vector<int32_t> tokens, targets;
  bool operator==(const Batch&) const = default;
};

Batch next(train::TokenStream& s, int B, int T) {
  Batch b{std::vector<int32_t>(static_cast<size_t>(B * T)),
          std::vector<int32_t>(static_cast<size_t>(B * T))};
  s.next_batch(B, T, b.tokens.data(), b.targets.data());
  return b;
}

// Walks a row: whole examples "<bos> prompt answer" then padding; checks the mask against the
// example and returns the examples found.
std::vector<Example> parse_row(const int32_t* tok, const int32_t* tgt, int T, bool score_prompt) {
  std::vector<Example> found;
  int j = 0;
  while (j < T && tok[j] == tok::kBos) {
    Example e;
    int k = j + 1;
    // Prompts end at their first "=" (or "|" for copying); scratchpads put "=" only in answers.
    while (k < T && tok[k] != tok::kEquals && tok[k] != tok::kBar) e.prompt.push_back(tok[k++]);
    EXPECT_LT(k, T);
    e.prompt.push_back(tok[k++]);
    while (k < T && tok[k] != tok::kEos) e.target.push_back(tok[k++]);
    EXPECT_LT(k, T) << "example cut at the row's end";
    e.target.push_back(tok[k]);
    const int prompt_end =
        j + static_cast<int>(e.prompt.size());  // position of the last prompt token
    for (int p = j; p < k; ++p) {
      const bool scored = p >= prompt_end || score_prompt;
      EXPECT_EQ(tgt[p], scored ? tok[p + 1] : -1) << "position " << p;
    }
    EXPECT_EQ(tgt[k], -1) << "<eos> predicts nothing";
    found.push_back(e);
    j = k + 1;
  }
  for (; j < T; ++j) {
    EXPECT_EQ(tok[j], tok::kPad);
    EXPECT_EQ(tgt[j], -1);
  }
  return found;
}

TEST(TaskStream, RowsHoldWholeExamplesAndScoreAnswersOnly) {
  for (const bool score_prompt : {false, true}) {
    MixtureConfig c = mixture({"add(digits=3)", "hop(length=12 k=1)", "stack(length=4)"});
    c.score_prompt = score_prompt;
    TaskStream s(c, 1);
    EXPECT_EQ(s.vocab_size(), kVocabSize);
    const int B = 6, T = 64;
    const Batch b = next(s, B, T);
    int examples = 0;
    for (int r = 0; r < B; ++r) {
      const auto found = parse_row(&b.tokens[static_cast<size_t>(r * T)],
                                   &b.targets[static_cast<size_t>(r * T)], T, score_prompt);
      EXPECT_GE(found.size(), 2u) << "rows pack several examples";
      examples += static_cast<int>(found.size());
    }
    // What was packed is what the stream drew, in order (one may wait for the next row).
    TaskStream again(c, 1);
    for (int i = 0; i < examples; ++i) (void)again.next_example();
    EXPECT_GE(s.examples_drawn(), examples);
    EXPECT_LE(s.examples_drawn(), examples + 1);
  }
}

TEST(TaskStream, OneExamplePerRowWhenNotPacking) {
  MixtureConfig c = mixture({"copy(length=4)"});
  c.pack = false;
  TaskStream s(c, 2);
  const int T = 40;
  const Batch b = next(s, 4, T);
  for (int r = 0; r < 4; ++r)
    EXPECT_EQ(parse_row(&b.tokens[static_cast<size_t>(r * T)],
                        &b.targets[static_cast<size_t>(r * T)], T, false)
                  .size(),
              1u);
}

TEST(TaskStream, SameSeedSameStream) {
  const MixtureConfig c = mixture({"add(digits=2)", "kb", "copy"}, {1, 2, 1});
  TaskStream a(c, 7), b(c, 7), other(c, 8);
  for (int i = 0; i < 5; ++i) {
    const Batch x = next(a, 4, 48);
    EXPECT_EQ(x, next(b, 4, 48));
    EXPECT_NE(x, next(other, 4, 48));
  }
}

TEST(TaskStream, RestoreContinuesExactly) {
  for (const int64_t pool : {int64_t{0}, int64_t{37}}) {
    MixtureConfig c = mixture({"add(digits=4 scratchpad=true)", "hop(length=20)", "kb"}, {1, 1, 2});
    c.pool_size = pool;
    TaskStream a(c, 3);
    // Stop where an example waits for the next row, the hardest state to restore.
    for (int i = 0; i < 50 && a.save_state().ends_with("pending=-"); ++i) next(a, 3, 80);
    const std::string state = a.save_state();
    ASSERT_FALSE(state.ends_with("pending=-"));
    std::vector<Batch> expected;
    for (int i = 0; i < 6; ++i) expected.push_back(next(a, 3, 80));

    TaskStream b(c, 3);
    next(b, 5, 80);  // anywhere else: restore must overwrite everything
    b.restore_state(state);
    for (int i = 0; i < 6; ++i) EXPECT_EQ(next(b, 3, 80), expected[static_cast<size_t>(i)]) << i;
    EXPECT_EQ(b.save_state(), a.save_state());
  }
}

TEST(TaskStream, RestoreRejectsForeignOrMalformedStates) {
  const MixtureConfig c = mixture({"add"});
  TaskStream s(c, 1);
  const std::string state = s.save_state();
  TaskStream other_seed(c, 2);
  EXPECT_NE(testing::error_message([&] {
              other_seed.restore_state(state);
            }).find("saved from a different task mixture or seed"),
            std::string::npos);
  TaskStream other_mix(mixture({"sub"}), 1);
  EXPECT_NE(testing::error_message([&] { other_mix.restore_state(state); }).find("different"),
            std::string::npos);
  EXPECT_NE(testing::error_message([&] { s.restore_state("rubbish"); }).find("expected"),
            std::string::npos);
  std::string bad = state;
  bad.replace(bad.find("pending=-"), 9, "pending=0:5,99:2");
  EXPECT_NE(testing::error_message([&] { s.restore_state(bad); }).find("outside the alphabet"),
            std::string::npos);
}

TEST(TaskStream, MixtureProportionsFollowWeights) {
  const std::vector<double> weights{1, 3, 6};
  for (const int64_t pool : {int64_t{0}, int64_t{20000}}) {
    MixtureConfig c = mixture({"add(digits=4)", "hop", "copy"}, weights);
    c.pool_size = pool;
    TaskStream s(c, 11);
    const int n = 20000;
    std::vector<int> counts(3, 0);
    for (int i = 0; i < n; ++i) {
      int source = -1;
      const Example e = s.next_example(&source);
      ASSERT_EQ(e.task, s.tasks()[static_cast<size_t>(source)]->name());
      ++counts[static_cast<size_t>(source)];
    }
    for (size_t i = 0; i < 3; ++i) {
      const double p = weights[i] / 10.0;
      const double sigma = std::sqrt(p * (1 - p) / n);
      EXPECT_NEAR(counts[i] / static_cast<double>(n), p, 4 * sigma) << "task " << i;
    }
  }
}

TEST(TaskStream, PoolRepeatsEachTasksShareOfNUniqueExamples) {
  MixtureConfig c = mixture({"add(digits=3)", "copy(length=5)"}, {3, 1});
  const int N = 250;
  c.pool_size = N;
  TaskStream s(c, 5);
  // 250 split 3:1 by weight: 187.5 and 62.5, the larger remainder first on a tie (the first).
  ASSERT_EQ(s.pools().size(), 2u);
  EXPECT_EQ(s.pools()[0].size(), 188u);
  EXPECT_EQ(s.pools()[1].size(), 62u);
  // Every example served comes from its task's pool, and each task's pool is served in whole
  // epochs: its first 3 x |pool| examples hold each of its examples exactly 3 times.
  std::vector<std::map<std::vector<int32_t>, int>> seen(2);
  std::vector<int> served(2, 0);
  while (served[0] < 3 * 188 || served[1] < 3 * 62) {
    int source = -1;
    const Example e = s.next_example(&source);
    if (served[size_t(source)]++ >= 3 * int(s.pools()[size_t(source)].size())) continue;
    std::vector<int32_t> key = e.prompt;
    key.insert(key.end(), e.target.begin(), e.target.end());
    ++seen[size_t(source)][key];
  }
  for (size_t t = 0; t < 2; ++t) {
    EXPECT_EQ(seen[t].size(), s.pools()[t].size()) << "task " << t;
    for (const auto& [example, count] : seen[t]) EXPECT_EQ(count, 3) << "task " << t;
  }
}

// The repetition study's bug: one pool drawn from the whole mixture ran out of the small tasks'
// distinct examples (1-digit sums have about 90 training prompts), so its arms trained on another
// task mix than the fresh arm. Every arm must serve the fresh arm's mix.
TEST(TaskStream, EveryPoolSizeServesTheFreshStreamsTaskMix) {
  const std::vector<std::string> tasks = {"add(digits=1)", "add(digits=2)", "add(digits=3)",
                                          "add(digits=4)"};
  const int n = 40000;
  // Fresh, and the pools of studies/repetition.toml's arms (R4, R16, R64; smoke R4).
  for (const int64_t pool :
       {int64_t{0}, int64_t{83000}, int64_t{20800}, int64_t{5200}, int64_t{830}}) {
    MixtureConfig c = mixture(tasks);
    c.pool_size = pool;
    TaskStream s(c, 11);
    std::vector<int> counts(4, 0);
    for (int i = 0; i < n; ++i) {
      int source = -1;
      s.next_example(&source);
      ++counts[size_t(source)];
    }
    const double sigma = std::sqrt(0.25 * 0.75 / n);
    for (size_t t = 0; t < 4; ++t)
      EXPECT_NEAR(counts[t] / double(n), 0.25, 4 * sigma) << "pool " << pool << ", task " << t;
  }
}

TEST(TaskStream, ATaskWithFewerExamplesThanItsSharePoolsAllOfThemAndSaysSo) {
  MixtureConfig c = mixture({"add(digits=1)", "add(digits=3)"});
  c.pool_size = 1000;  // 500 each; 1-digit sums have fewer distinct training examples than that
  TaskStream s(c, 1);
  const size_t ones = s.pools()[0].size();
  EXPECT_GT(ones, 50u);
  EXPECT_LT(ones, 100u);
  EXPECT_EQ(s.pools()[1].size(), 500u);
  EXPECT_NE(s.describe().find(fmt::format("pools all {} of its examples (share 500)", ones)),
            std::string::npos)
      << s.describe();
}

TEST(TaskStream, ExampleLongerThanTheRowIsAnError) {
  TaskStream s(mixture({"add(digits=8)"}), 1);
  std::vector<int32_t> tokens(16), targets(16);
  const std::string message =
      testing::error_message([&] { s.next_batch(1, 16, tokens.data(), targets.data()); });
  // The answer has 8 or 9 digits and <eos>.
  EXPECT_TRUE(message.starts_with(
      "task add(digits=8 reverse=false scratchpad=false test_fraction=0.1 split_seed=0): an "
      "example of 2"))
      << message;
  EXPECT_NE(message.find("tokens (<bos> + prompt 18 + answer 1"), std::string::npos) << message;
  EXPECT_TRUE(
      message.ends_with("does not fit in a row of T = 16 tokens; lengthen the sequence or "
                        "shrink the task"))
      << message;
}

TEST(TaskStream, MixtureErrors) {
  EXPECT_EQ(testing::error_message([] { TaskStream s(MixtureConfig{}, 1); }),
            "task mixture: no tasks given");
  EXPECT_EQ(testing::error_message([] {
              TaskStream s(mixture({"add", "hop"}, {1, 0}), 1);
            }),
            "task mixture: task 1 (hop) needs a positive weight (got 0)");
  MixtureConfig c = mixture({"add"});
  c.pool_size = -1;
  EXPECT_NE(testing::error_message([&] { TaskStream s(c, 1); }).find("pool_size"),
            std::string::npos);
  const auto stream = make_task_stream(mixture({"add", "hop"}, {1, 3}), 1);
  EXPECT_EQ(stream->describe(),
            "0.25 add(digits=2 reverse=false scratchpad=false test_fraction=0.1 split_seed=0) + "
            "0.75 hop(length=24 letters=4 k=2 test_fraction=0.1 split_seed=0); fresh examples");
}

}  // namespace
}  // namespace emlab::tasks

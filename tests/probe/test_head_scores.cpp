// Head scores on attention patterns built by hand, and the OV copying score on circuits whose
// eigenvalues are known.
#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "probe/copying_score.hpp"
#include "probe/head_scores.hpp"
#include "probe/repeated_blocks.hpp"

namespace emlab::probe {
namespace {

constexpr int kBlock = 4, kRepeats = 2, kT = kBlock * kRepeats;

// A (T,T) pattern with all of row i's mass on column column(i).
template <typename F>
std::vector<float> one_hot_pattern(int T, F column) {
  std::vector<float> p(static_cast<size_t>(T) * T, 0.0f);
  for (int i = 0; i < T; ++i) p[static_cast<size_t>(i * T + column(i))] = 1.0f;
  return p;
}

TEST(HeadScores, AnExactInductionPatternScoresOne) {
  // Rows of the repeated copy attend to the token after the previous occurrence of theirs.
  const auto p = one_hot_pattern(kT, [](int i) { return i >= kBlock ? i - kBlock + 1 : 0; });
  EXPECT_DOUBLE_EQ(induction_score(p.data(), kBlock, kRepeats), 1.0);
  EXPECT_DOUBLE_EQ(induction_mul_score(p.data(), kBlock, kRepeats), 0.5);  // (R-1)/R
  EXPECT_DOUBLE_EQ(duplicate_token_score(p.data(), kBlock, kRepeats), 0.0);
}

TEST(HeadScores, APreviousTokenPatternIsNoInductionHead) {
  const auto p = one_hot_pattern(kT, [](int i) { return i > 0 ? i - 1 : 0; });
  EXPECT_DOUBLE_EQ(previous_token_score(p.data(), kT), 1.0);
  EXPECT_DOUBLE_EQ(induction_score(p.data(), kBlock, kRepeats), 0.0);
  EXPECT_DOUBLE_EQ(duplicate_token_score(p.data(), kBlock, kRepeats), 0.0);
}

TEST(HeadScores, ADuplicateTokenPatternScoresOneThere) {
  const auto p = one_hot_pattern(kT, [](int i) { return i >= kBlock ? i - kBlock : i; });
  EXPECT_DOUBLE_EQ(duplicate_token_score(p.data(), kBlock, kRepeats), 1.0);
  EXPECT_DOUBLE_EQ(induction_score(p.data(), kBlock, kRepeats), 0.0);
}

TEST(HeadScores, AUniformPatternScoresTheValuesComputedByHand) {
  std::vector<float> p(static_cast<size_t>(kT) * kT, 0.0f);
  for (int i = 0; i < kT; ++i)
    for (int j = 0; j <= i; ++j)
      p[static_cast<size_t>(i * kT + j)] = 1.0f / static_cast<float>(i + 1);
  // Rows 4..7 each put 1/(i+1) on their one induction target: (1/5 + 1/6 + 1/7 + 1/8) / 4.
  EXPECT_NEAR(induction_score(p.data(), kBlock, kRepeats), 0.158631, 1e-6);
  // Σ A⊙P / Σ A = (1/5 + 1/6 + 1/7 + 1/8) / 8 rows.
  EXPECT_NEAR(induction_mul_score(p.data(), kBlock, kRepeats), 0.079315, 1e-6);
  // Rows 1..7 put 1/(i+1) on i-1: (1/2 + 1/3 + ... + 1/8) / 7.
  EXPECT_NEAR(previous_token_score(p.data(), kT), 0.245408, 1e-6);
  // The chance level the induction study compares layers with is this same pattern's score.
  EXPECT_NEAR(uniform_induction_score(kBlock, kRepeats), 0.158631, 1e-6);
  // Blocks of 20 (the induction study): (1/21 + ... + 1/40) / 20.
  double harmonic = 0;
  for (int m = 21; m <= 40; ++m) harmonic += 1.0 / m;
  EXPECT_NEAR(uniform_induction_score(20, 2), harmonic / 20, 1e-6);
  EXPECT_NEAR(uniform_induction_score(20, 2), 0.03404, 1e-5);
}

TEST(HeadScores, ThreeRepeatsSumOverEveryEarlierCopy) {
  // Row i of copy r puts 1/r on each of its r induction targets: the score is still 1.
  constexpr int R = 3, T = kBlock * R;
  std::vector<float> p(static_cast<size_t>(T) * T, 0.0f);
  for (int i = 0; i < T; ++i) {
    const int copies = i / kBlock;
    if (copies == 0) p[static_cast<size_t>(i * T)] = 1.0f;
    for (int k = 1; k <= copies; ++k)
      p[static_cast<size_t>(i * T + i - k * kBlock + 1)] = 1.0f / static_cast<float>(copies);
  }
  EXPECT_NEAR(induction_score(p.data(), kBlock, R), 1.0, 1e-6);
  EXPECT_NEAR(induction_mul_score(p.data(), kBlock, R), 2.0 / 3.0, 1e-6);
}

TEST(HeadScores, ABatchAveragesItsSequencesPerHead) {
  const auto induction =
      one_hot_pattern(kT, [](int i) { return i >= kBlock ? i - kBlock + 1 : 0; });
  const auto previous = one_hot_pattern(kT, [](int i) { return i > 0 ? i - 1 : 0; });
  // B = 2, H = 2: head 0 is an induction head in both sequences, head 1 in the second only.
  std::vector<float> att;
  for (const auto* p : {&induction, &previous, &induction, &induction})
    att.insert(att.end(), p->begin(), p->end());
  const auto scores = score_heads(att.data(), 2, 2, kBlock, kRepeats);
  ASSERT_EQ(scores.size(), 2u);
  EXPECT_DOUBLE_EQ(scores[0].induction, 1.0);
  EXPECT_DOUBLE_EQ(scores[1].induction, 0.5);
  // The induction pattern puts row 1 on column 0 = its previous token: 1/7 of its rows.
  EXPECT_DOUBLE_EQ(scores[1].previous_token, 0.5 + 0.5 / 7.0);
}

TEST(RepeatedBlocks, RowsAreDistinctTokensRepeatedWithTheirNextTokensAsTargets) {
  const RepeatedBlocks b = make_repeated_blocks(5, 6, 3, 26, 51, 7);
  ASSERT_EQ(b.tokens.size(), 5u * 18u);
  for (int r = 0; r < 5; ++r) {
    const int32_t* row = b.tokens.data() + r * 18;
    for (int i = 0; i < 6; ++i)
      for (int j = 0; j < i; ++j) EXPECT_NE(row[i], row[j]);
    for (int t = 0; t < 18; ++t) {
      EXPECT_EQ(row[t], row[t % 6]);
      EXPECT_GE(row[t], 26);
      EXPECT_LE(row[t], 51);
      EXPECT_EQ(b.targets[static_cast<size_t>(r * 18 + t)], t + 1 < 18 ? row[t + 1] : -1);
    }
  }
  EXPECT_EQ(make_repeated_blocks(5, 6, 3, 26, 51, 7).tokens, b.tokens);  // seeded
  EXPECT_NE(make_repeated_blocks(5, 6, 3, 26, 51, 8).tokens, b.tokens);
  EXPECT_THROW(make_repeated_blocks(5, 27, 2, 26, 51, 7), Error);  // 27 distinct of 26 ids
  EXPECT_THROW(make_repeated_blocks(5, 6, 1, 26, 51, 7), Error);
}

TEST(CopyingScore, IdentityCopiesAndItsNegativeAntiCopies) {
  const Eigen::MatrixXd I = Eigen::MatrixXd::Identity(8, 8);
  EXPECT_NEAR(copying_score(I, I, I, I), 1.0, 1e-12);
  EXPECT_NEAR(copying_score(I, -I, I, I), -1.0, 1e-12);
  // Through a narrower head (d = 3 < C = 8): the embedding's first 3 directions copied.
  const Eigen::MatrixXd down = Eigen::MatrixXd::Identity(3, 8),
                        up = Eigen::MatrixXd::Identity(8, 3);
  EXPECT_NEAR(copying_score(I, up, down, I), 1.0, 1e-12);
}

TEST(CopyingScore, TheSmallProductHasTheEigenvaluesOfTheFullCircuit) {
  Rng rng(3);
  auto random = [&](int r, int c) {
    Eigen::MatrixXd m(r, c);
    for (int i = 0; i < r; ++i)
      for (int j = 0; j < c; ++j) m(i, j) = rng.normal();
    return m;
  };
  const int V = 12, C = 6, d = 3;
  const Eigen::MatrixXd U = random(V, C), O = random(C, d), Vv = random(d, C), E = random(C, V);
  const Eigen::MatrixXd full = U * O * Vv * E;
  const Eigen::EigenSolver<Eigen::MatrixXd> solver(full, false);
  double real = 0, magnitude = 0;
  for (const auto& l : solver.eigenvalues()) {
    real += l.real();
    magnitude += std::abs(l);
  }
  EXPECT_NEAR(copying_score(U, O, Vv, E), real / magnitude, 1e-9);
  EXPECT_THROW(copying_score(U, O, random(d + 1, C), E), Error);
}

}  // namespace
}  // namespace emlab::probe

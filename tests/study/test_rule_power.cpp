// A verdict rule's power and false-positive rate: simulated worlds go through the kind's analysis
// and the rule exactly as a trained study would, on the runs the study's sweeps plan; and the
// shipped rules that have a simulator are fit for use at their own designs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "study/rule_power.hpp"
#include "study/simulated_design.hpp"
#include "study/study_definition.hpp"
#include "support/sanitizers.hpp"
#include "support/study_test_names.hpp"

namespace emlab::study {
namespace {

const std::filesystem::path kStudies = std::filesystem::path(EMLAB_SOURCE_DIR) / "studies";

// A kind whose one measurement is 1 with probability `present` when the effect is there and
// `absent` when it is not: its rule "signal >= 1" says held exactly that often.
class CoinKind final : public StudyKind {
 public:
  CoinKind(double present, double absent) : present_(present), absent_(absent) {}
  std::vector<std::string> tasks() const override { return {}; }
  std::vector<std::string> measurement_names() const override { return {"signal"}; }
  Measurements measure(const results::ResultSet& results) const override {
    Measurements m;
    m.add("signal", results.runs.front().checkpoints.back().row.validation_loss, "coin");
    return m;
  }
  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{"coin with p = present", "coin with p = absent"};
  }
  void simulate(results::ResultSet& planned, Effect effect, Rng& rng) const override {
    const double p = effect == Effect::kPresent ? present_ : absent_;
    planned.runs.front().checkpoints.back().row.validation_loss = rng.uniform() < p ? 1.0 : 0.0;
  }

 private:
  double present_, absent_;
};

StudyDefinition coin_study(double present, double absent) {
  StudyDefinition d = load_study_definition((kStudies / "mirage.toml").string(), "smoke");
  d.analysis = std::make_shared<CoinKind>(present, absent);
  d.rule.words = "held if the coin says 1";
  d.rule.held_if = {parse_condition("signal >= 1", "test")};
  d.rule.inconclusive_if.clear();
  return d;
}

TEST(PlannedResults, EveryPlannedRunWithItsCheckpointsExamplesAndAnswerLength) {
  const StudyDefinition d = load_study_definition((kStudies / "mirage.toml").string(), "smoke");
  const results::ResultSet planned = planned_results(d);
  // smoke: 3 shapes x 3 budgets x 2 seeds, checkpoints.log_spaced = 3, eval.examples = 24.
  ASSERT_EQ(planned.runs.size(), 18u);
  for (const results::RunResults& run : planned.runs) {
    EXPECT_TRUE(run.completed());
    EXPECT_GE(run.checkpoints.size(), 3u);
    EXPECT_EQ(run.checkpoints.back().row.step, run.row.plan.steps);
    EXPECT_EQ(run.checkpoints.back().row.tokens, run.row.plan.tokens);
    EXPECT_TRUE(run.checkpoints.back().metrics.empty());
    EXPECT_EQ(evaluated_examples(run), 24);
    EXPECT_GE(run.shape().layers, 1);
  }
  // 2-digit sums: 2 or 3 digits and <eos>.
  ASSERT_EQ(planned.answer_tokens.count("add(digits=2)"), 1u);
  EXPECT_GT(planned.answer_tokens.at("add(digits=2)"), 3.0);
  EXPECT_LT(planned.answer_tokens.at("add(digits=2)"), 4.0);
}

// A measurement of the kind over `worlds` simulated worlds of the study's small design, averaged.
double mean_over_worlds(const StudyDefinition& d, Effect effect, const std::string& name,
                        int worlds) {
  const results::ResultSet planned = planned_results(d);
  double total = 0;
  for (int i = 0; i < worlds; ++i) {
    Rng rng(100 + uint64_t(i));
    results::ResultSet world = planned;
    d.analysis->simulate(world, effect, rng);
    total += d.analysis->measure(world).find(name)->value;
  }
  return total / worlds;
}

TEST(MirageSimulation, ExactMatchIsTheProductOfThePositionsNotTheMeanToTheL) {
  const StudyDefinition d = load_study_definition((kStudies / "mirage.toml").string(), "small");
  // Positions drawn independently: the product predicts exact match without bias (over 40
  // worlds of 15 runs of 100 examples, well within 0.01); the mean's p^L sits above it.
  for (const Effect effect : {Effect::kPresent, Effect::kAbsent}) {
    EXPECT_LT(std::abs(mean_over_worlds(d, effect, "pl_mean_difference", 40)), 0.01);
    EXPECT_GT(mean_over_worlds(d, effect, "mean_pl_mean_difference", 40), 0.01);
  }
}

TEST(RulePower, CountsHowOftenTheRuleSaysHeldInEachWorld) {
  const RulePower certain = rule_power(coin_study(1.0, 0.0), 50);
  EXPECT_TRUE(certain.simulated);
  EXPECT_EQ(certain.simulations, 50);
  EXPECT_EQ(certain.power, 1.0);
  EXPECT_EQ(certain.false_positive_rate, 0.0);
  EXPECT_TRUE(certain.fit_for_use());

  // 400 coins per world: the shares land within 4 binomial standard errors of 0.3 and 0.6.
  const RulePower weak = rule_power(coin_study(0.3, 0.6), 400);
  EXPECT_NEAR(weak.power, 0.3, 4 * std::sqrt(0.3 * 0.7 / 400));
  EXPECT_NEAR(weak.false_positive_rate, 0.6, 4 * std::sqrt(0.6 * 0.4 / 400));
  EXPECT_FALSE(weak.fit_for_use());
  // One seed gives the same numbers.
  const RulePower again = rule_power(coin_study(0.3, 0.6), 400);
  EXPECT_EQ(again.power, weak.power);
  EXPECT_EQ(again.false_positive_rate, weak.false_positive_rate);
}

TEST(RulePower, ANegativeControlIsFitWhenItRarelySaysHeldInEitherWorld) {
  StudyDefinition d = coin_study(0.0, 0.0);
  d.control = "negative";
  const RulePower never = rule_power(d, 50);
  EXPECT_EQ(never.control, "negative");
  EXPECT_TRUE(never.fit_for_use());
  EXPECT_NE(describe(never).find("a negative control"), std::string::npos);
  EXPECT_EQ(RulePower::from_json(never.to_json()).control, "negative");
  // The coins that make a positive rule fit make a negative control unfit.
  d = coin_study(1.0, 0.0);
  d.control = "negative";
  const RulePower always = rule_power(d, 50);
  EXPECT_FALSE(always.fit_for_use());
  EXPECT_NE(describe(always).find("NOT fit for use"), std::string::npos);
}

TEST(RulePower, JsonRoundTripAndAKindWithoutASimulator) {
  const RulePower p = rule_power(coin_study(1.0, 0.0), 10);
  const RulePower back = RulePower::from_json(p.to_json());
  EXPECT_TRUE(back.simulated);
  EXPECT_EQ(back.power, 1.0);
  EXPECT_EQ(back.false_positive_rate, 0.0);
  EXPECT_EQ(back.present, "coin with p = present");
  EXPECT_FALSE(RulePower::from_json(nlohmann::json::object()).simulated);
  EXPECT_NE(describe(RulePower{}).find("not simulated"), std::string::npos);
}

// A coin whose chance of "held" falls with the seed noise its simulator draws (1 − sd, both
// worlds alike), measured on trained results as the measurement "noise_sd".
class NoisyCoinKind final : public StudyKind {
 public:
  explicit NoisyCoinKind(double sd) : sd_(sd) {}
  std::vector<std::string> tasks() const override { return {}; }
  std::vector<std::string> measurement_names() const override { return {"signal", "noise_sd"}; }
  Measurements measure(const results::ResultSet& results) const override {
    Measurements m;
    m.add("signal", results.runs.front().checkpoints.back().row.validation_loss, "coin");
    m.add("noise_sd", results.runs.back().checkpoints.back().row.validation_loss, "seed sd");
    return m;
  }
  std::optional<SimulatedEffects> simulated_effects() const override {
    return SimulatedEffects{"coin with p = 1 − sd", "coin with p = 1 − sd"};
  }
  std::optional<SeedNoise> seed_noise() const override { return SeedNoise{sd_, "noise_sd"}; }
  std::shared_ptr<const StudyKind> with_seed_noise(double sd) const override {
    return std::make_shared<NoisyCoinKind>(sd);
  }
  void simulate(results::ResultSet& planned, Effect, Rng& rng) const override {
    planned.runs.front().checkpoints.back().row.validation_loss = rng.uniform() < 1 - sd_ ? 1 : 0;
    planned.runs.back().checkpoints.back().row.validation_loss = sd_;
  }

 private:
  double sd_;
};

TEST(RulePower, IsRecomputedAtTheSeedNoiseARunMeasured) {
  StudyDefinition d = coin_study(1.0, 0.0);
  d.analysis = std::make_shared<NoisyCoinKind>(0.0);
  RulePower p = rule_power(d, 50);
  EXPECT_EQ(p.power, 1.0);
  EXPECT_EQ(p.assumed_seed_noise, 0.0);
  Measurements measured;
  measured.add("noise_sd", 1.0, "a run whose seeds disagree completely");
  add_power_at_measured_noise(p, d, measured);
  EXPECT_EQ(p.measured_seed_noise, 1.0);
  EXPECT_EQ(p.power_at_measured_noise, 0.0);
  EXPECT_EQ(p.false_positive_rate_at_measured_noise, 0.0);
  EXPECT_EQ(p.power, 1.0) << "the power at the assumed noise stays";
  EXPECT_NE(describe(p).find("at the seed noise this run measured (1 where the simulations "
                             "assume 0): power 0"),
            std::string::npos)
      << describe(p);
  const RulePower back = RulePower::from_json(p.to_json());
  EXPECT_EQ(back.measured_seed_noise, 1.0);
  EXPECT_EQ(back.power_at_measured_noise, 0.0);
  EXPECT_EQ(back.assumed_seed_noise, 0.0);
  // A run that could not measure the noise (one seed) leaves it unknown.
  RulePower unmeasured = rule_power(d, 20);
  Measurements one_seed;
  one_seed.add("noise_sd", NAN, "one seed");
  add_power_at_measured_noise(unmeasured, d, one_seed);
  EXPECT_TRUE(std::isnan(unmeasured.power_at_measured_noise));
  EXPECT_FALSE(RulePower::from_json(unmeasured.to_json()).to_json().contains("at_measured_noise"));
}

// The loss-threshold rule was chosen at an η seed noise of 0.05 nats; its small run measured 0.29,
// at which its seed-spread condition leaves it inconclusive in every world.
TEST(RulePower, LossThresholdLosesItsPowerAtTheSeedNoiseItsRunMeasured) {
  const StudyDefinition d =
      load_study_definition((kStudies / "loss-threshold.toml").string(), "small");
  RulePower p = rule_power(d, 40);
  EXPECT_EQ(p.assumed_seed_noise, 0.05);
  Measurements measured;
  measured.add("seed_threshold_sd", 0.29, "as measured");
  add_power_at_measured_noise(p, d, measured);
  EXPECT_GE(p.power, 0.8);
  EXPECT_LE(p.power_at_measured_noise, 0.1);
}

TEST(RulePower, RepetitionSimulatesLargeMeasuredSeedNoiseWithoutNegativeLosses) {
  // A run measured 0.21 nats between seeds (2026-12-04); at that noise the simulator once drew
  // negative losses and the power-law fit refused them, ending the study without a verdict.
#ifdef EMLAB_SANITIZED
  GTEST_SKIP() << "repetition's pools take minutes under ASan";
#endif
  const StudyDefinition d = load_study_definition((kStudies / "repetition.toml").string(), "small");
  RulePower p = rule_power(d, 10);
  Measurements measured;
  measured.add("fresh_loss_seed_sd", 0.5, "larger than any run has measured");
  ASSERT_NO_THROW(add_power_at_measured_noise(p, d, measured));
  EXPECT_TRUE(std::isfinite(p.power_at_measured_noise));
}

// The shipped studies whose kinds have a simulator: each rule in use is fit for use at the design
// it runs with (small scale); a negative control's (mirage-linear, repetition-none) when it says
// held in at most 0.1 of either world. Under AddressSanitizer two worlds of each run, for memory
// errors, in one study per kind (its simulator and measure are the kind's), and the figures are
// the Release suite's to check. One test per study, so CTest times each and a slow one is named.
class ShippedRule : public ::testing::TestWithParam<std::string> {};

TEST_P(ShippedRule, IsFitForUseAtSmallScale) {
  const std::string& name = GetParam();
#ifdef EMLAB_SANITIZED
  // Ten worlds of every study took over ten minutes under ASan. Repetition's designs draw their
  // training pools example by example (minutes there), so its kind is left to RepetitionKind's
  // tests.
  constexpr int kSimulations = 2;
  constexpr bool kJudge = false;
  for (const char* left_out :
       {"mirage-lengths", "mirage-linear", "mirage-recall-linear", "induction-markov",
        "composition-both", "repetition", "repetition-none", "repetition-text", "scaling-text",
        "loss-threshold-text", "depth-matched"})
    if (name == left_out) GTEST_SKIP() << "not under ASan: see the comment above";
#else
  constexpr int kSimulations = kDefaultSimulations;
  constexpr bool kJudge = true;
#endif
  const StudyDefinition d = load_study_definition((kStudies / (name + ".toml")).string(), "small");
  const RulePower p = rule_power(d, kSimulations);
  ASSERT_TRUE(p.simulated) << name;
  EXPECT_EQ(p.control, d.control) << name;
  if (kJudge) {
    EXPECT_TRUE(p.fit_for_use()) << name << ": " << describe(p);
  }
}

// Every study file under studies/, so that a new study cannot ship without its rule checked.
std::vector<std::string> shipped_studies() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(kStudies))
    if (entry.path().extension() == ".toml") names.push_back(entry.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

INSTANTIATE_TEST_SUITE_P(RulePower, ShippedRule, ::testing::ValuesIn(shipped_studies()),
                         emlab::testing::study_test_name);

}  // namespace
}  // namespace emlab::study

// The table of probes: names are unique, every score a probe stores is one it declares and has
// the layer and head its scope says, the runner stores them in the order databases have always
// held them, only the in-context and hop probes ask for held-out sequences, and the hop probe
// scores every k on the same held-out strings of a hops stream and nothing on other streams.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "core/rng.hpp"
#include "nn/gpt.hpp"
#include "probe/hop_accuracy.hpp"
#include "probe/probe_registry.hpp"
#include "probe/probe_runner.hpp"
#include "train/hop_stream.hpp"
#include "train/token_stream.hpp"

namespace emlab::probe {
namespace {

nn::ModelConfig two_by_two() {
  nn::ModelConfig c;
  c.vocab_size = 16;
  c.context = 12;
  c.width = 16;
  c.layers = 2;
  c.heads = 2;
  c.mlp_width = 0;
  return c;
}

// Uniform random tokens, every next token scored.
class RandomStream : public train::TokenStream {
 public:
  int vocab_size() const override { return 16; }
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override {
    for (int b = 0; b < B; ++b) {
      for (int t = 0; t <= T; ++t) {
        const auto token = static_cast<int32_t>(rng_.below(16));
        if (t < T) tokens[b * T + t] = token;
        if (t > 0) targets[b * T + t - 1] = token;
      }
    }
  }
  std::string save_state() const override { return ""; }
  void restore_state(const std::string&) override {}
  std::string describe() const override { return "random"; }

 private:
  Rng rng_{3};
};

// The probes of the first runner, whose scores every database so far holds.
const std::vector<std::string> kFirstProbes = {"previous_token", "induction", "duplicate_token",
                                               "copying",        "icl",       "repeat_loss"};

std::vector<ProbeScore> run_on_a_random_model(const std::vector<std::string>& probes) {
  nn::Gpt model(two_by_two(), 8);
  model.init_weights(5);
  RandomStream held_out;
  ProbeOptions options;
  options.probes = probes;
  options.rows = 8;
  options.icl_rows = 8;
  return run_probes(model, options, &held_out);
}

TEST(ProbeRegistry, NamesAreUniqueAndEveryStoredScoreIsDeclaredWithItsScope) {
  std::set<std::string> names;
  for (const ProbeKind& k : probe_kinds()) {
    EXPECT_TRUE(names.insert(k.name).second) << k.name;
    EXPECT_FALSE(k.scores.empty()) << k.name;
    if (k.scope == ProbeScope::kHead) {
      EXPECT_EQ(k.scores.front(), k.name);
    }
  }
  for (const std::string& name : kFirstProbes) EXPECT_NE(find_probe(name), nullptr) << name;
  for (const ProbeScore& s : run_on_a_random_model({})) {  // every probe of the table
    const ProbeKind* owner = nullptr;
    for (const ProbeKind& k : probe_kinds())
      for (const std::string& score : k.scores)
        if (score == s.probe) owner = &k;
    ASSERT_NE(owner, nullptr) << s.probe << " is declared by no probe";
    EXPECT_EQ(s.layer >= 0 && s.head >= 0, owner->scope == ProbeScope::kHead) << s.probe;
    EXPECT_EQ(s.layer >= 0 && s.head < 0, owner->scope == ProbeScope::kLayer) << s.probe;
  }
}

TEST(ProbeRegistry, ScoresAreStoredInTheirLongstandingOrder) {
  std::vector<std::string> expected;
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 2; ++h)
      for (const char* name : {"previous_token", "induction", "induction_mul", "duplicate_token"})
        expected.push_back(name + std::string(" L") + std::to_string(l) + "H" + std::to_string(h));
  expected.insert(expected.end(), {"repeat_loss_first", "repeat_loss_repeated"});
  for (int l = 0; l < 2; ++l)
    for (int h = 0; h < 2; ++h)
      expected.push_back("copying L" + std::to_string(l) + "H" + std::to_string(h));
  expected.insert(expected.end(), {"icl_score", "icl_loss_early", "icl_loss_late",
                                   "icl_position_early", "icl_position_late"});
  std::vector<std::string> stored;
  for (const ProbeScore& s : run_on_a_random_model(kFirstProbes))
    stored.push_back(s.layer < 0
                         ? s.probe
                         : s.probe + " L" + std::to_string(s.layer) + "H" + std::to_string(s.head));
  EXPECT_EQ(stored, expected);
}

TEST(ProbeRegistry, LayerAblationScoresEveryLayerAndChanceIsTheUniformHeadsScore) {
  const std::vector<ProbeScore> scores =
      run_on_a_random_model({"repeat_loss", "layer_ablation", "induction_chance"});
  std::vector<int> ablated_layers;
  double chance = -1, repeated = -1;
  for (const ProbeScore& s : scores) {
    if (s.probe == "repeat_loss_ablated") {
      ablated_layers.push_back(s.layer);
      EXPECT_GT(s.value, 0) << s.layer;
    }
    if (s.probe == "induction_chance") chance = s.value;
    if (s.probe == "repeat_loss_repeated") repeated = s.value;
  }
  EXPECT_EQ(ablated_layers, (std::vector<int>{0, 1}));
  EXPECT_GT(repeated, 0);  // the intact model's loss, which the ablated ones are read against
  // Context 12, repeats 2: blocks of 6 tokens; (1/7 + 1/8 + ... + 1/12) / 6.
  EXPECT_NEAR(chance, (1.0 / 7 + 1.0 / 8 + 1.0 / 9 + 1.0 / 10 + 1.0 / 11 + 1.0 / 12) / 6, 1e-6);
}

TEST(ProbeRegistry, LayerAblationLeavesTheModelIntact) {
  nn::Gpt model(two_by_two(), 8);
  model.init_weights(5);
  ProbeOptions losses, ablation;
  losses.probes = {"repeat_loss"};
  ablation.probes = {"layer_ablation"};
  losses.rows = ablation.rows = 8;
  const std::vector<ProbeScore> before = run_probes(model, losses, nullptr);
  const std::vector<ProbeScore> ablated = run_probes(model, ablation, nullptr);
  const std::vector<ProbeScore> after = run_probes(model, losses, nullptr);
  EXPECT_EQ(before, after);
  // A random model copies nothing, but removing a layer still changes its loss.
  EXPECT_NE(ablated.front().value, before.back().value);
}

TEST(ProbeRegistry, OnlyTheInContextAndHopProbesNeedHeldOutSequences) {
  ProbeOptions options;
  EXPECT_TRUE(needs_held_out(options));  // every probe
  options.probes = {"previous_token", "induction", "duplicate_token", "copying", "repeat_loss"};
  EXPECT_FALSE(needs_held_out(options));
  options.probes = {"icl"};
  EXPECT_TRUE(needs_held_out(options));
  options.probes = {"hop_accuracy"};
  EXPECT_TRUE(needs_held_out(options));
}

TEST(HopAccuracy, EveryKOnTheSameStringsAndNothingOnOtherStreams) {
  EXPECT_TRUE(run_on_a_random_model({"hop_accuracy"}).empty());  // not a hops stream
  nn::Gpt model(two_by_two(), 8);
  model.init_weights(5);
  train::HopStream held_out(16, 4, 3, 11), same(16, 4, 3, 11);
  ProbeOptions options;
  options.probes = {"hop_accuracy"};
  options.icl_rows = 20;
  const std::vector<ProbeScore> scores = run_probes(model, options, &held_out);
  ASSERT_EQ(scores.size(), 8u);  // accuracy and positions for k = 0..3
  // The labelled positions of the 20 strings the probe drew, counted here from a copy of the
  // stream: every k is asked about the same strings.
  std::vector<int32_t> tokens(20 * 12), targets(20 * 12);
  same.next_batch(20, 12, tokens.data(), targets.data());
  for (int k = 0; k <= 3; ++k) {
    int64_t labelled = 0;
    for (int b = 0; b < 20; ++b) {
      const std::vector<int> s(tokens.begin() + b * 12 + 1, tokens.begin() + (b + 1) * 12);
      for (const int p : train::hop_positions(s, k)) labelled += p >= 0 ? 1 : 0;
    }
    EXPECT_EQ(scores[size_t(2 * k)].probe, hop_accuracy_score(k));
    EXPECT_GE(scores[size_t(2 * k)].value, 0.0);
    EXPECT_LE(scores[size_t(2 * k)].value, 1.0);
    EXPECT_EQ(scores[size_t(2 * k + 1)].probe, hop_positions_score(k));
    EXPECT_EQ(scores[size_t(2 * k + 1)].value, double(labelled)) << "k = " << k;
  }
  EXPECT_EQ(scores[1].value, 20 * 11);  // k = 0 labels every letter
}

}  // namespace
}  // namespace emlab::probe

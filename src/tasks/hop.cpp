#include "tasks/hop.hpp"

#include "core/error.hpp"
#include "tasks/alphabet.hpp"
#include "train/hop_stream.hpp"

namespace emlab::tasks {
namespace {

constexpr int kDrawTries = 10000;

}  // namespace

HopTask::HopTask(ParamReader& params) : Task("hop") {
  length_ = params.integer32("length", 24, 2, 512);
  letters_ = params.integer32("letters", 4, 2, kLetters, "the alphabet has 26 letters");
  k_ = params.integer32("k", 2, 0, length_ - 2, "each hop moves at least one position left");
  configure(params);
  // Fail at construction, not mid-training, when strings where k hops succeed are too rare.
  Rng probe(0);
  bool feasible = false;
  for (int i = 0; i < 1000 && !feasible; ++i)
    feasible = hop_target(train::random_hop_string(probe, length_, letters_)) >= 0;
  require(feasible,
          "task 'hop': k = {} hops almost never succeed in strings of length {} over {} letters; "
          "use a longer string, fewer letters or fewer hops",
          k_, length_, letters_);
}

int HopTask::hop_target(const std::vector<int>& s) const {
  return train::hop_positions(s, k_).back();
}

Example HopTask::draw(Rng& rng, bool) const {
  for (int attempt = 0; attempt < kDrawTries; ++attempt) {
    const std::vector<int> s = train::random_hop_string(rng, length_, letters_);
    const int at = hop_target(s);
    if (at < 0) continue;
    std::vector<int32_t> prompt;
    for (const int c : s) prompt.push_back(letter_token(c));
    prompt.push_back(tok::kQuery);
    for (const int32_t t : number_tokens(static_cast<uint64_t>(k_))) prompt.push_back(t);
    prompt.push_back(tok::kEquals);
    return make_example(std::move(prompt), {letter_token(s[static_cast<size_t>(at)])});
  }
  fail("task {}: no string with {} successful hops in {} draws", describe(), k_, kDrawTries);
}

}  // namespace emlab::tasks

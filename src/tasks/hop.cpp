#include "tasks/hop.hpp"

#include <array>

#include "core/error.hpp"
#include "tasks/alphabet.hpp"

namespace emlab::tasks {
namespace {

constexpr int kDrawTries = 10000;

std::vector<int> random_string(Rng& rng, int length, int letters) {
  std::vector<int> s(static_cast<size_t>(length));
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == 0) {
      s[i] = static_cast<int>(rng.below(static_cast<uint64_t>(letters)));
    } else {  // uniform over the letters other than the previous one
      const int r = static_cast<int>(rng.below(static_cast<uint64_t>(letters - 1)));
      s[i] = r >= s[i - 1] ? r + 1 : r;
    }
  }
  return s;
}

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
    feasible = hop_target(random_string(probe, length_, letters_)) >= 0;
  require(feasible,
          "task 'hop': k = {} hops almost never succeed in strings of length {} over {} letters; "
          "use a longer string, fewer letters or fewer hops",
          k_, length_, letters_);
}

int HopTask::hop_target(const std::vector<int>& s) const {
  // previous[i]: the last j < i with s[j] == s[i], from one left-to-right pass.
  std::vector<int> previous(s.size());
  std::array<int, kLetters> last;
  last.fill(-1);
  for (size_t i = 0; i < s.size(); ++i) {
    previous[i] = last[static_cast<size_t>(s[i])];
    last[static_cast<size_t>(s[i])] = static_cast<int>(i);
  }
  int at = static_cast<int>(s.size()) - 1;
  for (int hop = 0; hop < k_; ++hop) {
    const int p = previous[static_cast<size_t>(at)];
    if (p < 0) return -1;
    at = p + 1;
  }
  return at;
}

Example HopTask::draw(Rng& rng, bool) const {
  for (int attempt = 0; attempt < kDrawTries; ++attempt) {
    const std::vector<int> s = random_string(rng, length_, letters_);
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

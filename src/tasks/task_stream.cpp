#include "tasks/task_stream.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <unordered_set>

#include "core/error.hpp"
#include "tasks/alphabet.hpp"
#include "tasks/factory.hpp"

namespace emlab::tasks {
namespace {

// Hashes a token sequence for the pools' sets of distinct examples.
struct TokensHash {
  size_t operator()(const std::vector<int32_t>& tokens) const { return prompt_hash(tokens, 0); }
};

uint64_t mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::string join_tokens(const std::vector<int32_t>& tokens) {
  std::string out;
  for (const int32_t t : tokens) {
    if (!out.empty()) out += ',';
    out += std::to_string(t);
  }
  return out;
}

int64_t parse_int(std::string_view text, std::string_view what) {
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  require(ec == std::errc() && ptr == text.data() + text.size() && !text.empty(),
          "task stream state: {} '{}' is not an integer", what, text);
  return value;
}

std::vector<int32_t> parse_tokens(std::string_view text) {
  std::vector<int32_t> tokens;
  while (!text.empty()) {
    const size_t comma = std::min(text.find(','), text.size());
    const int64_t t = parse_int(text.substr(0, comma), "token");
    require(t >= 0 && t < kVocabSize, "task stream state: token {} is outside the alphabet", t);
    tokens.push_back(static_cast<int32_t>(t));
    text.remove_prefix(std::min(comma + 1, text.size()));
  }
  return tokens;
}

}  // namespace

TaskStream::TaskStream(const MixtureConfig& config, uint64_t seed)
    : score_prompt_(config.score_prompt), pack_(config.pack), seed_(seed), rng_(seed) {
  require(!config.tasks.empty(), "task mixture: no tasks given");
  require(config.pool_size >= 0,
          "task mixture: pool_size must be 0 (fresh examples) or positive "
          "(got {})",
          config.pool_size);
  double total = 0;
  for (size_t i = 0; i < config.tasks.size(); ++i) {
    const TaskSpec& spec = config.tasks[i];
    require(std::isfinite(spec.weight) && spec.weight > 0,
            "task mixture: task {} ({}) needs a positive weight (got {})", i, spec.name,
            spec.weight);
    tasks_.push_back(make_task(spec));
    total += spec.weight;
    cumulative_.push_back(total);
  }
  for (auto& c : cumulative_) c /= total;
  if (config.pool_size > 0) fill_pools(config.pool_size);
}

void TaskStream::fill_pools(int64_t pool_size) {
  // Each task's share of the pool by its weight, largest remainders first, so they sum to N.
  const size_t k = tasks_.size();
  shares_.assign(k, 0);
  std::vector<std::pair<double, size_t>> remainders;
  int64_t given = 0;
  for (size_t i = 0; i < k; ++i) {
    const double exact = double(pool_size) * (cumulative_[i] - (i > 0 ? cumulative_[i - 1] : 0.0));
    shares_[i] = static_cast<int64_t>(std::floor(exact));
    given += shares_[i];
    remainders.push_back({exact - std::floor(exact), i});
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t r = 0; given < pool_size; ++r, ++given) ++shares_[remainders[r % k].second];

  pools_.assign(k, {});
  served_.assign(k, 0);
  order_epochs_.assign(k, -1);
  orders_.assign(k, {});
  for (size_t i = 0; i < k; ++i) {
    // Distinct (prompt, answer) pairs of this task, drawn once; a task whose training prompts run
    // out before its share pools all it has. The draws stop after 2000 + 20 m repeats in a row
    // with m pairs found: were any of the N >= m pairs still unseen, such a run would have chance
    // below (1 - 1/N)^(20 N) ~ e^-20. (Scaling it with the share instead cost millions of wasted
    // draws when a small task's share was large.)
    Rng pool_rng(mix64(seed_ ^ 0x7001ULL ^ mix64(i + 1)));
    std::unordered_set<std::vector<int32_t>, TokensHash> seen;
    int64_t repeats_in_a_row = 0;
    while (static_cast<int64_t>(pools_[i].size()) < shares_[i] &&
           repeats_in_a_row < 2000 + 20 * static_cast<int64_t>(pools_[i].size())) {
      Example e = tasks_[i]->sample_train(pool_rng);
      std::vector<int32_t> key = e.prompt;
      key.push_back(-1);
      key.insert(key.end(), e.target.begin(), e.target.end());
      if (!seen.insert(std::move(key)).second) {
        ++repeats_in_a_row;
        continue;
      }
      repeats_in_a_row = 0;
      pools_[i].push_back(std::move(e));
    }
    require(!pools_[i].empty() || shares_[i] == 0,
            "task mixture: no training example of {} could be drawn for its pool",
            tasks_[i]->describe());
  }
}

int TaskStream::vocab_size() const {
  return kVocabSize;
}

int TaskStream::pick_source(Rng& rng) const {
  if (cumulative_.size() == 1) return 0;
  const double u = static_cast<double>(rng.next_u64() >> 11) * 0x1.0p-53;
  const auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  return static_cast<int>(std::min<ptrdiff_t>(it - cumulative_.begin(),
                                              static_cast<ptrdiff_t>(cumulative_.size()) - 1));
}

const std::vector<int>& TaskStream::epoch_order(int source, int64_t epoch) {
  const auto t = static_cast<size_t>(source);
  if (epoch != order_epochs_[t]) {
    // A function of (seed, task, epoch) alone, so a restored cursor finds the same order.
    std::vector<int>& order = orders_[t];
    order.resize(pools_[t].size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    Rng rng(mix64(seed_ ^ mix64(static_cast<uint64_t>(epoch) + 1) ^ mix64(t + 0x51)));
    for (size_t i = order.size() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
    order_epochs_[t] = epoch;
  }
  return orders_[t];
}

Example TaskStream::next_example(int* source) {
  // The task is drawn by weight in both modes, so a pool keeps the fresh stream's mix.
  const int s = pick_source(rng_);
  const auto t = static_cast<size_t>(s);
  Example e;
  if (pools_.empty() || pools_[t].empty()) {
    e = tasks_[t]->sample_train(rng_);
  } else {
    const auto n = static_cast<int64_t>(pools_[t].size());
    const int64_t cursor = served_[t]++;
    e = pools_[t][static_cast<size_t>(epoch_order(s, cursor / n)[static_cast<size_t>(cursor % n)])];
  }
  ++drawn_;
  if (source) *source = s;
  return e;
}

void TaskStream::next_batch(int B, int T, int32_t* tokens, int32_t* targets) {
  require(B >= 0 && T >= 1, "task stream: batch shape ({}, {}) must have B >= 0 and T >= 1", B, T);
  for (int b = 0; b < B; ++b) {
    int32_t* row = tokens + static_cast<ptrdiff_t>(b) * T;
    int32_t* want = targets + static_cast<ptrdiff_t>(b) * T;
    std::fill(row, row + T, tok::kPad);
    std::fill(want, want + T, -1);
    int pos = 0;
    while (true) {
      if (!pending_) pending_ = next_example(&pending_source_);
      const Example& e = *pending_;
      const int prompt = static_cast<int>(e.prompt.size());
      const int length = 1 + prompt + static_cast<int>(e.target.size());
      require(length <= T,
              "task {}: an example of {} tokens (<bos> + prompt {} + answer {}) does not fit in "
              "a row of T = {} tokens; lengthen the sequence or shrink the task",
              tasks_[static_cast<size_t>(pending_source_)]->describe(), length, prompt,
              e.target.size(), T);
      if (pos + length > T) break;  // stays pending: it opens the next row
      int32_t* out = row + pos;
      out[0] = tok::kBos;
      std::copy(e.prompt.begin(), e.prompt.end(), out + 1);
      std::copy(e.target.begin(), e.target.end(), out + 1 + prompt);
      // Position j predicts token j+1: the answer's tokens, or everything after <bos>.
      for (int j = score_prompt_ ? 0 : prompt; j < length - 1; ++j) want[pos + j] = out[j + 1];
      pos += length;
      pending_.reset();
      if (!pack_) break;
    }
  }
}

std::string TaskStream::save_state() const {
  // The mixture's fingerprint guards against restoring into a different stream.
  std::string served;
  for (size_t i = 0; i < served_.size(); ++i)
    served += fmt::format("{}{}", i ? "," : "", served_[i]);
  std::string state =
      fmt::format("taskstream-v2 mixture={} rng={} drawn={} served={} pending=", fingerprint(),
                  rng_.state_string(), drawn_, served.empty() ? "-" : served);
  if (!pending_) return state + "-";
  return state + fmt::format("{}:{}:{}", pending_source_, join_tokens(pending_->prompt),
                             join_tokens(pending_->target));
}

void TaskStream::restore_state(const std::string& state) {
  std::istringstream in(state);
  std::string version, mixture, rng, drawn, served = "served=-", pending;
  in >> version >> mixture >> rng >> drawn;
  // v1 (before pools were split by task) is the same state for a fresh stream.
  require(version != "taskstream-v1" || pools_.empty(),
          "task stream state: saved by an older emlab whose pool mixed tasks unevenly; this run "
          "cannot resume: start it again");
  if (version == "taskstream-v2") in >> served;
  in >> pending;
  require((version == "taskstream-v2" || version == "taskstream-v1") &&
              mixture.starts_with("mixture=") && rng.starts_with("rng=") &&
              drawn.starts_with("drawn=") && served.starts_with("served=") &&
              pending.starts_with("pending="),
          "task stream state: expected 'taskstream-v2 mixture=.. rng=.. drawn=.. served=.. "
          "pending=..', got '{}'",
          state);
  require(mixture.substr(8) == fingerprint(),
          "task stream state: saved from a different task mixture or seed than {}", describe());
  const Rng::State rng_state = Rng::parse_state(rng.substr(4));
  const int64_t drawn_count = parse_int(std::string_view(drawn).substr(6), "drawn");
  require(drawn_count >= 0, "task stream state: drawn must be non-negative (got {})", drawn_count);
  std::vector<int64_t> served_counts;
  for (std::string_view rest = std::string_view(served).substr(7); rest != "-" && !rest.empty();) {
    const size_t comma = std::min(rest.find(','), rest.size());
    served_counts.push_back(parse_int(rest.substr(0, comma), "served"));
    require(served_counts.back() >= 0, "task stream state: served must be non-negative");
    rest.remove_prefix(std::min(comma + 1, rest.size()));
  }
  require(served_counts.size() == served_.size(), "task stream state: {} pool cursors for {} pools",
          served_counts.size(), served_.size());
  std::optional<Example> restored;
  int restored_source = 0;
  const std::string_view p = std::string_view(pending).substr(8);
  if (p != "-") {
    const size_t a = p.find(':');
    const size_t b = a == std::string_view::npos ? a : p.find(':', a + 1);
    require(b != std::string_view::npos, "task stream state: malformed pending example '{}'", p);
    const int64_t s = parse_int(p.substr(0, a), "task index");
    require(s >= 0 && s < static_cast<int64_t>(tasks_.size()),
            "task stream state: task index {} is outside the mixture", s);
    restored_source = static_cast<int>(s);
    Example e;
    e.task = tasks_[static_cast<size_t>(s)]->name();
    e.prompt = parse_tokens(p.substr(a + 1, b - a - 1));
    e.target = parse_tokens(p.substr(b + 1));
    restored = std::move(e);
  }
  rng_.set_state(rng_state);
  drawn_ = drawn_count;
  served_ = std::move(served_counts);
  pending_ = std::move(restored);
  pending_source_ = restored_source;
}

std::string TaskStream::fingerprint() const {
  const std::string text = describe();
  const std::vector<int32_t> chars(text.begin(), text.end());
  return fmt::format("{:016x}", prompt_hash(chars, seed_));
}

std::unique_ptr<train::TokenStream> make_task_stream(const MixtureConfig& config, uint64_t seed) {
  return std::make_unique<TaskStream>(config, seed);
}

std::string TaskStream::describe() const {
  std::string text;
  for (size_t i = 0; i < tasks_.size(); ++i) {
    const double w = cumulative_[i] - (i > 0 ? cumulative_[i - 1] : 0.0);
    text += fmt::format("{}{:.3g} {}", i > 0 ? " + " : "", w, tasks_[i]->describe());
  }
  if (pools_.empty()) {
    text += "; fresh examples";
  } else {
    int64_t total = 0;
    std::string short_tasks;
    for (size_t i = 0; i < pools_.size(); ++i) {
      total += static_cast<int64_t>(pools_[i].size());
      if (static_cast<int64_t>(pools_[i].size()) < shares_[i])
        short_tasks += fmt::format("{}{} pools all {} of its examples (share {})",
                                   short_tasks.empty() ? "" : ", ", tasks_[i]->describe(),
                                   pools_[i].size(), shares_[i]);
    }
    text += fmt::format("; pool of {} examples, one per task by weight", total);
    if (!short_tasks.empty()) text += " (" + short_tasks + ")";
  }
  if (score_prompt_) text += "; prompts scored";
  if (!pack_) text += "; one example per row";
  return text;
}

}  // namespace emlab::tasks

#include "tasks/task_stream.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "tasks/alphabet.hpp"
#include "tasks/factory.hpp"

namespace emlab::tasks {
namespace {

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
  if (config.pool_size == 0) return;

  // The pool: distinct (prompt, answer) pairs drawn once from the mixture.
  Rng pool_rng(mix64(seed ^ 0x7001ULL));
  std::set<std::vector<int32_t>> seen;
  const int64_t budget = 50 * config.pool_size + 100000;
  for (int64_t i = 0; i < budget && static_cast<int64_t>(pool_.size()) < config.pool_size; ++i) {
    const int source = pick_source(pool_rng);
    Example e = tasks_[static_cast<size_t>(source)]->sample_train(pool_rng);
    std::vector<int32_t> key = e.prompt;
    key.push_back(-1);
    key.insert(key.end(), e.target.begin(), e.target.end());
    if (!seen.insert(std::move(key)).second) continue;
    pool_.push_back(std::move(e));
    pool_sources_.push_back(source);
  }
  require(static_cast<int64_t>(pool_.size()) == config.pool_size,
          "task mixture: pool_size = {} but only {} distinct training examples turned up in {} "
          "draws; the tasks' training prompt space is smaller than that",
          config.pool_size, pool_.size(), budget);
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

const std::vector<int>& TaskStream::epoch_order(int64_t epoch) {
  if (epoch != order_epoch_) {
    // A function of (seed, epoch) alone, so a restored cursor finds the same order.
    order_.resize(pool_.size());
    for (size_t i = 0; i < order_.size(); ++i) order_[i] = static_cast<int>(i);
    Rng rng(mix64(seed_ ^ mix64(static_cast<uint64_t>(epoch) + 1)));
    for (size_t i = order_.size() - 1; i > 0; --i) std::swap(order_[i], order_[rng.below(i + 1)]);
    order_epoch_ = epoch;
  }
  return order_;
}

Example TaskStream::next_example(int* source) {
  int s = 0;
  Example e;
  if (pool_.empty()) {
    s = pick_source(rng_);
    e = tasks_[static_cast<size_t>(s)]->sample_train(rng_);
  } else {
    const auto n = static_cast<int64_t>(pool_.size());
    const int index = epoch_order(drawn_ / n)[static_cast<size_t>(drawn_ % n)];
    s = pool_sources_[static_cast<size_t>(index)];
    e = pool_[static_cast<size_t>(index)];
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
  std::string state =
      fmt::format("taskstream-v1 mixture={} rng={} drawn={} pending=", fingerprint(),
                  rng_.state_string(), drawn_);
  if (!pending_) return state + "-";
  return state + fmt::format("{}:{}:{}", pending_source_, join_tokens(pending_->prompt),
                             join_tokens(pending_->target));
}

void TaskStream::restore_state(const std::string& state) {
  std::istringstream in(state);
  std::string version, mixture, rng, drawn, pending;
  in >> version >> mixture >> rng >> drawn >> pending;
  require(version == "taskstream-v1" && mixture.starts_with("mixture=") &&
              rng.starts_with("rng=") && drawn.starts_with("drawn=") &&
              pending.starts_with("pending="),
          "task stream state: expected 'taskstream-v1 mixture=.. rng=.. drawn=.. pending=..', "
          "got '{}'",
          state);
  require(mixture.substr(8) == fingerprint(),
          "task stream state: saved from a different task mixture or seed than {}", describe());
  const Rng::State rng_state = Rng::parse_state(rng.substr(4));
  const int64_t drawn_count = parse_int(std::string_view(drawn).substr(6), "drawn");
  require(drawn_count >= 0, "task stream state: drawn must be non-negative (got {})", drawn_count);
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
  text += pool_.empty() ? "; fresh examples" : fmt::format("; pool of {} examples", pool_.size());
  if (score_prompt_) text += "; prompts scored";
  if (!pack_) text += "; one example per row";
  return text;
}

}  // namespace emlab::tasks

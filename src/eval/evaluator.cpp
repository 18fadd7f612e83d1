#include "eval/evaluator.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "nn/generation.hpp"
#include "nn/kv_decoder.hpp"
#include "tasks/alphabet.hpp"

namespace emlab::eval {

namespace {

Tokens with_bos(const Tokens& prompt) {
  Tokens t{tasks::tok::kBos};
  t.insert(t.end(), prompt.begin(), prompt.end());
  return t;
}

// Teacher-forced log-probabilities of `continuations[i]` after `contexts[i]` ("<bos> prompt"):
// per token, for every pair, in batches padded at the end (causal attention keeps padding from
// touching earlier positions).
std::vector<std::vector<double>> continuation_token_logprobs(
    nn::Gpt& model, const std::vector<Tokens>& contexts, const std::vector<Tokens>& continuations,
    int batch) {
  const int T_max = model.config().context;
  std::vector<std::vector<double>> out(contexts.size());
  std::vector<int32_t> tokens, targets;
  for (size_t first = 0; first < contexts.size(); first += static_cast<size_t>(batch)) {
    const size_t last = std::min(contexts.size(), first + static_cast<size_t>(batch));
    const int B = static_cast<int>(last - first);
    int T = 0;
    for (size_t i = first; i < last; ++i)
      T = std::max(T, static_cast<int>(contexts[i].size() + continuations[i].size()) - 1);
    require(T <= T_max, "evaluation: prompt and answer need {} positions, model.context is {}", T,
            T_max);
    tokens.assign(static_cast<size_t>(B) * T, tasks::tok::kPad);
    targets.assign(tokens.size(), -1);
    for (size_t i = first; i < last; ++i) {
      Tokens seq = contexts[i];
      seq.insert(seq.end(), continuations[i].begin(), continuations[i].end());
      const size_t row = (i - first) * static_cast<size_t>(T);
      for (size_t j = 0; j + 1 < seq.size(); ++j) tokens[row + j] = seq[j];
      for (size_t k = 0; k < continuations[i].size(); ++k)
        targets[row + contexts[i].size() - 1 + k] = continuations[i][k];
    }
    model.forward(tokens.data(), targets.data(), B, T);
    const float* losses = model.position_losses();
    for (size_t i = first; i < last; ++i) {
      const size_t row = (i - first) * static_cast<size_t>(T);
      for (size_t k = 0; k < continuations[i].size(); ++k)
        out[i].push_back(-static_cast<double>(losses[row + contexts[i].size() - 1 + k]));
    }
  }
  return out;
}

// Extends each record's outcome sequence, in rounds over the examples still short of r passes,
// until r passes or the cap: inverse sampling for pass rates far below 1/samples.
void sample_until_passes(nn::KvDecoder& decoder, const tasks::Task& task,
                         const std::vector<tasks::Example>& examples,
                         const std::vector<Tokens>& contexts, nn::GenerationOptions options,
                         const EvalOptions& o, std::vector<ExampleRecord>& records) {
  options.temperature = o.temperature;
  Rng rng(o.sample_seed ^ 0x9a55u);
  std::vector<int> passes(records.size(), 0);
  for (size_t i = 0; i < records.size(); ++i)
    for (const Sample& s : records[i].samples) {
      records[i].until_outcomes.push_back(s.passed);
      passes[i] += s.passed ? 1 : 0;
    }
  while (true) {
    std::vector<size_t> owner;
    std::vector<Tokens> batch;
    for (size_t i = 0; i < records.size(); ++i) {
      const auto drawn = static_cast<int>(records[i].until_outcomes.size());
      if (passes[i] >= o.pass_until_r || drawn >= o.pass_until_max) continue;
      for (int s = 0; s < std::min(o.pass_until_round, o.pass_until_max - drawn); ++s) {
        owner.push_back(i);
        batch.push_back(contexts[i]);
      }
    }
    if (batch.empty()) return;
    const auto outputs = nn::generate(decoder, batch, options, &rng);
    for (size_t j = 0; j < outputs.size(); ++j) {
      const size_t i = owner[j];
      const bool passed = task.is_correct(examples[i], outputs[j]);
      records[i].until_outcomes.push_back(passed);
      passes[i] += passed ? 1 : 0;
    }
  }
}

}  // namespace

std::vector<ExampleRecord> evaluate_task(nn::Gpt& model, const tasks::Task& task,
                                         const EvalOptions& o) {
  require(o.examples > 0, "evaluation: examples must be positive (got {})", o.examples);
  require(o.batch > 0 && o.batch <= model.max_batch(),
          "evaluation: batch {} must be in 1..{} (the model's max batch)", o.batch,
          model.max_batch());
  require(model.config().vocab_size >= tasks::kVocabSize,
          "evaluation: task {} uses a vocabulary of {} tokens, the model has {}", task.name(),
          tasks::kVocabSize, model.config().vocab_size);
  const std::vector<tasks::Example> examples = task.test_set(o.examples, o.seed);
  std::vector<ExampleRecord> records(examples.size());
  std::vector<Tokens> contexts, targets;
  size_t longest_target = 0;
  for (size_t i = 0; i < examples.size(); ++i) {
    records[i].task = task.name();
    records[i].prompt = examples[i].prompt;
    records[i].target = examples[i].target;
    records[i].answer_separator = task.answer_separator().value_or(-1);
    contexts.push_back(with_bos(examples[i].prompt));
    targets.push_back(examples[i].target);
    longest_target = std::max(longest_target, examples[i].target.size());
  }

  // Greedy outputs through the KV cache.
  nn::KvDecoder decoder(model, o.batch);
  const nn::GenerationOptions greedy{
      .max_new_tokens = static_cast<int>(longest_target) + o.extra_new_tokens,
      .stop_token = tasks::tok::kEos,
      .temperature = 0.0f};
  const auto outputs = nn::generate(decoder, contexts, greedy);
  for (size_t i = 0; i < records.size(); ++i) records[i].output = outputs[i];

  // Teacher-forced probabilities of the target tokens.
  const auto logprobs = continuation_token_logprobs(model, contexts, targets, o.batch);
  for (size_t i = 0; i < records.size(); ++i) {
    if (logprobs[i].empty()) continue;  // a choice-only example: no target to score
    records[i].target_logprob = 0;
    for (double lp : logprobs[i]) {
      records[i].target_token_probs.push_back(std::exp(lp));
      records[i].target_logprob += lp;
    }
  }

  // Multiple choice: the log-probability of each whole choice.
  std::vector<Tokens> choice_contexts, choice_tokens;
  for (const auto& ex : examples)
    for (const auto& choice : ex.choices) {
      choice_contexts.push_back(with_bos(ex.prompt));
      choice_tokens.push_back(choice);
    }
  if (!choice_tokens.empty()) {
    const auto choice_lp =
        continuation_token_logprobs(model, choice_contexts, choice_tokens, o.batch);
    size_t at = 0;
    for (size_t i = 0; i < examples.size(); ++i) {
      for (size_t c = 0; c < examples[i].choices.size(); ++c, ++at) {
        double sum = 0;
        for (double lp : choice_lp[at]) sum += lp;
        records[i].choice_logprobs.push_back(sum);
      }
      records[i].correct_choice = examples[i].correct;
    }
  }

  // Temperature samples, each judged by the task (programs are judged by running them).
  if (o.samples > 0) {
    Rng rng(o.sample_seed);
    nn::GenerationOptions sampled = greedy;
    sampled.temperature = o.temperature;
    std::vector<Tokens> repeated;
    for (const auto& c : contexts)
      for (int s = 0; s < o.samples; ++s) repeated.push_back(c);
    const auto drawn = nn::generate(decoder, repeated, sampled, &rng);
    for (size_t i = 0; i < records.size(); ++i)
      for (int s = 0; s < o.samples; ++s) {
        const auto& out = drawn[i * static_cast<size_t>(o.samples) + static_cast<size_t>(s)];
        records[i].samples.push_back({out, task.is_correct(examples[i], out)});
      }
  }
  if (o.pass_until_max > 0) {
    require(o.samples > 0, "evaluation: PassUntil sampling needs samples > 0 to start from");
    require(o.pass_until_r >= 1 && o.pass_until_max >= o.samples && o.pass_until_round >= 1,
            "evaluation: PassUntil needs r >= 1, a cap >= samples ({}) and a round >= 1",
            o.samples);
    sample_until_passes(decoder, task, examples, contexts, greedy, o, records);
  }
  for (size_t i = 0; i < records.size(); ++i)
    validate_record(records[i], task.name() + " example " + std::to_string(i));
  return records;
}

}  // namespace emlab::eval

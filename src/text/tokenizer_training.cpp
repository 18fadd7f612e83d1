#include "text/tokenizer_training.hpp"

#include <sentencepiece_trainer.h>

#include <fstream>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "text/split.hpp"

namespace emlab::text {

namespace {

// The training documents' lines, one SentencePiece "sentence" each (a paragraph or a JSONL
// document can run to many kilobytes, past what the trainer takes as one sentence).
class LineIterator final : public sentencepiece::SentenceIterator {
 public:
  explicit LineIterator(std::vector<std::string> lines) : lines_(std::move(lines)) {}
  bool done() const override { return next_ >= lines_.size(); }
  void Next() override { ++next_; }
  const std::string& value() const override { return lines_[next_]; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  std::vector<std::string> lines_;
  size_t next_ = 0;
};

struct TrainingLines {
  std::vector<std::string> sample;
  int64_t seen = 0;
};

// Reservoir sampling (Algorithm R) over the training documents' lines, with a fixed seed so the
// same corpus always trains the same tokenizer.
TrainingLines training_lines(const CorpusOptions& corpus, size_t max_lines) {
  TrainingLines lines;
  Rng rng(0x70c3u);
  auto keep = [&](std::string_view line) {
    ++lines.seen;
    if (lines.sample.size() < max_lines) {
      lines.sample.emplace_back(line);
    } else if (const uint64_t slot = rng.below(static_cast<uint64_t>(lines.seen));
               slot < max_lines) {
      lines.sample[slot] = line;
    }
  };
  for (const CorpusFile& file : list_corpus_files(corpus)) {
    const std::string content = read_corpus_file(file);
    visit_documents(file, content, corpus.text_field, [&](std::string_view document, int64_t) {
      if (is_validation_document(document)) return;
      for (size_t pos = 0; pos < document.size();) {
        const size_t end = std::min(document.find('\n', pos), document.size());
        if (end > pos) keep(document.substr(pos, end - pos));
        pos = end + 1;
      }
    });
  }
  return lines;
}

}  // namespace

TrainedTokenizer train_sentencepiece(const CorpusOptions& corpus, const TokenizerTraining& options,
                                     const std::filesystem::path& output) {
  require(options.type == "bpe" || options.type == "unigram",
          "--type: expected bpe or unigram (got '{}')", options.type);
  // 256 byte pieces + <unk>, <s>, </s>, and room for at least a few learnt pieces.
  require(options.max_lines >= 1, "tokenizer training: max_lines must be positive");
  require(options.vocab_size >= 260 && options.vocab_size <= 1'000'000,
          "--vocab: must be from 260 (the 256 byte pieces, 3 specials, one more) to 1000000 (got "
          "{})",
          options.vocab_size);
  TrainingLines lines = training_lines(corpus, static_cast<size_t>(options.max_lines));
  require(!lines.sample.empty(), "{}: the corpus has no training text", corpus.path.string());
  const auto sentences = static_cast<int64_t>(lines.sample.size());
  const int threads = options.threads > 0
                          ? options.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const std::unordered_map<std::string, std::string> spec = {
      {"model_type", options.type},
      {"vocab_size", std::to_string(options.vocab_size)},
      {"byte_fallback", "true"},
      // Bytes in, same bytes out: no NFKC, no trimming or merging of spaces, no added space.
      {"normalization_rule_name", "identity"},
      {"remove_extra_whitespaces", "false"},
      {"add_dummy_prefix", "false"},
      {"allow_whitespace_only_pieces", "true"},
      {"split_digits", "true"},
      {"character_coverage", "0.9995"},
      // A small corpus may not fill the vocabulary; say so by the size rather than fail.
      {"hard_vocab_limit", "false"},
      {"max_sentence_length", "65536"},
      {"input_sentence_size", std::to_string(options.max_lines)},
      {"shuffle_input_sentence", "false"},  // already a uniform sample
      {"unk_id", "0"},
      {"bos_id", "1"},
      {"eos_id", "2"},
      {"pad_id", "-1"},
      {"num_threads", std::to_string(threads)},
      {"minloglevel", "2"},
  };
  LineIterator iterator(std::move(lines.sample));
  std::string model;
  const auto status = sentencepiece::SentencePieceTrainer::Train(spec, &iterator, &model);
  require(status.ok(), "tokenizer training on {}: {}", corpus.path.string(), status.ToString());

  const std::filesystem::path temporary = output.string() + ".partial";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    require(static_cast<bool>(out), "{}: cannot write the tokenizer model", temporary.string());
    out.write(model.data(), static_cast<std::streamsize>(model.size()));
    require(static_cast<bool>(out.flush()), "{}: write error", temporary.string());
  }
  std::filesystem::rename(temporary, output);
  TrainedTokenizer trained;
  trained.sentences = sentences;
  trained.lines_seen = lines.seen;
  return trained;
}

}  // namespace emlab::text

// A model trained on a corpus: the loss falls, and a run resumed from a checkpoint sees the same
// batches as the uninterrupted one (the same losses, bit for bit).
#include <gtest/gtest.h>

#include "text/corpus_stream.hpp"
#include "text_files.hpp"
#include "train/trainer.hpp"

namespace emlab::text {
namespace {

train::TrainConfig corpus_training_config(const std::filesystem::path& dir) {
  std::string text;
  for (int i = 0; i < 300; ++i)
    text += "The cat sat on the mat. Paragraph " + std::to_string(i % 17) + ".\n\n";
  write_file(dir / "corpus.txt", text);
  train::TrainConfig c;
  c.model = {.vocab_size = 260,
             .context = 32,
             .width = 32,
             .layers = 1,
             .heads = 2,
             .mlp_width = 64,
             .tied_embeddings = true};
  c.batch_size = 8;
  c.steps = 40;
  c.log_every = 0;
  c.optim.warmup_steps = 5;
  c.optim.learning_rate = 3e-3f;
  c.out_dir = (dir / "run").string();
  c.data.corpus = (dir / "corpus.txt").string();
  c.data.token_cache = (dir / "cache").string();
  return c;
}

std::unique_ptr<train::TokenStream> stream_for(const train::TrainConfig& c) {
  return make_corpus_stream(c.data, Part::train, c.sequence_length(), c.model.vocab_size,
                            c.seed ^ 0x5eed5eed5eedULL);
}

TEST(CorpusTraining, LossFallsAndAResumedRunReproducesTheUninterruptedOne) {
  const auto dir = fresh_dir("corpus_training");
  const train::TrainConfig c = corpus_training_config(dir);
  train::Trainer full(c, stream_for(c));
  full.run();
  EXPECT_LT(full.losses().back(), full.losses().front() - 1.0);

  const auto checkpoint = dir / "half.safetensors";
  {
    train::Trainer first_half(c, stream_for(c));
    first_half.run({}, 17);
    first_half.save_checkpoint(checkpoint);
  }
  train::Trainer resumed(c, stream_for(c));
  resumed.resume_from(checkpoint);
  resumed.run();
  for (size_t i = 0; i < full.losses().size(); ++i)
    ASSERT_EQ(full.losses()[i], resumed.losses()[i]) << "step " << i;
}

}  // namespace
}  // namespace emlab::text

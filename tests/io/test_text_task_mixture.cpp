// Text with a share of task rows: task rows keep the task alphabet's ids, text rows come after
// them, the validation stream is text alone, and the configs that cannot work say why.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "io/training_stream.hpp"
#include "support/error_message.hpp"
#include "tasks/alphabet.hpp"
#include "train/train_config.hpp"
#include "train/trainer.hpp"

namespace emlab::io {
namespace {

using testing::error_message;

std::filesystem::path corpus_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("emlab_mixture_" + name + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::ofstream out(dir / "corpus.txt");
  for (int i = 0; i < 300; ++i) out << "Paragraph " << i << " of plain English text.\n\n";
  return dir;
}

train::TrainConfig mixture_config(const std::filesystem::path& dir) {
  train::TrainConfig c;
  c.model.vocab_size = tasks::kVocabSize + 257;
  c.model.context = 32;
  c.data.corpus = (dir / "corpus.txt").string();
  c.data.token_cache = (dir / "cache").string();
  c.data.tasks = {"add(digits=2)"};
  c.data.task_share = 0.25;
  return c;
}

TEST(TextTaskMixture, TaskRowsKeepTheAlphabetAndTextComesAfterIt) {
  const auto config = mixture_config(corpus_dir("rows"));
  config.validate();
  const auto stream = make_training_stream(config);
  EXPECT_EQ(stream->vocab_size(), tasks::kVocabSize + 257);
  constexpr int B = 40, T = 32;
  std::vector<int32_t> tokens(B * T), targets(B * T);
  int task_rows = 0;
  for (int batch = 0; batch < 10; ++batch) {
    stream->next_batch(B, T, tokens.data(), targets.data());
    for (int b = 0; b < B; ++b) {
      const auto row = std::span(tokens).subspan(static_cast<size_t>(b) * T, T);
      const bool task = row[0] == tasks::tok::kBos;
      task_rows += task ? 1 : 0;
      for (int32_t t : row) {
        if (task)
          EXPECT_LT(t, tasks::kVocabSize);
        else
          EXPECT_GE(t, tasks::kVocabSize);
      }
    }
  }
  // 400 rows at p = 0.25: sd = 8.7 rows.
  EXPECT_NEAR(task_rows, 100, 40);
  EXPECT_NE(stream->describe().find("with 25% of rows from"), std::string::npos);
}

TEST(TextTaskMixture, TheValidationStreamIsTextAloneWithTheIdsTrainingGaveIt) {
  const auto config = mixture_config(corpus_dir("validation"));
  const auto stream = make_validation_stream(config, 1);
  constexpr int B = 16, T = 32;
  std::vector<int32_t> tokens(B * T), targets(B * T);
  stream->next_batch(B, T, tokens.data(), targets.data());
  EXPECT_GE(*std::min_element(tokens.begin(), tokens.end()), tasks::kVocabSize);
  EXPECT_NE(stream->describe().find("validation part"), std::string::npos);
}

TEST(TextTaskMixture, ConfigsThatCannotWorkSayWhy) {
  auto config = mixture_config(corpus_dir("errors"));
  config.data.task_share = 0;
  EXPECT_EQ(error_message([&] { config.validate(); }),
            "data.task_share: with both data.corpus and data.tasks, give the share of training "
            "rows that are task examples, in (0, 1) (got 0)");
  config.data.task_share = 0.1;
  config.model.vocab_size = 257;  // room for the text, none for the task alphabet before it
  EXPECT_EQ(error_message([&] { make_training_stream(config); }),
            "model.vocab_size: 257 is smaller than the 321 ids data.tokenizer = byte needs after "
            "the task alphabet's 64 ids");
  train::TrainConfig tasks_only;
  tasks_only.data.tasks = {"add(digits=2)"};
  tasks_only.data.task_share = 0.1;
  EXPECT_EQ(error_message([&] { tasks_only.validate(); }),
            "data.task_share: needs both data.corpus and data.tasks (a text + task mixture)");
  tasks_only.data.task_share = 0;
  tasks_only.data.corpus_fraction = 0.5;
  EXPECT_EQ(error_message([&] { tasks_only.validate(); }),
            "data.corpus_fraction: needs data.corpus");
}

TEST(TextTaskMixture, TheConfigRoundTripsThroughItsJson) {
  auto config = mixture_config(corpus_dir("json"));
  config.data.corpus_fraction = 0.25;
  const auto back = train::train_config_from_json(train::to_json(config));
  EXPECT_EQ(back.data.task_share, 0.25);
  EXPECT_EQ(back.data.corpus_fraction, 0.25);
  EXPECT_EQ(train::to_json(back), train::to_json(config));
}

TEST(TextTaskMixture, AResumedRunReproducesTheUninterruptedOne) {
  const auto dir = corpus_dir("resume");
  train::TrainConfig c = mixture_config(dir);
  c.model.width = 32;
  c.model.layers = 1;
  c.model.heads = 2;
  c.model.mlp_width = 64;
  c.batch_size = 8;
  c.steps = 24;
  c.log_every = 0;
  c.optim.warmup_steps = 4;
  c.out_dir = (dir / "run").string();
  train::Trainer full(c, make_training_stream(c));
  full.run();
  const auto checkpoint = dir / "half.safetensors";
  {
    train::Trainer first_half(c, make_training_stream(c));
    first_half.run({}, 11);
    first_half.save_checkpoint(checkpoint);
  }
  train::Trainer resumed(c, make_training_stream(c));
  resumed.resume_from(checkpoint);
  resumed.run();
  for (size_t i = 0; i < full.losses().size(); ++i)
    ASSERT_EQ(full.losses()[i], resumed.losses()[i]) << "step " << i;
}

}  // namespace
}  // namespace emlab::io

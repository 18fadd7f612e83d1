// Text end to end as a user runs it: train a SentencePiece tokenizer on a corpus folder,
// tokenize the corpus once (a second time reuses the file), train a model on it with either
// tokenizer, and the errors for a vocabulary that does not fit the model or a missing corpus.
#include <gtest/gtest.h>

#include <fstream>

#include "cli_runner.hpp"

namespace emlab::testing {
namespace {

namespace fs = std::filesystem;

TEST(TextCli, TokenizerTrainPrepareAndTrainOnACorpus) {
  const fs::path dir = fresh_dir("text");
  fs::create_directories(dir / "corpus");
  for (int file = 0; file < 3; ++file) {
    std::ofstream out(dir / "corpus" / ("part" + std::to_string(file) + ".txt"));
    for (int i = 0; i < 150; ++i)
      out << "Paragraph " << i << " of part " << file
          << ": Καλημέρα, 안녕하세요 🙂.\n\n";
  }
  const std::string corpus = (dir / "corpus").string(), cache = (dir / "cache").string();
  const auto trained = run_emlab("tokenizer train " + corpus + " --vocab 300 --threads 1 -o " +
                                 (dir / "tok.model").string());
  ASSERT_EQ(trained.exit_code, 0) << trained.output;
  EXPECT_NE(trained.output.find("bpe model"), std::string::npos) << trained.output;

  const std::string prepare = "tokenizer prepare " + corpus + " --cache " + cache;
  const auto first = run_emlab(prepare);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("450 documents"), std::string::npos) << first.output;
  EXPECT_EQ(run_emlab(prepare).output.substr(0, 60), first.output.substr(0, 60));  // same file

  const std::string run =
      "train -q --set model.width=32 --set model.layers=1 --set model.heads=2 "
      "--set model.context=32 --set train.batch_size=4 --set train.steps=20 "
      "--set data.corpus=" +
      corpus + " --set data.token_cache=" + cache;
  const auto bytes = run_emlab(
      run + " --set model.vocab_size=257 --set train.out_dir=" + (dir / "bytes").string());
  EXPECT_EQ(bytes.exit_code, 0) << bytes.output;
  const auto pieces = run_emlab(
      run + " --set model.vocab_size=300 --set data.tokenizer=" + (dir / "tok.model").string() +
      " --set train.out_dir=" + (dir / "sp").string());
  EXPECT_EQ(pieces.exit_code, 0) << pieces.output;
  EXPECT_TRUE(fs::exists(dir / "sp" / "final.safetensors"));

  const auto small = run_emlab(run + " --set model.vocab_size=100");
  EXPECT_EQ(small.exit_code, 1);
  EXPECT_NE(small.output.find("model.vocab_size: 100 is smaller than the 257 ids "
                              "data.tokenizer = byte needs"),
            std::string::npos)
      << small.output;
  const auto missing =
      run_emlab("train --set model.vocab_size=257 --set data.corpus=" + (dir / "absent").string());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.output.find("does not exist"), std::string::npos) << missing.output;
}

TEST(TextCli, SweepOnACorpusRecordsTheValidationLoss) {
  const fs::path dir = fresh_dir("text_sweep");
  fs::create_directories(dir / "corpus");
  {
    std::ofstream out(dir / "corpus" / "a.jsonl");
    for (int i = 0; i < 400; ++i)
      out << "{\"text\": \"Document " << i << ": the quick brown fox.\"}\n";
  }
  std::ofstream(dir / "sweep.toml")
      << "[sweep]\nname = \"text\"\ndatabase = \"" << (dir / "text.sqlite").string()
      << "\"\ntokens = [2e4]\nseeds = [1]\n"
         "[models]\ncontext = 32\nvocab_size = 257\n"
         "shapes = [{ width = 32, layers = 1, heads = 2 }]\n"
         "[data]\ncorpus = \""
      << (dir / "corpus").string() << "\"\ntoken_cache = \"" << (dir / "cache").string()
      << "\"\n[train]\nbatch_size = 8\n"
         "[checkpoints]\nlog_spaced = 2\n"
         "[eval]\nvalidation_examples = 16\n";
  const auto swept = run_emlab("sweep " + (dir / "sweep.toml").string());
  ASSERT_EQ(swept.exit_code, 0) << swept.output;
  const auto exported = run_emlab("export " + (dir / "text.sqlite").string() + " --format json");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_NE(exported.output.find("validation_loss"), std::string::npos) << exported.output;
  EXPECT_EQ(exported.output.find("\"validation_loss\": null"), std::string::npos)
      << exported.output;
}

TEST(TextCli, ATextAndTaskMixtureStoresTheTextLossAndTheTaskScores) {
  const fs::path dir = fresh_dir("text_mixture");
  fs::create_directories(dir / "corpus");
  {
    std::ofstream out(dir / "corpus" / "a.txt");
    for (int i = 0; i < 400; ++i) out << "Paragraph " << i << ": the quick brown fox.\n\n";
  }
  std::ofstream(dir / "sweep.toml")
      << "[sweep]\nname = \"mixture\"\ndatabase = \"" << (dir / "m.sqlite").string()
      << "\"\ntokens = [2e4]\nseeds = [1]\n"
         "[models]\ncontext = 32\nvocab_size = 321\n"
         "shapes = [{ width = 32, layers = 1, heads = 2 }]\n"
         "[data]\ncorpus = \""
      << (dir / "corpus").string() << "\"\ntoken_cache = \"" << (dir / "cache").string()
      << "\"\ntasks = [\"add(digits=1)\"]\ntask_share = 0.3\n"
         "[train]\nbatch_size = 8\n"
         "[checkpoints]\nlog_spaced = 2\n"
         "[eval]\nexamples = 8\nvalidation_examples = 16\n";
  const auto swept = run_emlab("sweep " + (dir / "sweep.toml").string());
  ASSERT_EQ(swept.exit_code, 0) << swept.output;
  const auto exported = run_emlab("export " + (dir / "m.sqlite").string() + " --format json");
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_EQ(exported.output.find("\"validation_loss\": null"), std::string::npos)
      << exported.output;
  EXPECT_NE(exported.output.find("add(digits=1)"), std::string::npos) << exported.output;
  EXPECT_NE(exported.output.find("exact_match"), std::string::npos) << exported.output;

  // A vocabulary with no room for the task alphabet before the text stops the sweep before any
  // run starts.
  const auto small = run_emlab(
      "sweep " + (dir / "sweep.toml").string() +
      " --set models.vocab_size=257 --set sweep.database=" + (dir / "small.sqlite").string());
  EXPECT_EQ(small.exit_code, 1);
  EXPECT_NE(small.output.find("sweep.toml: [data]: model.vocab_size: 257 is smaller than the 321 "
                              "ids data.tokenizer = byte needs after the task alphabet's 64 ids"),
            std::string::npos)
      << small.output;
  EXPECT_EQ(small.output.find("FAILED"), std::string::npos) << small.output;
}

}  // namespace
}  // namespace emlab::testing

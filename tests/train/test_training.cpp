// The training loop end to end on small models: learning, determinism, checkpoints, resume,
// divergence.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "nn/blas.hpp"
#include "support/error_message.hpp"
#include "train/checkpoint.hpp"
#include "train/trainer.hpp"

namespace emlab::train {
namespace {

namespace fs = std::filesystem;

TrainConfig small_config() {
  TrainConfig c;
  c.model = {.vocab_size = 10,
             .context = 24,
             .width = 32,
             .layers = 2,
             .heads = 2,
             .mlp_width = 64,
             .tied_embeddings = true};
  c.batch_size = 8;
  c.steps = 60;
  c.seed = 3;
  c.optim.learning_rate = 3e-3f;
  c.optim.warmup_steps = 10;
  c.data.task = "copy";
  c.data.span = 5;
  c.log_every = 0;
  // One folder per process: ctest runs several of these tests at once.
  c.out_dir =
      (fs::temp_directory_path() / ("emlab_test_training_" + std::to_string(getpid()))).string();
  return c;
}

// The same batch every step: a model that can learn must drive its loss towards zero.
class FixedBatch final : public TokenStream {
 public:
  int vocab_size() const override { return 10; }
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override {
    for (int i = 0; i < B * T; ++i) {
      tokens[i] = (i * 7 + i / 5) % 10;
      targets[i] = (i * 3 + 1) % 10;
    }
  }
  std::string save_state() const override { return "fixed"; }
  void restore_state(const std::string&) override {}
  std::string describe() const override { return "fixed batch"; }
};

TEST(Training, OverfitsOneBatch) {
  TrainConfig c = small_config();
  c.steps = 300;
  c.optim.learning_rate = 1e-2f;
  c.optim.adamw.weight_decay = 0.0f;
  Trainer trainer(c, std::make_unique<FixedBatch>());
  const TrainResult r = trainer.run();
  EXPECT_EQ(r.status, RunStatus::kCompleted);
  EXPECT_GT(trainer.losses().front(), 2.0);  // about ln 10 at the start
  EXPECT_LT(r.final_loss, 0.05) << "a 2-layer model should memorise one batch of 192 tokens";
}

TEST(Training, LossOnCopyStreamFallsWellBelowStart) {
  TrainConfig c = small_config();
  c.steps = 400;
  Trainer trainer(c);
  const TrainResult r = trainer.run();
  ASSERT_EQ(r.status, RunStatus::kCompleted);
  const double start = trainer.losses().front();
  double tail = 0;
  for (int i = 380; i < 400; ++i) tail += trainer.losses()[i] / 20;
  EXPECT_GT(start, 1.8);
  EXPECT_LT(tail, 0.3 * start) << "copying is learnable: the loss must fall well below its start";
}

TEST(Training, SameSeedGivesBitIdenticalLosses) {
  const TrainConfig c = small_config();
  Trainer a(c), b(c);
  a.run();
  b.run();
  for (size_t i = 0; i < a.losses().size(); ++i)
    ASSERT_EQ(a.losses()[i], b.losses()[i]) << "step " << i;
  TrainConfig other = c;
  other.seed = 4;
  Trainer d(other);
  d.run();
  EXPECT_NE(a.losses().back(), d.losses().back()) << "a different seed must change the run";
}

// emlab's AVX-512 product sums each element in one order wherever the thread split falls, and
// every other op of a step is written so too: a run is then bit-identical on 1, 2 and 3 threads
// (OpenBLAS's kernels round a block's edge differently; EMLAB_GEMM=openblas keeps that rule).
TEST(Training, WithEmlabsProductTheThreadCountDoesNotChangeTheRun) {
  if (!nn::sgemm_is_own()) GTEST_SKIP() << "sgemm runs OpenBLAS here";
  TrainConfig c = small_config();
  c.model.width = 48, c.model.heads = 3, c.model.mlp_width = 80;  // splits off the 16-row grid
  c.batch_size = 7;
  c.steps = 12;
  const int before = thread_count();
  std::vector<std::vector<double>> losses;
  for (const int threads : {1, 2, 3}) {
    c.threads = threads;
    Trainer t(c);
    t.run();
    losses.push_back(t.losses());
  }
  set_thread_count(before);
  EXPECT_EQ(losses[0], losses[1]);
  EXPECT_EQ(losses[0], losses[2]);
}

TEST(Training, CheckpointRoundTripIsExact) {
  const TrainConfig c = small_config();
  Trainer a(c);
  a.run({}, 20);
  const fs::path path = fs::path(c.out_dir) / "roundtrip.safetensors";
  a.save_checkpoint(path);

  Trainer b(c);
  b.resume_from(path);
  ASSERT_EQ(b.state().step, 20);
  ASSERT_EQ(b.state().tokens, a.state().tokens);
  const auto pa = a.model().parameters(), pb = b.model().parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (size_t i = 0; i < pa.size(); ++i) ASSERT_EQ(pa[i], pb[i]) << "parameter " << i;
  EXPECT_EQ(read_checkpoint_config(path).model, c.model);
}

TEST(Training, ResumeFromStepKReproducesTheUninterruptedRun) {
  const TrainConfig c = small_config();
  Trainer full(c);
  full.run();

  const fs::path path = fs::path(c.out_dir) / "resume.safetensors";
  {
    Trainer first_half(c);
    const TrainResult r = first_half.run({}, 25);
    EXPECT_EQ(r.status, RunStatus::kPaused);
    first_half.save_checkpoint(path);
  }
  Trainer resumed(c);
  resumed.resume_from(path);
  EXPECT_EQ(resumed.run().status, RunStatus::kCompleted);
  // The steps before the checkpoint come back from it too, so the whole loss curve is known.
  for (size_t i = 0; i < full.losses().size(); ++i)
    ASSERT_EQ(full.losses()[i], resumed.losses()[i]) << "step " << i;
}

TEST(Training, NonFiniteLossStopsWithAReason) {
  Trainer trainer(small_config());
  trainer.model().parameters()[3] = NAN;
  const TrainResult r = trainer.run();
  EXPECT_EQ(r.status, RunStatus::kDiverged);
  EXPECT_NE(r.reason.find("non-finite loss at step 0"), std::string::npos) << r.reason;
  EXPECT_EQ(r.steps_done, 0);
}

TEST(Training, ScheduleWarmsUpThenDecaysToTheFloor) {
  OptimConfig o;
  o.learning_rate = 1.0f;
  o.warmup_steps = 10;
  o.min_lr_ratio = 0.1f;
  EXPECT_FLOAT_EQ(learning_rate_at(o, 0, 110), 0.1f);
  EXPECT_FLOAT_EQ(learning_rate_at(o, 9, 110), 1.0f);
  EXPECT_FLOAT_EQ(learning_rate_at(o, 10, 110), 1.0f);
  EXPECT_FLOAT_EQ(learning_rate_at(o, 60, 110), 0.55f);  // half way: floor + (1 - floor)/2
  EXPECT_FLOAT_EQ(learning_rate_at(o, 110, 110), 0.1f);
}

TEST(Training, BadCheckpointsAreRefusedClearly) {
  const TrainConfig c = small_config();
  Trainer a(c);
  const fs::path good = fs::path(c.out_dir) / "good.safetensors";
  a.save_checkpoint(good);

  Trainer b(c);
  EXPECT_NE(testing::error_message([&] {
              b.resume_from(fs::path(c.out_dir) / "absent.safetensors");
            }).find("not found"),
            std::string::npos);

  const fs::path truncated = fs::path(c.out_dir) / "truncated.safetensors";
  fs::copy_file(good, truncated, fs::copy_options::overwrite_existing);
  fs::resize_file(truncated, fs::file_size(good) / 2);
  EXPECT_NE(testing::error_message([&] { b.resume_from(truncated); }).find("truncated"),
            std::string::npos)
      << testing::error_message([&] { b.resume_from(truncated); });

  TrainConfig wider = c;
  wider.model.width = 48;
  Trainer w(wider);
  const std::string mismatch = testing::error_message([&] { w.resume_from(good); });
  EXPECT_NE(mismatch.find("model.width is 32 in the checkpoint but 48"), std::string::npos)
      << mismatch;

  const fs::path junk = fs::path(c.out_dir) / "junk.safetensors";
  std::ofstream(junk) << "this is not a checkpoint at all";
  EXPECT_NE(testing::error_message([&] { b.resume_from(junk); }).find(junk.string()),
            std::string::npos);
}

}  // namespace
}  // namespace emlab::train

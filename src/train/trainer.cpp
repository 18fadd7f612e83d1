#include "train/trainer.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/error.hpp"
#include "core/threads.hpp"
#include "core/timer.hpp"
#include "nn/blas.hpp"
#include "train/gradient_norm.hpp"

namespace emlab::train {

namespace {
const TrainConfig& validated(const TrainConfig& c) {
  c.validate();
  return c;
}
}  // namespace

Trainer::Trainer(const TrainConfig& config, std::unique_ptr<TokenStream> stream)
    : config_(validated(config)),
      model_(config.model, config.batch_size),
      optimizer_(model_.layout(), config.optim.adamw),
      stream_(std::move(stream)) {
  if (config_.threads > 0) set_thread_count(config_.threads);
  nn::reserve_blas_buffers(thread_count());  // fail clearly now rather than hang in OpenBLAS
  // The stream's seed is derived from the run seed but differs from the weights' seed.
  require(stream_ || !config_.data.uses_task_suite(),
          "data.tasks: a task-suite stream must be built by the caller (io::make_training_stream)");
  require(stream_ || !config_.data.uses_corpus(),
          "data.corpus: a corpus stream must be built by the caller (io::make_training_stream)");
  if (!stream_)
    stream_ = make_synthetic_stream(config_.data, config_.model.vocab_size,
                                    config_.seed ^ 0x5eed5eed5eedULL);
  require(stream_->vocab_size() <= config_.model.vocab_size,
          "model.vocab_size: {} is smaller than the data stream '{}' needs ({})",
          config_.model.vocab_size, stream_->describe(), stream_->vocab_size());
  model_.init_weights(config_.seed);
  const size_t n = static_cast<size_t>(config_.batch_size) * config_.sequence_length();
  tokens_.resize(n);
  targets_.resize(n);
  losses_.assign(static_cast<size_t>(config_.steps), std::numeric_limits<double>::quiet_NaN());
}

void Trainer::resume_from(const std::filesystem::path& checkpoint) {
  state_ = load_checkpoint(checkpoint, model_, &optimizer_);
  require(state_.step <= config_.steps, "checkpoint {}: at step {}, beyond train.steps = {}",
          checkpoint.string(), state_.step, config_.steps);
  stream_->restore_state(state_.stream_state);
  for (size_t i = 0; i < std::min(state_.losses.size(), losses_.size()); ++i)
    losses_[i] = state_.losses[i];
  state_.losses.clear();
}

void Trainer::save_checkpoint(const std::filesystem::path& path) const {
  // The stream's position is read here rather than after every step (a string per step would be
  // the only allocation in the loop).
  TrainState state = state_;
  state.stream_state = stream_->save_state();
  state.losses.assign(losses_.begin(), losses_.begin() + state_.step);
  train::save_checkpoint(path, config_, model_, optimizer_, state);
}

TrainResult Trainer::run(const std::function<void(const Progress&)>& on_log, int64_t stop_at_step) {
  const int B = config_.batch_size, T = config_.sequence_length();
  const int64_t total = config_.steps;
  const int64_t last = stop_at_step > 0 ? std::min(stop_at_step, total) : total;
  const int64_t first = state_.step;
  TrainResult result;
  Timer timer;
  double window_loss = 0;
  int window_steps = 0;

  while (state_.step < last) {
    const int64_t step = state_.step;
    const Timer batch_timer;
    stream_->next_batch(B, T, tokens_.data(), targets_.data());
    result.data_seconds += batch_timer.seconds();
    model_.zero_grad();
    const double loss = model_.train_step(tokens_.data(), targets_.data(), B, T);
    const double norm = global_norm(model_.gradients());
    if (!std::isfinite(loss) || !std::isfinite(norm)) {
      result.status = RunStatus::kDiverged;
      result.reason = fmt::format("non-finite {} at step {} (loss {}, gradient norm {})",
                                  std::isfinite(loss) ? "gradient" : "loss", step, loss, norm);
      break;
    }
    if (config_.optim.grad_clip > 0 && norm > config_.optim.grad_clip)
      scale_values(model_.gradients(), static_cast<float>(config_.optim.grad_clip / norm));
    const float lr = learning_rate_at(config_.optim, step, total);
    optimizer_.update(model_.parameters(), model_.gradients(), lr, step + 1);

    state_.step = step + 1;
    state_.tokens += int64_t{B} * T;
    losses_[static_cast<size_t>(step)] = loss;
    result.final_loss = loss;
    window_loss += loss;
    ++window_steps;

    const bool log_now =
        config_.log_every > 0 && (state_.step % config_.log_every == 0 || state_.step == last);
    if (log_now && on_log) {
      Progress p;
      p.step = state_.step;
      p.total_steps = total;
      p.loss = window_loss / window_steps;
      p.grad_norm = norm;
      p.learning_rate = lr;
      p.elapsed_seconds = timer.seconds();
      const double done = static_cast<double>(state_.step - first);
      p.tokens_per_second = done * B * T / std::max(p.elapsed_seconds, 1e-9);
      p.eta_seconds = p.elapsed_seconds / done * static_cast<double>(total - state_.step);
      on_log(p);
      window_loss = 0;
      window_steps = 0;
    }
    if (config_.checkpoint_every > 0 && state_.step % config_.checkpoint_every == 0 &&
        state_.step < total)
      save_checkpoint(std::filesystem::path(config_.out_dir) /
                      fmt::format("step_{:08d}.safetensors", state_.step));
    if (stop_flag_ != nullptr && stop_flag_->load()) break;
  }
  if (result.status == RunStatus::kCompleted && state_.step < total)
    result.status = RunStatus::kPaused;
  result.steps_done = state_.step;
  result.seconds = timer.seconds();
  result.tokens_per_second =
      static_cast<double>(state_.step - first) * B * T / std::max(result.seconds, 1e-9);
  return result;
}

const char* to_string(RunStatus status) {
  switch (status) {
    case RunStatus::kCompleted:
      return "completed";
    case RunStatus::kDiverged:
      return "diverged";
    case RunStatus::kPaused:
      return "paused";
  }
  return "unknown";
}

}  // namespace emlab::train

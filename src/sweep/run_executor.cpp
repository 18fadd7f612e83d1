#include "sweep/run_executor.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <set>

#include "core/error.hpp"
#include "core/timer.hpp"
#include "eval/evaluator.hpp"
#include "eval/record_json.hpp"
#include "eval/task_summary.hpp"
#include "io/training_stream.hpp"
#include "probe/probe_registry.hpp"
#include "probe/probe_runner.hpp"
#include "sweep/validation_loss.hpp"
#include "tasks/factory.hpp"
#include "train/trainer.hpp"

namespace emlab::sweep {

namespace {

namespace fs = std::filesystem;

constexpr int kTrainLossWindow = 20;       // a checkpoint's train loss: mean of the last 20 steps
constexpr double kProgressInterval = 0.5;  // seconds between progress reports to the ledger

double train_loss_at(const std::vector<double>& losses, int64_t step) {
  double sum = 0;
  int n = 0;
  for (int64_t s = std::max<int64_t>(0, step - kTrainLossWindow); s < step; ++s) {
    const double l = losses[static_cast<size_t>(s)];
    if (std::isfinite(l)) {
      sum += l;
      ++n;
    }
  }
  return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
}

bool wanted(const EvalSettings& eval, const std::string& metric) {
  return eval.metrics.empty() ||
         std::find(eval.metrics.begin(), eval.metrics.end(), metric) != eval.metrics.end();
}

// Evaluates the trainer's current weights: validation loss and every task, as one write.
store::CheckpointWrite evaluate_checkpoint(train::Trainer& trainer, const RunSpec& spec,
                                           int64_t previous_step) {
  const train::TrainConfig& config = spec.config;
  const int64_t step = trainer.state().step;
  nn::Gpt model(config.model, std::max(spec.eval.batch, 1));
  std::copy(trainer.model().parameters().begin(), trainer.model().parameters().end(),
            model.parameters().begin());

  store::CheckpointWrite w;
  w.checkpoint.step = step;
  w.checkpoint.tokens = trainer.state().tokens;
  w.checkpoint.flops = static_cast<double>(trainer.state().tokens) *
                       config.model.training_flops_per_token(config.sequence_length());
  w.checkpoint.train_loss = train_loss_at(trainer.losses(), step);
  w.checkpoint.validation_loss = validation_loss(model, config, spec.eval.validation_examples);
  // Weights that overflowed after the last step's finite loss: say so, not what the first
  // metric then trips over.
  require(spec.eval.validation_examples <= 0 || std::isfinite(w.checkpoint.validation_loss),
          "non-finite validation loss at step {}: the run diverged (weights overflowed after a "
          "finite training loss of {})",
          step, w.checkpoint.train_loss);
  for (int64_t s = previous_step; s < step; ++s) {
    const double l = trainer.losses()[static_cast<size_t>(s)];
    if (std::isfinite(l)) w.step_losses.emplace_back(s, l);
  }

  eval::EvalOptions options;
  options.examples = spec.eval.examples;
  options.seed = spec.eval.seed;
  options.batch = spec.eval.batch;
  options.samples = spec.eval.samples;
  options.temperature = spec.eval.temperature;
  options.pass_until_max = spec.eval.pass_until_max;
  if (spec.probes) {
    const auto held_out = probe::needs_held_out(*spec.probes)
                              ? io::make_held_out_stream(config, spec.probes->seed)
                              : nullptr;
    for (const probe::ProbeScore& s : probe::run_probes(model, *spec.probes, held_out.get()))
      w.probes.push_back({s.probe, s.layer, s.head, s.value, s.seed});
  }
  for (const std::string& task_spec : spec.eval.tasks) {
    const auto task = tasks::make_task(tasks::parse_task_spec(task_spec));
    const auto records = eval::evaluate_task(model, *task, options);
    for (size_t i = 0; i < records.size(); ++i)
      w.examples.push_back({task_spec, static_cast<int64_t>(i), eval::to_json(records[i]).dump()});
    const eval::TaskSummary summary = eval::summarise_task(records, summary_options(spec.eval));
    for (const eval::MetricSummary& m : summary.metrics) {
      if (!wanted(spec.eval, m.name)) continue;
      w.metrics.push_back({task_spec, m.name, m.estimate.mean, m.estimate.lower, m.estimate.upper,
                           m.estimate.standard_error, static_cast<int64_t>(m.estimate.n),
                           m.chance.value_or(std::numeric_limits<double>::quiet_NaN()),
                           m.continuous});
    }
  }
  return w;
}

// Whether a checkpoint was written by a run of this config (where it ran and on how many threads
// aside).
// A file that cannot be read (cut short by a crash of the file system, say) is no resume point.
bool written_by_this_run(const fs::path& file, const train::TrainConfig& config) {
  try {
    train::TrainConfig stored = train::read_checkpoint_config(file);
    stored.out_dir = config.out_dir;
    stored.threads = config.threads;
    return train::to_json(stored) == train::to_json(config);
  } catch (const Error&) {
    return false;
  }
}

// How many steps take about `seconds`, from `steps` that took `took` seconds (at least one).
int64_t steps_for(double seconds, double steps, double took) {
  if (!(took > 0) || !(steps > 0)) return 16;
  return std::max<int64_t>(1, int64_t(seconds * steps / took));
}

// Saving weights fails only for reasons outside the run (a full disk, a folder made read-only):
// like a database that cannot record, that stops the sweep instead of failing the run.
template <typename F>
void saving_weights(const fs::path& path, F&& f) {
  try {
    f();
  } catch (const Error& e) {
    throw LedgerFailure(e.what());
  } catch (const fs::filesystem_error& e) {
    throw LedgerFailure(fmt::format("saving {}: {}", path.string(), e.what()));
  }
}

}  // namespace

fs::path runs_dir_for(const fs::path& database) {
  return database.parent_path() / (database.stem().string() + "-runs");
}

RunOutcome execute_run(const Assignment& assignment, Ledger& ledger,
                       const ExecutorOptions& options) {
  const RunSpec& spec = assignment.spec;
  const int64_t id = assignment.run_id;
  const fs::path dir = options.runs_dir / spec.name;
  const fs::path resume_file = dir / "resume.safetensors";
  store::RunTimes times;
  const std::set<int64_t> done(assignment.steps_done.begin(), assignment.steps_done.end());

  try {
    train::TrainConfig config = spec.config;
    config.out_dir = dir.string();
    config.checkpoint_every = 0;
    auto trainer = std::make_unique<train::Trainer>(config, io::make_training_stream(config));
    // The file is written only after every checkpoint up to its step was stored, by a run of this
    // very config. Any other file (left beside a deleted database, or by a different plan) is
    // stale: start the run over.
    if (fs::exists(resume_file) && written_by_this_run(resume_file, config)) {
      trainer->resume_from(resume_file);
      const int64_t at = trainer->state().step;
      const bool consistent =
          std::all_of(spec.checkpoint_steps.begin(), spec.checkpoint_steps.end(),
                      [&](int64_t s) { return s > at || done.count(s) > 0; });
      if (!consistent)
        trainer = std::make_unique<train::Trainer>(config, io::make_training_stream(config));
    }
    trainer->set_stop_flag(options.stop);
    // Step losses are stored with each checkpoint, from the one before it.
    int64_t previous = 0;
    for (int64_t s : spec.checkpoint_steps)
      if (s <= trainer->state().step) previous = s;

    Timer since_progress;
    int64_t chunk_steps = 16;  // until a piece has been timed
    for (int64_t step : spec.checkpoint_steps) {
      if (step < trainer->state().step) continue;
      // Trained in pieces of about resume_every_seconds, the weights saved after each: a kill
      // loses at most that much. Stopping and continuing at any step gives the same numbers.
      while (step > trainer->state().step) {
        const int64_t before = trainer->state().step;
        const int64_t target = std::min(step, before + chunk_steps);
        Timer timer;
        const train::TrainResult r = trainer->run(
            [&](const train::Progress& p) {
              if (since_progress.seconds() < kProgressInterval && p.step < step) return;
              ledger.progress(id, p.step, p.loss, p.tokens_per_second, p.eta_seconds);
              since_progress.reset();
            },
            target);
        const double seconds = timer.seconds();
        times.train_seconds += seconds;
        if (r.status == train::RunStatus::kDiverged) {
          ledger.finish(id, false, r.reason, std::numeric_limits<double>::quiet_NaN(), times);
          return RunOutcome::kFailed;
        }
        if (trainer->state().step < target) {  // stopped from outside: keep the place, hand it back
          saving_weights(resume_file, [&] { trainer->save_checkpoint(resume_file); });
          ledger.release(id, times);
          return RunOutcome::kPaused;
        }
        if (target < step) {
          Timer save_timer;
          saving_weights(resume_file, [&] { trainer->save_checkpoint(resume_file); });
          times.write_seconds += save_timer.seconds();
        }
        chunk_steps = steps_for(options.resume_every_seconds,
                                double(trainer->state().step - before), seconds);
      }
      if (done.count(step) == 0) {
        Timer eval_timer;
        const store::CheckpointWrite write = evaluate_checkpoint(*trainer, spec, previous);
        times.eval_seconds += eval_timer.seconds();
        Timer write_timer;
        ledger.checkpoint(id, write);
        times.write_seconds += write_timer.seconds();
      }
      previous = step;
      Timer save_timer;
      saving_weights(resume_file, [&] {
        trainer->save_checkpoint(resume_file);
        if (options.keep_checkpoints)
          fs::copy_file(resume_file, dir / fmt::format("step_{:08d}.safetensors", step),
                        fs::copy_options::overwrite_existing);
      });
      times.write_seconds += save_timer.seconds();
    }
    const double final_loss = train_loss_at(trainer->losses(), trainer->state().step);
    saving_weights(resume_file, [&] { fs::rename(resume_file, dir / "final.safetensors"); });
    ledger.finish(id, true, "", final_loss, times);
    return RunOutcome::kCompleted;
  } catch (const store::RunLost&) {
    return RunOutcome::kLost;
  } catch (const LedgerFailure&) {
    throw;  // the store itself failed: not the run's fault, and nothing can be recorded
  } catch (const Error& e) {
    // The run cannot go on (a task the model cannot fit, an unreadable file, ...): record why.
    ledger.finish(id, false, e.what(), std::numeric_limits<double>::quiet_NaN(), times);
    return RunOutcome::kFailed;
  } catch (const std::bad_alloc&) {
    // The model or its activations did not fit: record it; --retry-failed runs it again.
    ledger.finish(id, false,
                  fmt::format("out of memory: {} (width {}, {} layers, batch {}) did not fit in "
                              "the memory this worker may use",
                              spec.name, spec.config.model.width, spec.config.model.layers,
                              spec.config.batch_size),
                  std::numeric_limits<double>::quiet_NaN(), times);
    return RunOutcome::kFailed;
  }
}

}  // namespace emlab::sweep

#include "sweep/progress_view.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/format.hpp"

namespace emlab::sweep {

SweepTally tally(const std::vector<store::RunRow>& runs) {
  SweepTally t;
  for (const store::RunRow& r : runs) {
    t.total_flops += r.plan.flops;
    const double fraction =
        r.plan.steps > 0 ? std::min(1.0, double(r.progress_step) / double(r.plan.steps)) : 0.0;
    if (r.status == "completed") {
      ++t.completed;
      t.done_flops += r.plan.flops;
    } else if (r.status == "failed") {
      ++t.failed;
      t.done_flops += r.plan.flops;  // nothing more will be done on it
    } else if (r.status == "running") {
      ++t.running;
      t.done_flops += fraction * r.plan.flops;
    } else {
      ++t.planned;
      t.done_flops += fraction * r.plan.flops;  // a paused run keeps its progress
    }
  }
  return t;
}

std::string progress_block(const std::vector<store::RunRow>& runs, double elapsed_seconds,
                           double eta_seconds) {
  const SweepTally t = tally(runs);
  const double share = t.total_flops > 0 ? t.done_flops / t.total_flops : 0.0;
  constexpr int kWidth = 30;
  const int filled = std::clamp(static_cast<int>(share * kWidth), 0, kWidth);
  std::string out = fmt::format(
      "[{}{}] {:5.1f}%  {}/{} runs done, {} running, {} failed | {} | ETA {}\n",
      std::string(static_cast<size_t>(filled), '#'), std::string(size_t(kWidth - filled), '.'),
      100 * share, t.completed, runs.size(), t.running, t.failed, human_duration(elapsed_seconds),
      eta_seconds < 0 ? std::string("?") : human_duration(eta_seconds));
  for (const store::RunRow& r : runs) {
    if (r.status != "running") continue;
    out += fmt::format(
        "  {:<22} step {:>6}/{:<6} loss {:7.4f} | {:>7} tok/s | ETA {}\n", r.plan.name,
        r.progress_step, r.plan.steps, r.progress_loss,
        std::isfinite(r.tokens_per_second) ? human_count(r.tokens_per_second) : kNoValue,
        std::isfinite(r.eta_seconds) ? human_duration(r.eta_seconds) : "?");
  }
  return out;
}

std::string status_table(const std::vector<store::RunRow>& runs, double now_unix) {
  auto loss = [](double v) { return format_number(v, "{:.4f}"); };
  std::string out =
      fmt::format("{:<22} {:>9} {:>9} {:<10} {:>15} {:>6} {:>10} {:>9}  {}\n", "run", "params",
                  "tokens", "status", "step", "ckpts", "train loss", "val loss", "note");
  for (const store::RunRow& r : runs) {
    std::string note = r.reason;
    if (r.status == "running" && std::isfinite(r.heartbeat))
      note = fmt::format("{} | last report {} ago", r.worker,
                         human_duration(std::max(0.0, now_unix - r.heartbeat)));
    const double train = r.status == "completed" ? r.final_loss : r.progress_loss;
    out += fmt::format("{:<22} {:>9} {:>9} {:<10} {:>15} {:>6} {:>10} {:>9}  {}\n", r.plan.name,
                       human_count(double(r.plan.parameters)), human_count(double(r.plan.tokens)),
                       r.status, fmt::format("{}/{}", r.progress_step, r.plan.steps),
                       r.checkpoints_done, loss(train), loss(r.last_validation_loss), note);
  }
  const SweepTally t = tally(runs);
  out += fmt::format("{} runs: {} completed, {} running, {} failed, {} left\n", runs.size(),
                     t.completed, t.running, t.failed, t.planned);
  return out;
}

ProgressPrinter::ProgressPrinter(bool quiet) : quiet_(quiet), tty_(isatty(STDOUT_FILENO) == 1) {}

void ProgressPrinter::update(const std::vector<store::RunRow>& runs, double elapsed, double eta,
                             bool final) {
  for (const store::RunRow& r : runs) {
    std::string& last = statuses_[r.plan.name];
    if (last == r.status) continue;
    if (!last.empty() || r.status != "planned") report(r);
    last = r.status;
  }
  if (quiet_) return;
  const std::string block = progress_block(runs, elapsed, eta);
  if (tty_) {
    clear();
    std::fputs(block.c_str(), stdout);
    drawn_lines_ = static_cast<int>(std::count(block.begin(), block.end(), '\n'));
  } else if (final || since_line_.seconds() > 30) {
    std::fputs(block.substr(0, block.find('\n') + 1).c_str(), stdout);
    since_line_.reset();
  }
  std::fflush(stdout);
}

void ProgressPrinter::clear() {
  if (drawn_lines_ > 0) std::fputs(fmt::format("\x1b[{}F\x1b[J", drawn_lines_).c_str(), stdout);
  drawn_lines_ = 0;
}
void ProgressPrinter::report(const store::RunRow& r) {
  std::string line;
  if (r.status == "completed")
    line = fmt::format("done    {} ({} params, {} tokens): loss {:.4f}", r.plan.name,
                       human_count(double(r.plan.parameters)), human_count(double(r.plan.tokens)),
                       r.final_loss);
  else if (r.status == "failed")
    line = fmt::format("FAILED  {}: {}", r.plan.name, r.reason);
  else if (r.status == "running" && !quiet_)
    line = fmt::format("start   {} ({} params, {} steps) on {}", r.plan.name,
                       human_count(double(r.plan.parameters)), r.plan.steps, r.worker);
  if (line.empty() || (quiet_ && r.status != "failed" && r.status != "completed")) return;
  if (tty_) clear();
  std::fputs((line + "\n").c_str(), stdout);
}

}  // namespace emlab::sweep

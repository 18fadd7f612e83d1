#include "analysis/phase_change.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace emlab::analysis {

namespace {

// The first step where the series reaches `level` (moving from start towards end), interpolated
// in log step between the two points that bracket it.
double first_crossing(const std::vector<SeriesPoint>& s, double level, bool rising) {
  for (size_t i = 1; i < s.size(); ++i) {
    const bool reached = rising ? s[i].value >= level : s[i].value <= level;
    if (!reached) continue;
    const double v0 = s[i - 1].value, v1 = s[i].value;
    const double l0 = std::log(s[i - 1].step), l1 = std::log(s[i].step);
    const double t = v1 != v0 ? std::clamp((level - v0) / (v1 - v0), 0.0, 1.0) : 1.0;
    return std::exp(l0 + t * (l1 - l0));
  }
  return s.back().step;
}

// The series at `step`, linear in log step between the points around it (clamped at the ends).
double value_at(const std::vector<SeriesPoint>& s, double step) {
  if (step <= s.front().step) return s.front().value;
  for (size_t i = 1; i < s.size(); ++i) {
    if (s[i].step < step) continue;
    const double t = std::log(step / s[i - 1].step) / std::log(s[i].step / s[i - 1].step);
    return s[i - 1].value + t * (s[i].value - s[i - 1].value);
  }
  return s.back().value;
}

}  // namespace

PhaseChange find_phase_change(const std::vector<SeriesPoint>& s) {
  require(s.size() >= 3, "phase change: needs at least 3 points (got {})", s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    require(s[i].step > 0 && std::isfinite(s[i].value),
            "phase change: point {} (step {}, value {}) needs a positive step and finite value", i,
            s[i].step, s[i].value);
    // (Not one require with `i == 0 ||`: its message arguments would read s[-1].)
    if (i > 0)
      require(s[i].step > s[i - 1].step,
              "phase change: steps must increase (point {} at step {} follows step {})", i,
              s[i].step, s[i - 1].step);
  }
  PhaseChange p;
  p.start_value = s.front().value;
  p.end_value = s.back().value;
  p.total_change = p.end_value - p.start_value;
  require(p.total_change != 0, "phase change: the series ends where it starts ({})", p.start_value);
  const bool rising = p.total_change > 0;
  double steepest = -1;
  for (size_t i = 1; i < s.size(); ++i) {
    // Slope in the direction of the overall change: a dip against it is no phase change.
    const double slope = (s[i].value - s[i - 1].value) / (std::log(s[i].step / s[i - 1].step)) *
                         (rising ? 1.0 : -1.0);
    if (slope > steepest) {
      steepest = slope;
      p.steepest_step = std::sqrt(s[i].step * s[i - 1].step);
    }
  }
  p.step_10 = first_crossing(s, p.start_value + 0.1 * p.total_change, rising);
  p.step_90 = first_crossing(s, p.start_value + 0.9 * p.total_change, rising);
  p.width = (p.step_90 - p.step_10) / p.steepest_step;
  p.peak_value = s.front().value;
  for (const SeriesPoint& point : s)
    p.peak_value =
        rising ? std::max(p.peak_value, point.value) : std::min(p.peak_value, point.value);
  p.jump_end_step = std::min(2 * p.steepest_step, s.back().step);
  const double jump = value_at(s, p.jump_end_step) - p.start_value;
  if (jump * p.total_change > 0) {
    const double j10 = first_crossing(s, p.start_value + 0.1 * jump, rising);
    const double j90 = first_crossing(s, p.start_value + 0.9 * jump, rising);
    p.jump_width = (j90 - j10) / p.steepest_step;
  } else {
    p.jump_width = NAN;  // no change in the overall direction up to there
  }
  return p;
}

PrecursorShape loss_before(const std::vector<SeriesPoint>& loss, double step, double bump_threshold,
                           double plateau_threshold) {
  PrecursorShape r;
  r.window_start = step / 2;
  r.window_end = step;
  std::vector<SeriesPoint> window;
  for (const SeriesPoint& p : loss)
    if (p.step >= r.window_start && p.step <= r.window_end) window.push_back(p);
  require(window.size() >= 2,
          "loss before the change: fewer than 2 loss points between steps {} and {}",
          r.window_start, r.window_end);
  require(loss.back().step > step, "loss before the change: no loss point after step {}", step);
  double running_min = window.front().value;
  for (const SeriesPoint& p : window) {
    running_min = std::min(running_min, p.value);
    r.rise = std::max(r.rise, p.value - running_min);
  }
  const double at = value_at(loss, step);
  r.fall_before = value_at(loss, r.window_start) - at;
  r.fall_after = at - value_at(loss, std::min(2 * step, loss.back().step));
  r.bump = r.rise > bump_threshold * std::abs(at);
  r.plateau = r.fall_before < plateau_threshold * r.fall_after;
  return r;
}

}  // namespace emlab::analysis

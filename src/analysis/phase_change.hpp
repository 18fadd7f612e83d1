#pragma once
// Where and how abruptly a quantity changes over training: the induction-head phase change
// (Olsson et al. 2022) seen in a head score, the in-context-learning score or a loss. Steps are
// read on a log scale, as training curves are plotted.
#include <cstdint>
#include <vector>

namespace emlab::analysis {

struct SeriesPoint {
  double step = 0;  // > 0
  double value = 0;
};

struct PhaseChange {
  double start_value = 0, end_value = 0;  // first and last points
  double total_change = 0;                // end - start
  double steepest_step = 0;  // geometric middle of the interval of largest |Δvalue / Δlog step|
  double step_10 = 0, step_90 = 0;  // where 10% and 90% of the total change is first reached
  // (step_90 - step_10) / steepest_step: about 0 for a jump, large for a gradual change.
  double width = 0;
  // The same width for the jump alone: the change from the start up to the value at twice the
  // steepest step (or the last point, if sooner). A jump followed by a slow drift (a head that
  // keeps sharpening for the rest of training) has a wide `width` but a narrow `jump_width`.
  double jump_end_step = 0, jump_width = 0;
  double peak_value = 0;  // the largest value (smallest for a fall): heads may fade later
};

// Throws emlab::Error for fewer than 3 points, steps not positive and increasing, or a series
// that does not change. Crossings are interpolated linearly in log step. A jump within one
// interval of checkpoints r times apart has width r^0.4 − r^−0.4 at best (1 at r ≈ 3.4): studies
// that judge width < 1 need checkpoints closer than that.
PhaseChange find_phase_change(const std::vector<SeriesPoint>& series);

struct PrecursorShape {
  double window_start = 0, window_end = 0;  // [step / 2, step]: the doubling before the change
  double rise = 0;         // largest rise of the loss above its running minimum in the window
  double fall_before = 0;  // loss(step / 2) - loss(step)
  double fall_after = 0;   // loss(step) - loss(2 step), or to the last point when sooner
  bool bump = false;       // rise > bump_threshold of the loss there
  bool plateau = false;    // fall_before < plateau_threshold · fall_after
};

// Whether a training loss curve shows a bump or a plateau just before `step`. A bump: in the
// doubling of steps before it the loss rises above its running minimum by more than
// bump_threshold of its value. A plateau: the loss falls over that doubling by less than
// plateau_threshold of what it falls over the next (a power law falls by 2^a times more before
// than after, so it is neither). Losses are interpolated linearly in log step. Throws
// emlab::Error when fewer than 2 points lie in the window or none lies after `step`.
PrecursorShape loss_before(const std::vector<SeriesPoint>& loss, double step,
                           double bump_threshold = 0.01, double plateau_threshold = 0.25);

}  // namespace emlab::analysis

// scratchpad (Nye et al. 2021; Wei et al. 2022; Wang et al. 2022): do intermediate steps, and a
// majority vote over sampled answers, help only above a model size? Two arms over the same sizes
// and tokens: the task answered directly and with a scratchpad (exact match of the final answer);
// in the direct arm, self-consistency (majority over temperature samples) against greedy. For
// each strategy, the gain per size and the smallest size from which it helps significantly at
// that and every larger size.
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <map>

#include "results/scale_points.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

constexpr double kNever = std::numeric_limits<double>::infinity();

struct Gain {
  double params = 0, gain = 0, standard_error = 0;
  bool helps() const { return gain > 2 * standard_error && gain > 0; }
};

// The smallest size from which every gain helps; inf when the largest size's does not.
double helps_from(const std::vector<Gain>& gains) {
  double from = kNever;
  for (auto it = gains.rbegin(); it != gains.rend() && it->helps(); ++it) from = it->params;
  return from;
}

double standard_error(const results::ScalePoint& p) {
  if (std::isfinite(p.standard_error)) return p.standard_error;
  return p.n > 0 ? std::sqrt(std::max(p.value * (1 - p.value), 1e-12) / p.n) : NAN;
}

// Gains of b over a at the sizes both have.
std::vector<Gain> gains(const std::vector<results::ScalePoint>& a,
                        const std::vector<results::ScalePoint>& b) {
  std::map<double, const results::ScalePoint*> by_size;
  for (const results::ScalePoint& p : a) by_size[p.params] = &p;
  std::vector<Gain> out;
  for (const results::ScalePoint& q : b) {
    const auto found = by_size.find(q.params);
    if (found == by_size.end()) continue;
    const results::ScalePoint& p = *found->second;
    out.push_back({q.params, q.value - p.value,
                   std::sqrt(std::pow(standard_error(p), 2) + std::pow(standard_error(q), 2))});
  }
  return out;
}

class ScratchpadKind final : public StudyKind {
 public:
  ScratchpadKind(std::string direct_arm, std::string direct_task, std::string scratch_arm,
                 std::string scratch_task)
      : direct_arm_(std::move(direct_arm)),
        direct_task_(std::move(direct_task)),
        scratch_arm_(std::move(scratch_arm)),
        scratch_task_(std::move(scratch_task)) {}

  std::vector<std::string> tasks() const override { return {direct_task_, scratch_task_}; }
  std::vector<std::string> measurement_names() const override {
    return {"sizes",
            "scratchpad_gain_smallest",
            "scratchpad_gain_largest",
            "scratchpad_helps_from",
            "scratchpad_helps_at_smallest",
            "self_consistency_gain_smallest",
            "self_consistency_gain_largest",
            "self_consistency_helps_from",
            "self_consistency_helps_at_smallest"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    const results::ResultSet direct = results::select_arm(results, direct_arm_);
    const results::ResultSet scratch = results::select_arm(results, scratch_arm_);
    const auto greedy = results::final_curve(direct, direct_task_, "exact_match");
    const auto stepwise = results::final_curve(scratch, scratch_task_, "exact_match");
    const auto voted = results::final_curve(direct, direct_task_, "self_consistency");
    Measurements out;
    const std::vector<Gain> pad = gains(greedy, stepwise), vote = gains(greedy, voted);
    out.add("sizes", double(pad.size()),
            "model sizes with both arms completed at the largest budget");
    report(out, "scratchpad", pad,
           "exact match with a scratchpad minus without (final answer only)");
    report(out, "self_consistency", vote,
           "self-consistency (majority of the temperature samples) minus greedy exact match, "
           "direct arm");
    return out;
  }

 private:
  static void report(Measurements& out, const std::string& name, const std::vector<Gain>& g,
                     const std::string& what) {
    out.add(name + "_gain_smallest", g.empty() ? NAN : g.front().gain,
            what + ", at the smallest size",
            g.empty() ? NAN : g.front().gain - 2 * g.front().standard_error,
            g.empty() ? NAN : g.front().gain + 2 * g.front().standard_error);
    out.add(name + "_gain_largest", g.empty() ? NAN : g.back().gain, what + ", at the largest size",
            g.empty() ? NAN : g.back().gain - 2 * g.back().standard_error,
            g.empty() ? NAN : g.back().gain + 2 * g.back().standard_error);
    out.add(name + "_helps_from", g.empty() ? NAN : helps_from(g),
            "smallest size (parameters) from which the gain exceeds twice its standard error at "
            "that and every larger size (inf: not even at the largest)");
    out.add(name + "_helps_at_smallest", g.empty() ? NAN : (g.front().helps() ? 1 : 0),
            "1 when it already helps at the smallest size");
  }

  std::string direct_arm_, direct_task_, scratch_arm_, scratch_task_;
};

}  // namespace

std::unique_ptr<StudyKind> make_scratchpad_kind(io::TomlSection& analysis) {
  std::string direct_arm = "direct", scratch_arm = "scratch", direct_task, scratch_task;
  analysis.read("direct_arm", direct_arm);
  analysis.read("scratchpad_arm", scratch_arm);
  analysis.read("direct_task", direct_task);
  analysis.read("scratchpad_task", scratch_task);
  if (direct_task.empty()) analysis.invalid("direct_task", "name the task answered directly");
  if (scratch_task.empty())
    analysis.invalid("scratchpad_task", "name the same task with scratchpad=true");
  return std::make_unique<ScratchpadKind>(direct_arm, direct_task, scratch_arm, scratch_task);
}

}  // namespace emlab::study

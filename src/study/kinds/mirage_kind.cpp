// mirage (Schaeffer et al. 2023): is a sharp rise of a 0/1 metric made by the metric? On the same
// models and outputs, compare exact match's breakthroughness with that of two continuous metrics
// (token edit distance, answer log-probability), and check exact match against p^L, p the token
// accuracy and L the answer's length in tokens.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/emergence_measures.hpp"
#include "analysis/mirage.hpp"
#include "results/scale_points.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

class MirageKind final : public StudyKind {
 public:
  explicit MirageKind(std::string task) : task_(std::move(task)) {}

  std::vector<std::string> tasks() const override { return {task_}; }
  std::vector<std::string> measurement_names() const override {
    return {"sizes",
            "exact_match_rise",
            "exact_match_breakthroughness",
            "edit_distance_breakthroughness",
            "logprob_breakthroughness",
            "continuous_breakthroughness",
            "pl_inside_fraction",
            "pl_rmse",
            "pl_mean_difference"};
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out;
    const auto em = results::final_curve(results, task_, "exact_match");
    const double budget = em.empty() ? 0 : em.front().tokens;
    out.add("sizes", double(em.size()),
            fmt::format("model sizes with a completed run at the largest budget ({:.3g} tokens)",
                        budget));
    auto breakthrough = [&](const char* metric) {
      const auto curve = results::final_curve(results, task_, metric);
      return curve.size() >= 3 ? analysis::breakthroughness(results::improvement(curve, metric))
                               : NAN;
    };
    const double b_em = breakthrough("exact_match");
    const double b_edit = breakthrough("token_edit_distance");
    const double b_logprob = breakthrough("target_logprob");
    out.add("exact_match_rise", em.size() >= 2 ? em.back().value - em.front().value : NAN,
            "exact match of the largest model minus that of the smallest");
    out.add("exact_match_breakthroughness", b_em,
            "BIG-bench breakthroughness of exact match over size (a straight climb over m sizes "
            "gives m − 1)");
    out.add("edit_distance_breakthroughness", b_edit,
            "breakthroughness of token edit distance (turned so that up is better)");
    out.add("logprob_breakthroughness", b_logprob,
            "breakthroughness of the answer's log-probability");
    out.add("continuous_breakthroughness",
            std::isnan(b_edit)      ? b_logprob
            : std::isnan(b_logprob) ? b_edit
                                    : std::max(b_edit, b_logprob),
            "the sharper of the two continuous metrics' breakthroughness");

    // p^L over every completed run's final checkpoint (all budgets).
    std::vector<analysis::MirageInput> inputs;
    const auto length = results.answer_tokens.find(task_);
    if (length != results.answer_tokens.end()) {
      const auto accuracy = results::final_points(results, task_, "token_accuracy");
      const auto exact = results::final_points(results, task_, "exact_match");
      for (size_t i = 0; i < std::min(accuracy.size(), exact.size()); ++i)
        inputs.push_back({accuracy[i].value, length->second, exact[i].value, exact[i].n});
    }
    double inside = NAN, rmse = NAN, mean_difference = NAN;
    if (!inputs.empty()) {
      const analysis::MirageCheck check = analysis::mirage_check(inputs);
      inside = check.consistent_fraction;
      rmse = check.rmse;
      mean_difference = 0;
      for (const auto& row : check.rows)
        mean_difference +=
            (row.predicted_exact_match - row.observed_exact_match) / double(check.rows.size());
    }
    out.add(
        "pl_inside_fraction", inside,
        fmt::format("share of {} final checkpoints whose exact match's 95% Wilson interval "
                    "holds p^L (p token accuracy, L = {:.3g} answer tokens)",
                    inputs.size(), length != results.answer_tokens.end() ? length->second : 0.0));
    out.add("pl_rmse", rmse, "root mean square of p^L − observed exact match");
    out.add("pl_mean_difference", mean_difference,
            "mean of p^L − observed exact match (positive: p^L above the observation)");
    return out;
  }

 private:
  std::string task_;
};

}  // namespace

std::unique_ptr<StudyKind> make_mirage_kind(io::TomlSection& analysis) {
  std::string task;
  analysis.read("task", task);
  if (task.empty()) analysis.invalid("task", "name the generation task, e.g. \"add(digits=3)\"");
  return std::make_unique<MirageKind>(task);
}

}  // namespace emlab::study

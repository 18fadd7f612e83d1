#pragma once
// The standard benchmarks that span the capability space of the report's observational scaling
// section when no one names them: the five multiple-choice tasks of the Open LLM Leaderboard v1,
// ARC (challenge), HellaSwag, MMLU, TruthfulQA and WinoGrande, which Ruan et al. 2024
// (arXiv:2405.10938) use with GSM8K, XWinograd and HumanEval (left to the targets here: GSM8K is
// one of the abilities called emergent, and the others are rarely in a leaderboard table).
#include <vector>

#include "results/capability_scores.hpp"
#include "results/result_set.hpp"

namespace emlab::results {

// Each benchmark found among the final scores, by its task name with any "_<N>shot" suffix
// removed: arc or arc_challenge, hellaswag, mmlu, truthfulqa or truthfulqa_mc2 / _mc, winogrande.
// Where a benchmark has several task × metric candidates, the one scored for the most models
// wins, then the metric score, acc_norm, acc, mc2 in that order. In benchmark order.
std::vector<TaskChoice> standard_capability_tasks(const ResultSet& results);

}  // namespace emlab::results

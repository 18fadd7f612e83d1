#pragma once
// BIG-bench results (`scores_<family>_<size>.json`; Srivastava et al. 2022, arXiv:2206.04615):
// `model` (model_family, model_name, total_params, non_embedding_params, training_steps...) and
// `scores`, one entry per subtask and number of shots with every metric in `score_dict`, the
// preferred one among them, and its chance (`low_score`) and best (`high_score`) values. Each
// metric becomes a score; the preferred one also as "<metric>_normalised", (score − low)/(high −
// low), BIG-bench's normalised score on a 0–1 scale.
#include <string>

#include "imports/imported_data.hpp"

namespace emlab::imports {

// Throws emlab::Error naming the file and field for anything malformed.
ImportedFile read_bigbench_results(const std::string& path, const std::string& family = "");

}  // namespace emlab::imports

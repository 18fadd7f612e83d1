#pragma once
// Which runs of a results database lack a training fact (imported tables with holes: tokens or
// FLOPs left blank), for the notes of the analyses that leave them out.
#include <string>
#include <vector>

#include "analysis/scaling_data.hpp"
#include "results/result_set.hpp"

namespace emlab::results {

// Completed runs (with a checkpoint) that do not know the axis's fact (tokens or FLOPs; parameters
// are always known), by name in the results' order.
std::vector<std::string> runs_without(const ResultSet& results, analysis::ScaleAxis axis);

// Completed runs with a final validation loss that lack tokens or FLOPs: the ones the loss fits
// (final_loss_points) leave out.
std::vector<std::string> loss_runs_without_tokens_or_flops(const ResultSet& results);

// "" when none; else "<what>: left out N model(s) without training tokens: a, b".
std::string left_out_note(const ResultSet& results, analysis::ScaleAxis axis,
                          const std::string& what);

// The same note for the loss fits (loss_runs_without_tokens_or_flops).
std::string loss_left_out_note(const ResultSet& results, const std::string& what);

}  // namespace emlab::results

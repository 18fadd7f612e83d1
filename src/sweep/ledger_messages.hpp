#pragma once
// The messages between MPI workers and rank 0, as JSON text: what a Ledger call carries.
#include <nlohmann/json.hpp>

#include "sweep/ledger.hpp"

namespace emlab::sweep {

nlohmann::json to_json(const Assignment& assignment);
Assignment assignment_from_json(const nlohmann::json& json);
nlohmann::json to_json(const store::CheckpointWrite& write);
store::CheckpointWrite checkpoint_write_from_json(const nlohmann::json& json);
nlohmann::json to_json(const store::RunTimes& times);
store::RunTimes run_times_from_json(const nlohmann::json& json);

}  // namespace emlab::sweep

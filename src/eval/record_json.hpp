#pragma once
// An ExampleRecord as JSON, for the results database: every field, so metrics can be recomputed
// from stored records. Non-finite numbers are written as null and read back as NaN.
#include <nlohmann/json_fwd.hpp>

#include "eval/record.hpp"

namespace emlab::eval {

nlohmann::json to_json(const ExampleRecord& record);
// Throws emlab::Error naming the missing or mistyped field.
ExampleRecord record_from_json(const nlohmann::json& json);

}  // namespace emlab::eval

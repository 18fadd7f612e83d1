#pragma once
// What a run records about where it ran: code version, machine, threads, BLAS. Stored with
// every run so numbers can be traced to the build and machine that made them.
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace emlab {

std::string code_version();  // git describe of the source tree at configure time
nlohmann::json machine_description();

}  // namespace emlab

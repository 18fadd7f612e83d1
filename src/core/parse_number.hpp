#pragma once
// Numbers read from text a user or a file gave (command-line values, stored metadata): the whole
// text must be the number, or an emlab::Error names the field and what was expected.
#include <cstdint>
#include <string_view>

namespace emlab {

// `what` names the field, e.g. "--cpus item 2" or "database meta 'threads_per_run'".
int64_t parse_integer(std::string_view text, std::string_view what);

}  // namespace emlab

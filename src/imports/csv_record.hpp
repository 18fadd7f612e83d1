#pragma once
// One record of a CSV file, split into its fields: what every CSV reader of emlab shares.
#include <string>
#include <vector>

namespace emlab::imports {

// RFC 4180 quoting ("a,b" is one field, "" inside quotes is a quote). Throws emlab::Error naming
// source and line for an unterminated quote.
std::vector<std::string> split_csv_record(const std::string& line, const std::string& source,
                                          int line_number);

}  // namespace emlab::imports

#include "analysis/measurement_table.hpp"

namespace emlab::analysis {

const std::vector<std::string>& measurement_columns() {
  static const std::vector<std::string> names = {"model",  "params", "non_embedding_params",
                                                 "tokens", "flops",  "step",
                                                 "loss",   "task",   "metric",
                                                 "value",  "stderr", "n"};
  return names;
}

}  // namespace emlab::analysis

#include "study/example_length.hpp"

#include <cmath>

#include "core/rng.hpp"
#include "tasks/factory.hpp"

namespace emlab::study {

double mean_example_tokens(const std::vector<std::string>& specs) {
  double total = 0;
  int count = 0;
  Rng rng(17);
  for (const std::string& spec : specs) {
    const auto task = tasks::make_task(tasks::parse_task_spec(spec));
    for (int i = 0; i < 2000; ++i) {
      const tasks::Example e = task->sample_train(rng);
      total += double(1 + e.prompt.size() + e.target.size());
      ++count;
    }
  }
  return count > 0 ? total / count : NAN;
}

}  // namespace emlab::study

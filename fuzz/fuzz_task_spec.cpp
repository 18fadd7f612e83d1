// Task specs such as "add(digits=3)" or "hop(k=2, length=32)": parsed, built, and one training
// and one test example drawn.
#include "core/rng.hpp"
#include "fuzz_input.hpp"
#include "tasks/factory.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::expect_clear_errors([&] {
    const auto task =
        emlab::tasks::make_task(emlab::tasks::parse_task_spec(emlab::fuzz::as_text(data, size)));
    emlab::Rng rng(1);
    task->sample_train(rng);
  });
}

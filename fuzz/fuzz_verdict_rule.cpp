// The conditions of a study's verdict rule ("a >= 2 * b"), parsed and decided.
#include "fuzz_input.hpp"
#include "study/verdict_rule.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return emlab::fuzz::expect_clear_errors([&] {
    emlab::study::VerdictRule rule;
    rule.held_if.push_back(
        emlab::study::parse_condition(emlab::fuzz::as_text(data, size), "fuzz.toml"));
    emlab::study::Measurements measured;
    measured.add("a", 1, "");
    emlab::study::decide(rule, measured);
  });
}

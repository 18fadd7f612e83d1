#!/usr/bin/env bash
# The tests: install what is missing, build in Release and run the whole suite with CTest; then
# build the model, trainer, task, evaluation, store, sweep and report tests with AddressSanitizer
# and UBSan and run them too (the report tests include its fits and its pages in headless Chromium;
# the study tests its verdict rules and every study kind on synthetic data); then fuzz every
# parser of user files for a few seconds each. The sanitizer build (clang) is also the fuzz build:
# the library is compiled once for both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Tests run one at a time: each already uses every core through OpenMP, and two OpenMP programs
# sharing two cores spend their time waiting at barriers (measured: 3000x slower under ASan).

bash scripts/format.sh --check
bash scripts/build.sh release
ctest --preset release

if [[ "${EMLAB_SKIP_SANITIZERS:-0}" != 1 ]]; then
  echo "== AddressSanitizer + UBSan build: model, trainer, text, task, evaluation, store, sweep, report and study tests =="
  suites=(core nn train text tasks eval io store results sweep report study imports)
  bash scripts/build.sh debug "${suites[@]/#/test_}"
  for suite in "${suites[@]}"; do
    ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "build/debug/tests/test_$suite" --gtest_brief=1
  done
fi

# Every parser that reads a user's file, fuzzed briefly so the targets keep building and the seed
# corpora keep passing (long runs: scripts/fuzz.sh SECONDS).
if [[ "${EMLAB_SKIP_FUZZ:-0}" != 1 ]]; then
  echo "== libFuzzer: every parser for a few seconds =="
  bash scripts/fuzz.sh "${EMLAB_FUZZ_SECONDS:-5}"
fi

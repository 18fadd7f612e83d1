#!/usr/bin/env bash
# The main job: install what is missing, build, and run the default sweep (examples/sweep.toml):
# four model sizes x three token budgets trained and evaluated on arithmetic into one results
# database, with progress and ETA, ending with the path of the study's HTML report. Running it
# again resumes (or finds everything done); extra arguments go to `emlab sweep` (e.g. --db
# other.sqlite, --retry-failed).
set -euo pipefail
cd "$(dirname "$0")/.."
EMLAB_SETUP_BENCH=0 bash scripts/setup.sh
bash scripts/build.sh release emlab_cli
./build/release/emlab sweep examples/sweep.toml --report runs/arithmetic.html "$@"

#!/usr/bin/env bash
# The main job: install what is missing, build, and train the built-in example (a 2-layer GPT
# learning in-context copying), printing loss, tokens/s and ETA as it goes.
set -euo pipefail
cd "$(dirname "$0")/.."
EMLAB_SETUP_BENCH=0 bash scripts/setup.sh
bash scripts/build.sh release emlab_cli
./build/release/emlab train --config examples/copy.toml "$@"

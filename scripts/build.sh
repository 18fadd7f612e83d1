#!/usr/bin/env bash
# Configures and builds one CMake preset (release by default): scripts/build.sh [release|debug] [targets...]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
shift || true
cmake --preset "$preset" >/dev/null
if (($# > 0)); then
  cmake --build --preset "$preset" --target "$@"
else
  cmake --build --preset "$preset"
fi

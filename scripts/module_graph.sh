#!/usr/bin/env bash
# The include graph between the modules of src/: prints "module -> modules it includes", and fails
# when a module includes one that comes after it in EMLAB_MODULES (src/CMakeLists.txt), the order
# the libraries are layered in (store -> results -> analysis/report/study -> cli; cli last).
set -euo pipefail
cd "$(dirname "$0")/.."
order=$(sed -n '/^set(EMLAB_MODULES/,/)/p' src/CMakeLists.txt | tr -d '()' | sed 's/set\s*EMLAB_MODULES//' |
  tr -s ' \n' ' ')
read -r -a modules <<<"$order cli"
declare -A rank
for i in "${!modules[@]}"; do rank[${modules[$i]}]=$i; done
status=0
for module in "${modules[@]}"; do
  [[ -d src/$module ]] || continue
  includes=$(grep -rhoE '#include "[a-z_]+/' "src/$module" | sed 's/#include "//; s/\///' | sort -u |
    grep -vx "$module" || true)
  echo "$module -> $(echo $includes)"
  for used in $includes; do
    if [[ -z ${rank[$used]+set} ]]; then
      echo "  error: src/$module includes $used/, which is not a module in EMLAB_MODULES" >&2
      status=1
    elif ((rank[$used] > rank[$module])); then
      echo "  error: src/$module includes $used/, a later layer (see EMLAB_MODULES)" >&2
      grep -rln "#include \"$used/" "src/$module" | sed 's/^/    /' >&2
      status=1
    fi
  done
done
exit $status

#!/usr/bin/env bash
# Benchmark (not a test): the full Chinchilla fit (4,500 L-BFGS starts) plus 4,000 bootstrap refits
# on 250 synthetic points, emlab (Ceres, OpenMP) against the SciPy reference (L-BFGS-B, one
# process), side by side. Target for emlab: <= 10 s on 2 cores.
# Usage: bench/analysis/chinchilla_bench.sh [BUILD_DIR] [THREADS]   (SCIPY=0 skips SciPy)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
threads=${2:-2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 "$root/bench/analysis/make_synthetic_csv.py" 250 0 > "$work/points.csv"

echo "== emlab ($threads threads): $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
start=$(date +%s.%N)
"$build/emlab" fit --csv "$work/points.csv" --form chinchilla --bootstrap 4000 --threads "$threads" \
  --json "$work/emlab.json" | sed -n '1,10p'
end=$(date +%s.%N)
echo "emlab wall time: $(echo "$end - $start" | bc) s"

if [[ "${SCIPY:-1}" == 1 ]]; then
  echo "== SciPy $(/usr/bin/python3 -c 'import scipy; print(scipy.__version__)') (one process)"
  start=$(date +%s.%N)
  /usr/bin/python3 "$root/scripts/reference/chinchilla_scipy.py" "$work/points.csv" --format long \
    --bootstrap 4000 > "$work/scipy.json"
  end=$(date +%s.%N)
  /usr/bin/python3 -c "import json; r = json.load(open('$work/scipy.json')); print({k: round(v, 4) for k, v in r['params'].items()}); print('grid %.1f s, bootstrap %.1f s' % (r['seconds_grid'], r['seconds_bootstrap'])); print('95%:', r['interval95'])"
  echo "SciPy wall time: $(echo "$end - $start" | bc) s"
fi

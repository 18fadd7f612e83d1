#!/usr/bin/env bash
# Fuzzes every parser that reads a user's file with libFuzzer (clang), under ASan and UBSan:
#   scripts/fuzz.sh [SECONDS] [TARGET...]     (default: 60 s for each of every target)
# The targets are the files fuzz/fuzz_<TARGET>.cpp (fuzz/CMakeLists.txt builds the same list);
# every format of `emlab import` has one, fuzz_import_<format>.cpp (a unit test checks it).
# Seed corpora come from the repository's real files (configs, studies, the Gadre CSV) and a few
# written here; what libFuzzer adds is kept in build/fuzz/corpus/ between runs. A crash, leak,
# sanitizer report, timeout (10 s for one input) or memory blow-up (2 GB) fails the script and
# leaves its input in build/fuzz/artifacts/TARGET/ (turn it into a regression test).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all=()
for source in fuzz/fuzz_*.cpp; do
  name=${source#fuzz/fuzz_}
  all+=("${name%.cpp}")
done
targets=("$@")
((${#targets[@]} > 0)) || targets=("${all[@]}")

# The targets live in the debug build (clang, ASan + UBSan), which instruments the whole library
# for libFuzzer too, so the sanitizer tests and the fuzzers share one compile of it.
bash scripts/build.sh debug "${targets[@]/#/fuzz_}" >/dev/null
binaries=build/debug/fuzz
root=build/fuzz  # seeds, corpora, artifacts and logs

seed() {  # seed TARGET FILE...: copy files into the target's seed folder
  local dir=$root/seeds/$1
  shift
  mkdir -p "$dir"
  cp "$@" "$dir/"
}
rm -rf "$root/seeds"
seed train_config examples/copy.toml
seed sweep_config examples/sweep.toml examples/brown_sweep.toml studies/sweeps/*.toml
seed gadre_csv tests/data/analysis/gadre2024/gadre2024_scaling_loss_104models.csv
seed import_lm_eval tests/data/import/lm_eval/*/*.json tests/data/import/pythia/raw/70m_step143000.json
seed import_lm_eval_samples tests/data/import/samples/*/*.jsonl
seed import_bigbench tests/data/import/bigbench/*.json
for t in import_csv import_wide model_metadata; do
  seed $t tests/data/import/meta/*.csv
  head -200 tests/data/import/pythia/pythia_v1_evals_long.csv >"$root/seeds/$t/long.csv"
done
for t in "${all[@]}"; do mkdir -p "$root/seeds/$t"; done  # a new target may start with none
i=0
for spec in "add(digits=3)" "sub(digits=2, reverse=true)" "mul(digits=2 scratchpad=true)" \
  "copy(length=8, repeats=3)" "reverse(digits=4)" "hop(k=2, length=32)" "kb(entities=20)" \
  "stack(length=6)" "add(digits=2 reverse=true)" "lookup_add"; do
  printf '%s' "$spec" >"$root/seeds/task_spec/$((i++))"
done
grep -h -o '"[a-z_]* *[<>]=\? *[0-9.e*+ -]*[a-z_]*"' studies/*.toml | tr -d '"' |
  while read -r condition; do printf '%s' "$condition" >"$root/seeds/verdict_rule/$((i++))"; done
cat >"$root/seeds/measurements_csv/long.csv" <<'CSV'
# a comment
model,params,non_embedding_params,tokens,flops,step,loss,task,metric,value,stderr,n
L1-d32,15800,2900,1000000,,977,1.35,,,,,
L1-d32,15800,2900,1000000,,977,1.35,"add(digits=2)",exact_match,0.15,0.036,100
"a,b",61200,48000,2e6,7.3e11,1954,1.21,,,,,
CSV
printf '{"text": "Καλημέρα\\n\\nworld"}\n\n{"text": "", "id": 2}\n{"body": "x"}\n' \
  >"$root/seeds/corpus_jsonl/lines.jsonl"
printf 'One paragraph\nof two lines.\n\n안녕 🙂\n' | gzip -c >"$root/seeds/corpus_gzip/text.txt.gz"
python3 - "$root/seeds/token_file/small.tokens" <<'PY'
import struct, sys
train, validation = [5, 6, 256, 7, 256], [8, 256]
header = b"EMLABTOK" + struct.pack("<IIII", 1, 2, 257, 256) + struct.pack("<QQQQ", 3, 1, 5, 2)
header += b"a" * 64 + b"b" * 64 + struct.pack("<Q", 0)
with open(sys.argv[1], "wb") as f:
    f.write(header + struct.pack("<7H", *(train + validation)))
PY
python3 - "$root/seeds/safetensors/tiny.safetensors" <<'PY'
import json, struct, sys, os
os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True)
header = json.dumps({"w": {"dtype": "F32", "shape": [2, 2], "data_offsets": [0, 16]},
                     "__metadata__": {"format": "emlab-checkpoint-v1", "step": "5"}}).encode()
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<Q", len(header)) + header + struct.pack("<4f", 1, 2, 3, 4))
PY

failed=()
for t in "${targets[@]}"; do
  corpus=$root/corpus/$t artifacts=$root/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  echo "== fuzz_$t: ${seconds} s"
  if ! "$binaries/fuzz_$t" "$corpus" "$root/seeds/$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 \
    >"$root/fuzz_$t.log" 2>&1; then
    failed+=("$t")
    tail -40 "$root/fuzz_$t.log"
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$root/fuzz_$t.log" | tr '\n' ' '
  echo
done
if ((${#failed[@]} > 0)); then
  echo "fuzz: findings in ${failed[*]} (inputs in $root/artifacts/)"
  exit 1
fi
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, no finding"

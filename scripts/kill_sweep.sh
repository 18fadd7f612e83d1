#!/usr/bin/env bash
# Kill-at-any-moment check of the sweep (issue: reliability). Runs the default sweep
# (examples/sweep.toml) once uninterrupted, then again while SIGKILLing its whole process group
# (coordinator and workers) at KILLS random moments, resuming each time, and compares the two
# databases row by row (every table the sweep writes; times, workers and attempt counts excepted).
#   scripts/kill_sweep.sh [KILLS] [SEED]        (default 20 kills, seed 1)
# The schedule is pinned (2 runs x 1 thread) so both databases come from the same arithmetic.
# Takes about 3 minutes plus the reference sweep on 2 cores. Output: build/kill_sweep/.
set -euo pipefail
cd "$(dirname "$0")/.."
kills=${1:-20}
RANDOM=${2:-1}
bash scripts/build.sh release emlab_cli >/dev/null
emlab=$PWD/build/release/emlab
dir=build/kill_sweep
rm -rf "$dir"
mkdir -p "$dir"
# Weights are also saved every second of training (resume_every_seconds), so kills a few seconds
# apart still let the sweep move on, and resumes start between checkpoints.
pin=(--set sweep.parallel_runs=2 --set sweep.threads_per_run=1 --set sweep.resume_every_seconds=1)

dump() {  # dump DB: the rows a resumed sweep must reproduce exactly
  sqlite3 "$1" <<'SQL'
SELECT 'run', name, config_json, schedule_json, seed, code_version, parameters,
  non_embedding_parameters, steps_planned, tokens_planned, quote(flops_planned), status, reason,
  quote(final_loss) FROM runs ORDER BY name;
SELECT 'checkpoint', r.name, c.step, c.tokens, quote(c.flops), quote(c.train_loss),
  quote(c.validation_loss) FROM checkpoints c JOIN runs r ON r.id = c.run_id ORDER BY 2, 3;
SELECT 'metric', r.name, c.step, m.task, m.metric, quote(m.value), quote(m.lower), quote(m.upper),
  quote(m.stderr), m.n, quote(m.chance), m.continuous FROM metrics m
  JOIN checkpoints c ON c.id = m.checkpoint_id JOIN runs r ON r.id = c.run_id ORDER BY 2, 3, 4, 5;
SELECT 'example', r.name, c.step, e.task, e.example, e.record_json FROM example_records e
  JOIN checkpoints c ON c.id = e.checkpoint_id JOIN runs r ON r.id = c.run_id ORDER BY 2, 3, 4, 5;
SELECT 'step_loss', r.name, s.step, quote(s.loss) FROM step_losses s JOIN runs r ON r.id = s.run_id
  ORDER BY 2, 3;
SQL
}

echo "== reference: the default sweep, uninterrupted"
start=$(date +%s)
"$emlab" sweep -q examples/sweep.toml --db "$dir/reference.sqlite" "${pin[@]}" >"$dir/reference.log"
echo "   $(($(date +%s) - start)) s"

echo "== the same sweep, SIGKILLed (whole process group) at $kills random moments"
db=$dir/killed.sqlite
landed=0 finished_early=0
for ((k = 1; k <= kills; k++)); do
  setsid "$emlab" sweep -q examples/sweep.toml --db "$db" "${pin[@]}" >>"$dir/killed.log" 2>&1 &
  pid=$!
  delay_ms=$((300 + RANDOM % 5700))  # 0.3 to 6 s into this attempt
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
  if kill -0 "$pid" 2>/dev/null; then
    kill -KILL -- "-$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    running=$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE status = 'running'" 2>/dev/null || echo 0)
    stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM checkpoints" 2>/dev/null || echo 0)
    ((running > 0)) && landed=$((landed + 1))
    printf '   kill %2d at %5d ms: %s run(s) in flight, %s checkpoint(s) stored\n' \
      "$k" "$delay_ms" "$running" "$stored"
  else
    wait "$pid" || true
    finished_early=$((finished_early + 1))
    echo "   attempt $k: the sweep finished before its kill at $delay_ms ms"
    break
  fi
done
echo "== resume to the end"
"$emlab" sweep -q examples/sweep.toml --db "$db" "${pin[@]}" >>"$dir/killed.log"
dump "$dir/reference.sqlite" >"$dir/reference.rows"
dump "$db" >"$dir/killed.rows"
rows=$(wc -l <"$dir/reference.rows")
integrity=$(sqlite3 "$db" "PRAGMA integrity_check")
if [[ $integrity == ok ]] && cmp -s "$dir/reference.rows" "$dir/killed.rows"; then
  echo "kill_sweep: $((k > kills ? kills : k - finished_early)) kills ($landed with runs in flight), resumed each time; all $rows rows equal the uninterrupted sweep's; integrity ok"
else
  diff "$dir/reference.rows" "$dir/killed.rows" | head -20
  echo "kill_sweep: FAILED: integrity $integrity; rows differ (see $dir/*.rows)"
  exit 1
fi

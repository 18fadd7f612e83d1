#!/usr/bin/env python3
"""Wall time of sweeps and where it went, optionally side by side with another build.

Runs `emlab sweep CONFIG` into a fresh database for each config (by default the default sweep,
examples/sweep.toml, and a text sweep, examples/brown_sweep.toml), then reads the per-run timings
the workers stored (runs.train_seconds, eval_seconds, write_seconds) and compares them with the
wall time and with the worker-seconds available (parallel runs x wall time).

With --baseline OTHER_EMLAB (e.g. the previous release build) every config runs on both builds,
--repeats times each, alternating which goes first so that a drifting machine favours neither,
and the table gives the median wall times and their ratio. Usage:

    bench/sweep/sweep_bench.py [--emlab build/release/emlab] [--baseline OLD/emlab]
                               [--config examples/sweep.toml --config ...] [--repeats 2]

Results belong in docs/performance.md with the machine; never as timed assertions in tests.
"""
import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

DEFAULT_CONFIGS = ["examples/sweep.toml", "examples/brown_sweep.toml"]


def run_sweep(emlab, config):
    """One sweep into a fresh database: wall time and the stored per-run timings."""
    folder = tempfile.mkdtemp(prefix="emlab-sweep-bench-")
    db = os.path.join(folder, "bench.sqlite")
    start = time.monotonic()
    run = subprocess.run([emlab, "sweep", "-q", config, "--db", db], capture_output=True,
                         text=True)
    wall = time.monotonic() - start
    if run.returncode != 0:
        sys.exit(f"{emlab} sweep {config} failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    parallel = 1
    for line in run.stdout.splitlines():
        if "schedule:" in line:
            parallel = int(line.split("schedule:")[1].split("run")[0])
    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT name, parameters, flops_planned, train_seconds, eval_seconds, write_seconds, "
        "final_loss FROM runs ORDER BY id").fetchall()
    con.close()
    subprocess.run(["rm", "-rf", folder], check=False)
    return {"wall": wall, "parallel": parallel, "rows": rows}


def breakdown(config, result):
    rows, wall, parallel = result["rows"], result["wall"], result["parallel"]
    train = sum(r[3] for r in rows)
    evaluate = sum(r[4] for r in rows)
    write = sum(r[5] for r in rows)
    flops = sum(r[2] for r in rows)
    slots = parallel * wall
    other = slots - train - evaluate - write
    print(f"sweep {config}: {len(rows)} runs, {parallel} in parallel, wall time {wall:.1f} s")
    print(f"{'run':<22} {'params':>9} {'train s':>8} {'eval s':>7} {'write s':>8} {'loss':>8}")
    for name, params, _, t, e, w, loss in rows:
        print(f"{name:<22} {params:>9} {t:>8.2f} {e:>7.2f} {w:>8.3f} {loss:>8.4f}")
    print(f"worker-seconds available (parallel x wall): {slots:.1f}")
    for label, value in [("training", train), ("evaluating", evaluate),
                         ("writing (database + weights)", write),
                         ("other (start, schedule measurement, idle slots)", other)]:
        print(f"  {label:<48} {value:8.2f} s  {100 * value / slots:5.1f}%")
    print(f"model FLOPs {flops:.3e}; {flops / wall / 1e9:.1f} GFLOP/s over the wall time")
    return {"wall_seconds": wall, "parallel": parallel, "train_seconds": train,
            "eval_seconds": evaluate, "write_seconds": write, "other_seconds": other,
            "model_flops": flops}


def machine():
    model = ""
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "")
    except OSError:
        pass
    return f"{platform.node()}: {model}, {os.cpu_count()} cores"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emlab", default="build/release/emlab")
    parser.add_argument("--baseline", help="another emlab binary to time side by side")
    parser.add_argument("--config", action="append", help="sweep config (repeatable)")
    parser.add_argument("--repeats", type=int, default=1, help="runs of each config per build")
    args = parser.parse_args()
    configs = args.config or DEFAULT_CONFIGS
    builds = [("this", args.emlab)] + ([("baseline", args.baseline)] if args.baseline else [])
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.2f} at the start")

    summary = []
    for config in configs:
        walls = {label: [] for label, _ in builds}
        last = {}
        for repeat in range(args.repeats):
            order = builds if repeat % 2 == 0 else list(reversed(builds))
            for label, emlab in order:
                last[label] = run_sweep(emlab, config)
                walls[label].append(last[label]["wall"])
        entry = {"config": config, "this": breakdown(config, last["this"]),
                 "this_walls": walls["this"]}
        if args.baseline:
            base, this = statistics.median(walls["baseline"]), statistics.median(walls["this"])
            losses_same = [r[6] for r in last["this"]["rows"]] == \
                [r[6] for r in last["baseline"]["rows"]]
            entry.update({"baseline_walls": walls["baseline"], "speedup": base / this,
                          "same_losses": losses_same})
        summary.append(entry)
        print()

    if args.baseline:
        print(f"{'config':<32} {'this build s':>14} {'baseline s':>12} {'speed-up':>9} same losses")
        for e in summary:
            this = ", ".join(f"{w:.1f}" for w in e["this_walls"])
            base = ", ".join(f"{w:.1f}" for w in e["baseline_walls"])
            print(f"{e['config']:<32} {this:>14} {base:>12} {e['speedup']:>8.2f}x "
                  f"{'yes' if e['same_losses'] else 'no'}")
    print(json.dumps(summary))


if __name__ == "__main__":
    main()

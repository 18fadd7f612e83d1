#!/usr/bin/env python3
"""Wall time of a sweep and where it went: training, evaluation, writing results.

Runs `emlab sweep CONFIG` into a fresh database, then reads the per-run timings the workers stored
(runs.train_seconds, eval_seconds, write_seconds) and compares them with the wall time and with
the worker-seconds available (parallel runs x wall time). Usage:

    bench/sweep/sweep_bench.py [--emlab build/release/emlab] [--config examples/sweep.toml]
"""
import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emlab", default="build/release/emlab")
    parser.add_argument("--config", default="examples/sweep.toml")
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="emlab-sweep-bench-")
    db = os.path.join(folder, "bench.sqlite")
    start = time.monotonic()
    run = subprocess.run([args.emlab, "sweep", "-q", args.config, "--db", db],
                         capture_output=True, text=True)
    wall = time.monotonic() - start
    if run.returncode != 0:
        sys.exit(f"sweep failed ({run.returncode}):\n{run.stdout}{run.stderr}")
    parallel = 1
    for line in run.stdout.splitlines():
        if "schedule:" in line:
            parallel = int(line.split("schedule:")[1].split("run")[0])

    con = sqlite3.connect(db)
    rows = con.execute(
        "SELECT name, parameters, flops_planned, train_seconds, eval_seconds, write_seconds "
        "FROM runs ORDER BY id").fetchall()
    train = sum(r[3] for r in rows)
    evaluate = sum(r[4] for r in rows)
    write = sum(r[5] for r in rows)
    flops = sum(r[2] for r in rows)
    slots = parallel * wall
    other = slots - train - evaluate - write

    print(f"sweep {args.config}: {len(rows)} runs, {parallel} in parallel, wall time {wall:.1f} s")
    print(f"{'run':<22} {'params':>9} {'train s':>8} {'eval s':>7} {'write s':>8}")
    for name, params, _, t, e, w in rows:
        print(f"{name:<22} {params:>9} {t:>8.2f} {e:>7.2f} {w:>8.3f}")
    print(f"worker-seconds available (parallel x wall): {slots:.1f}")
    for label, value in [("training", train), ("evaluating", evaluate),
                         ("writing (database + weights)", write),
                         ("other (start, schedule measurement, idle slots)", other)]:
        print(f"  {label:<48} {value:8.2f} s  {100 * value / slots:5.1f}%")
    print(f"model FLOPs {flops:.3e}; {flops / wall / 1e9:.1f} GFLOP/s over the wall time")
    print(json.dumps({"wall_seconds": wall, "parallel": parallel, "train_seconds": train,
                      "eval_seconds": evaluate, "write_seconds": write,
                      "other_seconds": other, "model_flops": flops}))
    if not args.keep:
        con.close()
        subprocess.run(["rm", "-rf", folder])


if __name__ == "__main__":
    main()

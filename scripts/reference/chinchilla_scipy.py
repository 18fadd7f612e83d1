#!/usr/bin/env python3
"""Independent SciPy fit of Chinchilla's L(N, D) = E + A/N^alpha + B/D^beta.

The same objective as src/analysis/lse_huber_fit.cpp (Hoffmann et al. 2022, arXiv:2203.15556,
approach 3): sum over points of Huber_delta(LSE(a - alpha log N, b - beta log D, e) - log L),
delta = 1e-3, minimised with SciPy's L-BFGS-B (a different L-BFGS code from Ceres's) from the grid
a, b in {0, 5, ..., 25}, alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}; the best is kept.
Optional nonparametric bootstrap (resamples warm-started from the best fit), for the benchmark.

Run with Debian's /usr/bin/python3 (python3-scipy, python3-numpy). Prints one JSON object.
"""
import argparse
import csv
import itertools
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp

DELTA = 1e-3


def read_points(args):
    n, d, loss = [], [], []
    with open(args.path, newline="") as f:
        for row in csv.DictReader(row for row in f if not row.startswith("#")):
            if args.format == "gadre":
                n.append(float(row["params"]))
                d.append(float(row["tokens"]))
                loss.append(float(row[args.loss_column]))
            elif not row.get("task"):  # long format: loss rows have a blank task
                n.append(float(row["params"]))
                d.append(float(row["tokens"]))
                loss.append(float(row["loss"]))
    return np.log(n), np.log(d), np.log(loss)


def make_objective(log_n, log_d, log_l, weights):
    def objective(theta):
        a, b, e, alpha, beta = theta
        z = np.stack([a - alpha * log_n, b - beta * log_d, np.full_like(log_n, e)])
        lse = logsumexp(z, axis=0)
        r = lse - log_l
        absr = np.abs(r)
        hub = np.where(absr <= DELTA, 0.5 * r * r, DELTA * (absr - 0.5 * DELTA))
        slope = weights * np.clip(r, -DELTA, DELTA)
        soft = np.exp(z - lse)
        grad = np.array([
            np.sum(slope * soft[0]),
            np.sum(slope * soft[1]),
            np.sum(slope * soft[2]),
            -np.sum(slope * soft[0] * log_n),
            -np.sum(slope * soft[1] * log_d),
        ])
        # Scaled by 1/delta (same minimiser): L-BFGS-B's ftol is relative to max(|f|, 1), which
        # would stop at once on the unscaled objective of order 1e-3.
        return np.sum(weights * hub) / DELTA, grad / DELTA
    return objective


def solve(objective, start):
    result = minimize(objective, np.asarray(start, float), jac=True, method="L-BFGS-B",
                      options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9})
    return result.fun * DELTA, result.x


def grid(stride):
    a_values = [0, 5, 10, 15, 20, 25][::stride]
    e_values = [-1, -0.5, 0, 0.5, 1][::stride]
    alpha_values = [0, 0.5, 1, 1.5, 2][::stride]
    return [(a, b, e, al, be) for a, b, e, al, be in itertools.product(
        a_values, a_values, e_values, alpha_values, alpha_values)]


def params(theta):
    a, b, e, alpha, beta = theta
    return {"E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b)),
            "alpha": float(alpha), "beta": float(beta)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--format", choices=["gadre", "long"], default="gadre")
    parser.add_argument("--loss-column", default="loss_c4_val")
    parser.add_argument("--grid-stride", type=int, default=1,
                        help="use every k-th grid value per coordinate (1 = all 4,500 starts)")
    parser.add_argument("--bootstrap", type=int, default=0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    log_n, log_d, log_l = read_points(args)
    ones = np.ones_like(log_l)
    objective = make_objective(log_n, log_d, log_l, ones)
    starts = grid(args.grid_stride)
    t0 = time.perf_counter()
    best = min((solve(objective, s) for s in starts), key=lambda fx: fx[0])
    seconds_grid = time.perf_counter() - t0

    out = {"points": int(log_l.size), "starts": len(starts), "objective": best[0],
           "params": params(best[1]), "seconds_grid": seconds_grid}
    if args.bootstrap > 0:
        rng = np.random.default_rng(args.seed)
        t0 = time.perf_counter()
        samples = []
        for _ in range(args.bootstrap):
            counts = np.bincount(rng.integers(0, log_l.size, log_l.size), minlength=log_l.size)
            resample_objective = make_objective(log_n, log_d, log_l, counts.astype(float))
            samples.append(solve(resample_objective, best[1])[1])
        out["seconds_bootstrap"] = time.perf_counter() - t0
        samples = np.array(samples)
        names = ["A", "B", "E", "alpha", "beta"]
        values = [np.exp(samples[:, 0]), np.exp(samples[:, 1]), np.exp(samples[:, 2]),
                  samples[:, 3], samples[:, 4]]
        out["interval95"] = {k: [float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5))]
                             for k, v in zip(names, values)}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

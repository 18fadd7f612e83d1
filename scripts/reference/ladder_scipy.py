#!/usr/bin/env python3
"""Independent NumPy/SciPy reference for emlab's two-step ladder (forecast --method ladder).

Bhagia et al. 2024 (arXiv:2412.04403): model size -> task loss -> task accuracy, fitted on the
small "ladder" models and used to predict the larger ones. For one task T of a long-format CSV:

- task loss = ln(ppl) of T (nats per answer), accuracy = the acc metric of T; one point per model;
- ladder models: params <= --cutoff (default 1.5e9; on Pythia the ten models 70m..1.4b, standard
  and deduped); every larger model is held out;
- step 1: L(N) = E + A * N^(-alpha) on the ladder models' task losses, in log space with the
  Huber objective of Hoffmann et al. 2022 (arXiv:2203.15556): sum Huber_delta(LSE(a - alpha log N,
  e) - log L), delta = 1e-3, E = exp(e), A = exp(a); SciPy's L-BFGS-B from the 150 starts
  a in {0, 5, ..., 25}, e in {-1, -0.5, ..., 1}, alpha in {0, 0.5, ..., 2}; the best is kept
  (chinchilla_scipy.py with one scale term);
- step 2: acc = floor + (ceiling - floor) / (1 + exp(-slope (x - midpoint))), x = task loss, least
  squares by scipy.optimize.least_squares (trust-region reflective; floor and ceiling in [0, 1],
  midpoint and slope free; with --chance the floor is held at that value) from the same 20 starts
  as src/analysis/sigmoid_fit.cpp: floor = max(0, min y) (or the chance), ceiling = min(1, max y),
  midpoint = x_min + w * range for w in {0.1, 0.3, 0.5, 0.7, 0.9}, slope = s / range for
  s in {-10, -2, 2, 10}; the lowest residual sum of squares is kept;
- each held-out model: predicted loss = step 1 at its N, predicted accuracy = step 2 at the
  predicted loss, and step 2 at its observed loss; the mean |predicted - observed accuracy|.

No bootstrap: it checks emlab's point estimates only.

The input is the final checkpoints of the Pythia evaluations, made with
  emlab import csv tests/data/import/pythia/pythia_v1_evals_long.csv --into p.db
  emlab export p.db --format csv --final-only -o f.csv
and compared with
  emlab forecast p.db --method ladder --cutoff 1.5e9 --tasks lambada_openai [--chance 0]

Run with Debian's /usr/bin/python3 (python3-numpy, python3-scipy):
  /usr/bin/python3 scripts/reference/ladder_scipy.py f.csv [--task lambada_openai] [--chance 0]
Prints one JSON object.
"""
import argparse
import csv
import itertools
import json
import math
import sys

import numpy as np
from scipy.optimize import least_squares, minimize
from scipy.special import logsumexp

DELTA = 1e-3


def read_models(path, task, loss_metric, accuracy_metric):
    """{model: (params, task loss, accuracy)} for the models with both metrics of the task."""
    by_model = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(r for r in f if not r.startswith("#")):
            if row["task"] != task or row["metric"] not in (loss_metric, accuracy_metric):
                continue
            entry = by_model.setdefault(row["model"], {"params": float(row["params"])})
            entry[row["metric"]] = float(row["value"])
    out = {}
    for model, entry in by_model.items():
        if loss_metric in entry and accuracy_metric in entry:
            out[model] = (entry["params"], math.log(entry[loss_metric]), entry[accuracy_metric])
    return out


# Step 1: one-term LSE-Huber power law.

def power_law_objective(log_n, log_l):
    def objective(theta):
        a, e, alpha = theta
        z = np.stack([a - alpha * log_n, np.full_like(log_n, e)])
        lse = logsumexp(z, axis=0)
        r = lse - log_l
        absr = np.abs(r)
        hub = np.where(absr <= DELTA, 0.5 * r * r, DELTA * (absr - 0.5 * DELTA))
        slope = np.clip(r, -DELTA, DELTA)
        share = np.exp(z - lse)  # d lse / d z
        grad = np.array([np.sum(slope * share[0]), np.sum(slope * share[1]),
                         -np.sum(slope * share[0] * log_n)])
        # Divided by delta (same minimiser) so L-BFGS-B's relative ftol does not stop at once.
        return np.sum(hub) / DELTA, grad / DELTA
    return objective


def fit_power_law(n, loss):
    objective = power_law_objective(np.log(n), np.log(loss))
    best = None
    for a, e, alpha in itertools.product([0, 5, 10, 15, 20, 25], [-1, -0.5, 0, 0.5, 1],
                                         [0, 0.5, 1, 1.5, 2]):
        r = minimize(objective, np.array([a, e, alpha], float), jac=True, method="L-BFGS-B",
                     options={"maxiter": 2000, "ftol": 1e-14, "gtol": 1e-9})
        if best is None or r.fun < best.fun:
            best = r
    a, e, alpha = best.x
    return {"E": float(np.exp(e)), "A": float(np.exp(a)), "alpha": float(alpha),
            "objective": float(best.fun * DELTA)}


def power_law_at(p, n):
    return p["E"] + p["A"] * n ** (-p["alpha"])


# Step 2: four-parameter sigmoid of the task loss (floor optionally fixed).

def sigmoid_at(p, x):
    t = np.clip(p["slope"] * (np.asarray(x, float) - p["midpoint"]), -40, 40)
    return p["floor"] + (p["ceiling"] - p["floor"]) / (1 + np.exp(-t))


def fit_sigmoid(x, y, chance=None):
    x_min, x_max = float(x.min()), float(x.max())
    span = max(x_max - x_min, 1e-12)
    floor_start = chance if chance is not None else max(0.0, float(y.min()))
    ceiling_start = min(1.0, float(y.max()))

    def unpack(theta):
        if chance is None:
            floor, ceiling, midpoint, slope = theta
        else:
            floor = chance
            ceiling, midpoint, slope = theta
        return {"floor": float(floor), "ceiling": float(ceiling), "midpoint": float(midpoint),
                "slope": float(slope)}

    def residuals(theta):
        return sigmoid_at(unpack(theta), x) - y

    if chance is None:
        lower, upper = [0, 0, -np.inf, -np.inf], [1, 1, np.inf, np.inf]
    else:
        lower, upper = [0, -np.inf, -np.inf], [1, np.inf, np.inf]
    best, best_rss = None, np.inf
    for where in (0.1, 0.3, 0.5, 0.7, 0.9):
        for steep in (-10.0, -2.0, 2.0, 10.0):
            start = [ceiling_start, x_min + where * span, steep / span]
            if chance is None:
                start = [floor_start] + start
            r = least_squares(residuals, np.array(start, float), bounds=(lower, upper),
                              method="trf", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
            rss = float(np.sum(residuals(r.x) ** 2))
            if np.isfinite(rss) and rss < best_rss:
                best, best_rss = unpack(r.x), rss
    best["rss"] = best_rss
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="long CSV of final checkpoints (emlab export --final-only)")
    parser.add_argument("--task", default="lambada_openai")
    parser.add_argument("--cutoff", type=float, default=1.5e9, help="largest ladder model (params)")
    parser.add_argument("--chance", type=float, default=None, help="fix the sigmoid floor")
    parser.add_argument("--loss-metric", default="ppl", help="perplexity metric (loss = its log)")
    parser.add_argument("--accuracy-metric", default="acc")
    args = parser.parse_args()

    models = read_models(args.path, args.task, args.loss_metric, args.accuracy_metric)
    ladder = {m: v for m, v in models.items() if v[0] <= args.cutoff}
    held_out = sorted(((m, v) for m, v in models.items() if v[0] > args.cutoff),
                      key=lambda mv: (mv[1][0], mv[0]))
    n = np.array([v[0] for v in ladder.values()])
    loss = np.array([v[1] for v in ladder.values()])
    accuracy = np.array([v[2] for v in ladder.values()])

    step1 = fit_power_law(n, loss)
    step2 = fit_sigmoid(loss, accuracy, args.chance)
    rows = []
    for model, (params, observed_loss, observed_accuracy) in held_out:
        predicted_loss = float(power_law_at(step1, params))
        predicted_accuracy = float(sigmoid_at(step2, predicted_loss))
        rows.append({"model": model, "params": params, "observed_loss": observed_loss,
                     "predicted_loss": predicted_loss, "observed_accuracy": observed_accuracy,
                     "predicted_accuracy": predicted_accuracy,
                     "accuracy_at_observed_loss": float(sigmoid_at(step2, observed_loss))})
    out = {"task": args.task, "cutoff": args.cutoff, "chance": args.chance,
           "ladder_models": sorted(ladder, key=lambda m: (ladder[m][0], m)),
           "step1_power_law": step1, "step2_sigmoid": step2, "held_out": rows,
           "mean_abs_accuracy_error": float(np.mean(
               [abs(r["predicted_accuracy"] - r["observed_accuracy"]) for r in rows])),
           "mean_abs_step2_error": float(np.mean(
               [abs(r["accuracy_at_observed_loss"] - r["observed_accuracy"]) for r in rows]))}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

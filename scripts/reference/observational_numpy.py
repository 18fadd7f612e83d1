#!/usr/bin/env python3
"""Independent NumPy/SciPy reference for emlab's observational scaling (forecast --method observational).

Ruan, Maddison, Hashimoto 2024 (arXiv:2405.10938) on the Sloth leaderboard table
(tests/data/import/sloth/df_full.csv, 98 models, Maia Polo et al. 2024, MIT):

- principal components of the capability scores (arc, hellaswag, mmlu, truthfulqa, winogrande),
  centred, not standardised, by numpy.linalg.svd; each component's sign makes its loadings sum
  to >= 0 (more capable = higher PC1);
- the sigmoid y = floor + (ceiling - floor) * sigmoid(w . pc + b) of the first K components, least
  squares by scipy.optimize.least_squares (trust-region reflective, floor and ceiling in [0, 1])
  from the same 20 starts as emlab (w = (s, 0, ...), b = -s * m for 5 midpoints m and 4 slopes s);
- capability (PC1) against log10 FLOPs with one slope and one offset per family (numpy lstsq);
- the backtest: fitted on the models with FLOPs <= 8.4e22 (PCA on those only), predicting the rest.

Run with Debian's /usr/bin/python3 (python3-numpy, python3-scipy). Prints the numbers that
tests/analysis/observational_reference_test.cpp embeds, as JSON.
"""
import csv
import json
import os
import sys

import numpy as np
from scipy.optimize import least_squares

CAPABILITY = ["arc", "hellaswag", "mmlu", "truthfulqa", "winogrande"]
TARGETS = ["gsm8k", "ifeval", "bbh", "math", "mmlu-pro", "gpqa", "musr"]
CUTOFF_FLOPS = 8.4e22  # Llama-2 7B, Ruan et al.'s cutoff


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows


def pca(x):
    mean = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mean, full_matrices=False)
    signs = np.where(vt.sum(axis=1) >= 0, 1.0, -1.0)
    vt = vt * signs[:, None]
    return mean, vt, s**2 / np.sum(s**2)


def sigmoid_model(theta, z, k, floor):
    w, b = theta[:k], theta[k]
    f = floor if floor is not None else theta[k + 1]
    c = theta[-1]
    t = np.clip(z @ w + b, -40, 40)
    return f + (c - f) / (1 + np.exp(-t))


def fit_sigmoid(z, y, floor=None):
    k = z.shape[1]
    lo_z, hi_z = z[:, 0].min(), z[:, 0].max()
    span = max(hi_z - lo_z, 1e-12)
    floor_start = floor if floor is not None else max(0.0, y.min())
    ceiling_start = min(1.0, y.max())
    best = None
    for where in [0.1, 0.3, 0.5, 0.7, 0.9]:
        for steep in [-10.0, -2.0, 2.0, 10.0]:
            s = steep / span
            theta = np.zeros(k + 1)
            theta[0] = s
            theta[k] = -s * (lo_z + where * span)
            lower = [-np.inf] * (k + 1)
            upper = [np.inf] * (k + 1)
            if floor is None:
                theta = np.append(theta, floor_start)
                lower.append(0.0)
                upper.append(1.0)
            theta = np.append(theta, ceiling_start)
            lower.append(0.0)
            upper.append(1.0)
            theta = np.clip(theta, np.array(lower) + 1e-12, np.array(upper) - 1e-12)
            r = least_squares(lambda t: sigmoid_model(t, z, k, floor) - y, theta,
                              bounds=(lower, upper), xtol=1e-10, ftol=1e-12, gtol=1e-12,
                              max_nfev=2000)
            rss = float(np.sum(r.fun**2))
            if best is None or rss < best[0]:
                best = (rss, r.x)
    return best


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, "..", "..", "tests", "data", "import", "sloth", "df_full.csv")
    rows = read(path)
    x = np.array([[float(r[c]) for c in CAPABILITY] for r in rows])
    flops = np.array([float(r["flops"]) * 1e21 for r in rows])
    family = [r["family"] for r in rows]
    out = {"models": len(rows)}

    mean, vt, share = pca(x)
    scores = (x - mean) @ vt.T
    out["pca"] = {"share": share.tolist(), "loadings": vt[:3].tolist(),
                  "first_model": rows[0]["model"], "first_scores": scores[0, :3].tolist()}

    # Family offsets: PC1 = slope * log10(FLOPs) + offset[family].
    names = sorted(set(family))
    design = np.zeros((len(rows), 1 + len(names)))
    design[:, 0] = np.log10(flops)
    for i, f in enumerate(family):
        design[i, 1 + names.index(f)] = 1.0
    coef, *_ = np.linalg.lstsq(design, scores[:, 0], rcond=None)
    out["efficiency"] = {"slope": coef[0],
                         "offsets": {n: coef[1 + i] for i, n in enumerate(names)
                                     if n in ("llama-2", "qwen2", "pythia", "falcon")}}

    # The backtest at Llama-2 7B's compute: PCA and fits on the smaller models only.
    train = flops <= CUTOFF_FLOPS
    test = ~train
    mean_t, vt_t, _ = pca(x[train])
    z = (x - mean_t) @ vt_t.T
    log_flops = np.log10(flops)[:, None]
    out["backtest"] = {"train": int(train.sum()), "test": int(test.sum()), "tasks": {}}
    for task in TARGETS:
        y = np.array([float(r[task]) for r in rows])
        entry = {}
        for k in (1, 3):
            rss, theta = fit_sigmoid(z[train, :k], y[train])
            pred = sigmoid_model(theta, z[test, :k], k, None)
            entry[f"pcs{k}"] = {"rss": rss, "mae": float(np.mean(np.abs(pred - y[test]))),
                                "theta": theta.tolist()}
        rss, theta = fit_sigmoid(log_flops[train], y[train])
        pred = sigmoid_model(theta, log_flops[test], 1, None)
        entry["compute"] = {"rss": rss, "mae": float(np.mean(np.abs(pred - y[test])))}
        out["backtest"]["tasks"][task] = entry

    # A floor held at chance (0 for GSM8K's open answers), K = 3.
    y = np.array([float(r["gsm8k"]) for r in rows])
    rss, theta = fit_sigmoid(z[train, :3], y[train], floor=0.0)
    out["gsm8k_floor0_pcs3"] = {"rss": rss, "theta": theta.tolist()}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()

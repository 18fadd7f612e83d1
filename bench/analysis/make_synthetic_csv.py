#!/usr/bin/env python3
"""Writes a long-format CSV (docs/csv-format.md) of synthetic loss points drawn from Chinchilla's
published fit (E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28) with 1% log-normal noise:
N log-uniform in [1e7, 1e10], D/N log-uniform in [2, 200]."""
import sys

import numpy as np

count = int(sys.argv[1]) if len(sys.argv) > 1 else 250
rng = np.random.default_rng(int(sys.argv[2]) if len(sys.argv) > 2 else 0)
n = 10 ** rng.uniform(7, 10, count)
d = n * 10 ** rng.uniform(np.log10(2), np.log10(200), count)
loss = (1.69 + 406.4 / n**0.34 + 410.7 / d**0.28) * np.exp(0.01 * rng.standard_normal(count))
print("model,params,tokens,loss")
for i in range(count):
    print(f"synthetic-{i},{n[i]:.6e},{d[i]:.6e},{loss[i]:.8f}")

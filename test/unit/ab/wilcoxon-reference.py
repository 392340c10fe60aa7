#!/usr/bin/python3
# Reference values for test/unit/stats/paired.test.ts, computed with scipy (Debian python3-scipy).
# Regenerate:  /usr/bin/python3 test/unit/ab/wilcoxon-reference.py > test/unit/ab/wilcoxon-reference.json
# Cases without zeros or ties use scipy's exact method (n ≤ 50); the others the normal
# approximation (method="approx", zero_method="wilcox", correction=False), as paired.ts does.
import json
import sys

import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(20261127)
cases = []
def add(d, method):
    d = [float(v) for v in d]
    row = {"d": d, "method": method}
    for alt in ["two-sided", "less", "greater"]:
        r = stats.wilcoxon(d, alternative=alt, method=method)
        row[alt] = float(r.pvalue)
    # R+ (scipy reports it as the statistic of the one-sided test)
    row["rPlus"] = float(stats.wilcoxon(d, alternative="greater", method=method).statistic)
    cases.append(row)

add([0.012, -0.004, 0.031, 0.022, -0.009, 0.017, 0.041, 0.005], "exact")
add(list(np.round(rng.normal(0.05, 0.04, 12), 6)), "exact")
add(list(np.round(rng.normal(0.0, 0.03, 20), 6)), "exact")
add(list(np.round(rng.normal(0.02, 0.05, 50), 7)), "exact")
add(list(np.round(rng.normal(0.01, 0.05, 60), 7)), "approx")
add([0.01, 0.01, -0.02, 0.03, 0.0, 0.02, 0.02, -0.01, 0.04, 0.05, 0.0, 0.01], "approx")
add(list(np.round(rng.normal(0.0, 0.02, 30), 2)), "approx")

# Hodges–Lehmann estimate (median of Walsh averages) computed directly.
hl = []
for d in [[0.012, -0.004, 0.031, 0.022, -0.009, 0.017, 0.041, 0.005], list(np.round(rng.normal(0.05, 0.04, 15), 6))]:
    a = np.array(d)
    w = sorted((a[i] + a[j]) / 2 for i in range(len(a)) for j in range(i, len(a)))
    hl.append({"d": [float(v) for v in d], "estimate": float(np.median(w)), "walsh": [float(v) for v in w]})

json.dump({"generator": f"scipy {scipy.__version__}, numpy {np.__version__}, python {sys.version.split()[0]}", "wilcoxon": cases, "hodgesLehmann": hl}, sys.stdout, indent=1)
print()

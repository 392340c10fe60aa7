#!/usr/bin/python3
# Reference values for the statistics unit tests, computed with numpy/scipy (Debian python3-scipy).
# Regenerate:  /usr/bin/python3 test/unit/stats/reference.py > test/unit/stats/reference.json
# The tests read reference.json; every value there comes from scipy/numpy except the xoshiro128**
# stream, which is a line-by-line Python transliteration of the reference C code (prng.di.unimi.it).
import json
import sys

import numpy as np
import scipy
from scipy import special, stats

out = {"generator": f"numpy {np.__version__}, scipy {scipy.__version__}, python {sys.version.split()[0]}"}

rng = np.random.default_rng(20261126)

# --- descriptive -----------------------------------------------------------------------------
desc = []
for data in [
    [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0],
    [0.0123, 0.0119, 0.0131, 0.0125, 0.0500, 0.0121, 0.0122],
    list(np.round(rng.lognormal(0.0, 0.5, 25), 6)),
    [42.0],
]:
    a = np.array(data)
    desc.append({
        "data": data,
        "mean": float(np.mean(a)),
        "median": float(np.median(a)),
        "stddev": float(np.std(a, ddof=1)) if len(a) > 1 else 0.0,
        "q10": float(np.quantile(a, 0.10, method="linear")),
        "q95": float(np.quantile(a, 0.95, method="linear")),
        "iqr": float(stats.iqr(a)),
        "mad": float(stats.median_abs_deviation(a)),
        "madNormal": float(stats.median_abs_deviation(a, scale="normal")),
    })
out["descriptive"] = desc

# --- distributions ---------------------------------------------------------------------------
zs = [-8.5, -5.0, -3.0, -2.9, -1.96, -0.5, 0.0, 0.3, 1.0, 2.5, 3.0, 4.2, 7.0]
out["normal"] = [{"x": x, "cdf": float(stats.norm.cdf(x)), "sf": float(stats.norm.sf(x))} for x in zs]
ps = [1e-12, 1e-6, 0.001, 0.025, 0.2, 0.5, 0.7, 0.975, 0.999999]
out["normalPpf"] = [{"p": p, "x": float(stats.norm.ppf(p))} for p in ps]
tcases = [(2.5, 7), (-1.3, 3.5), (0.7, 1), (4.0, 30.2), (12.0, 5), (-0.2, 200), (3.1, 2)]
out["t"] = [{"t": t, "df": df, "sf": float(stats.t.sf(t, df)), "cdf": float(stats.t.cdf(t, df))} for t, df in tcases]
out["tPpf"] = [{"p": p, "df": df, "x": float(stats.t.ppf(p, df))} for p, df in [(0.975, 10), (0.995, 3), (0.05, 17.3), (0.9, 1)]]
out["logGamma"] = [{"x": x, "y": float(special.gammaln(x))} for x in [0.1, 0.5, 1.0, 2.5, 10.0, 123.4]]
out["incompleteBeta"] = [{"x": x, "a": a, "b": b, "y": float(special.betainc(a, b, x))}
                         for x, a, b in [(0.3, 2.0, 3.0), (0.9, 0.5, 0.5), (0.01, 5.0, 0.5), (0.6, 15.0, 20.0)]]

# --- Mann–Whitney ----------------------------------------------------------------------------
mw = []
cases = [
    ([1.1, 4.0, 7.3, 9.2, 12.5], [2.0, 3.1, 5.2, 6.3]),                     # exact, no ties
    ([19.0, 22.0, 16.0, 29.0, 24.0], [20.0, 11.0, 17.0, 12.0]),             # exact, scipy docs' flavour
    ([1.0, 2.0, 2.0, 3.0, 4.0], [2.0, 3.0, 5.0, 6.0, 6.0, 7.0]),            # ties -> asymptotic
    (list(np.round(rng.normal(10, 1, 30), 3)), list(np.round(rng.normal(10.6, 1, 30), 3))),
    (list(np.round(rng.normal(10, 1, 12), 1)), list(np.round(rng.normal(10, 1, 15), 1))),  # rounding -> ties
    ([5.0, 6.0, 7.0], [1.0, 2.0, 3.0, 4.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0]),
]
for x, y in cases:
    row = {"x": [float(v) for v in x], "y": [float(v) for v in y]}
    for alt in ["two-sided", "less", "greater"]:
        r = stats.mannwhitneyu(x, y, alternative=alt, method="auto")
        row[alt] = {"u1": float(r.statistic), "p": float(r.pvalue)}
    mw.append(row)
out["mannWhitney"] = mw

# --- Theil–Sen -------------------------------------------------------------------------------
ts = []
t = np.arange(20, dtype=float)
for x, y, conf in [
    (list(t), list(np.round(2.0 * t + rng.normal(0, 3, 20), 2)), 0.95),
    ([0.0, 1.0, 2.0, 2.0, 3.0, 5.0, 6.0, 8.0], [1.0, 2.0, 2.0, 4.0, 3.0, 7.0, 7.0, 9.0], 0.90),  # ties in x and y
    (list(np.arange(40.0)), list(np.round(-0.5 * np.arange(40.0) + rng.standard_t(2, 40), 3)), 0.95),
]:
    r = stats.theilslopes(y, x, alpha=conf)
    ts.append({"x": x, "y": y, "confidence": conf, "slope": float(r[0]), "intercept": float(r[1]),
               "lo": float(r[2]), "hi": float(r[3])})
out["theilSen"] = ts

# --- Mann–Kendall: S and Var(S) cross-checked with scipy.stats.kendalltau --------------------
mk = []
for y in [
    list(np.round(np.arange(25) * 0.2 + rng.normal(0, 1, 25), 2)),
    [3.0, 3.0, 4.0, 2.0, 5.0, 5.0, 5.0, 6.0, 4.0, 7.0, 7.0, 8.0],
    list(np.round(rng.normal(0, 1, 30), 2)),
]:
    n = len(y)
    x = np.arange(n)
    # kendalltau with distinct x: tau_b = S / sqrt(n0 (n0 - n2)), n0 = n(n-1)/2, n2 = Σ t(t-1)/2 (y ties).
    tau, p_nocc = stats.kendalltau(x, y, method="asymptotic")
    _, counts = np.unique(y, return_counts=True)
    n0 = n * (n - 1) / 2
    n2 = float(np.sum(counts * (counts - 1) / 2))
    S = tau * np.sqrt(n0 * (n0 - n2))
    var_s = (n * (n - 1) * (2 * n + 5) - float(np.sum(counts * (counts - 1) * (2 * counts + 5)))) / 18.0
    z = (S - np.sign(S)) / np.sqrt(var_s) if S != 0 else 0.0
    mk.append({"y": [float(v) for v in y], "S": float(round(S)), "varS": var_s,
               "pKendallTauNoContinuity": float(p_nocc),
               "pTwoSided": float(2 * stats.norm.sf(abs(z))), "pGreater": float(stats.norm.sf(z))})
out["mannKendall"] = mk

# --- Welch -----------------------------------------------------------------------------------
welch = []
for a, b in [((0.210, 0.031, 25), (0.195, 0.028, 30)), ((1.50, 0.40, 5), (1.10, 0.05, 8)), ((10.0, 2.0, 3), (10.5, 2.5, 4))]:
    row = {"a": {"mean": a[0], "stddev": a[1], "n": a[2]}, "b": {"mean": b[0], "stddev": b[1], "n": b[2]}}
    for alt in ["two-sided", "greater", "less"]:
        r = stats.ttest_ind_from_stats(a[0], a[1], a[2], b[0], b[1], b[2], equal_var=False, alternative=alt)
        row[alt] = {"t": float(r.statistic), "p": float(r.pvalue)}
    welch.append(row)
out["welch"] = welch

# --- Bootstrap (Monte Carlo: compared with a tolerance) --------------------------------------
cur = list(np.round(rng.lognormal(np.log(1.10), 0.08, 30), 5))
base = list(np.round(rng.lognormal(0.0, 0.08, 30), 5))
res = stats.bootstrap((np.array(cur), np.array(base)), lambda a, b, axis=-1: np.median(a, axis=axis) / np.median(b, axis=axis),
                      method="percentile", n_resamples=50000, confidence_level=0.95, vectorized=True,
                      random_state=np.random.default_rng(1))
out["bootstrap"] = {"current": [float(v) for v in cur], "baseline": [float(v) for v in base],
                    "estimate": float(np.median(cur) / np.median(base)),
                    "lo": float(res.confidence_interval.low), "hi": float(res.confidence_interval.high)}

# --- xoshiro128** reference stream (transliteration of xoshiro128starstar.c) -----------------
def xoshiro(state, count):
    s = list(state)
    M = 0xFFFFFFFF
    rotl = lambda x, k: ((x << k) | (x >> (32 - k))) & M
    res = []
    for _ in range(count):
        result = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 9) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11)
        res.append(result)
    return res

out["xoshiro128ss"] = {"state": [1, 2, 3, 4], "outputs": xoshiro([1, 2, 3, 4], 10)}

json.dump(out, sys.stdout, indent=1)
print()

// Level shifts in a benchmark's history across commits: E-divisive means (Matteson & James
// 2014) with a permutation significance test, as Apache Otava (formerly DataStax Hunter) and
// MongoDB's CI use on performance histories.
//
// Why E-divisive rather than PELT: benchmark noise is skewed, heavy-tailed and differs per
// benchmark and machine. PELT needs a cost model (Gaussian) and a penalty that must be tuned to
// each series' noise to keep false alarms down; E-divisive is nonparametric (energy distance of
// the two sides, no distribution assumed) and its permutation test gives a p-value whose false
// alarm rate is α per test whatever the noise, with nothing to tune. Its cost, O(n²) per
// permutation, is fine for histories of a few hundred commits (bench/change-points.ts).
//
// Work is done on ln(value): shifts are relative, so a 10 % slowdown looks the same on a 1 µs and
// a 1 s benchmark.
import { median } from './descriptive';
import { createRng, type Rng } from './random';

export interface ChangePointOptions {
  /** Significance level of each permutation test (default 0.01). */
  alpha?: number;
  /** Permutations per test (default 199: p-values resolve to 0.005). */
  permutations?: number;
  /** Fewest points on each side of a change (default 3). */
  minSegment?: number;
  /** Smallest |relative shift| reported, e.g. 0.02; significant smaller ones are dropped (default 0). */
  minShift?: number;
  /** Most change points returned (default 10). */
  maxChanges?: number;
  seed?: number | string;
}

export interface ChangePoint {
  /** Index of the first point at the new level. */
  index: number;
  /** Relative shift of the median level: after / before − 1 (+0.14 = 14 % higher). */
  shift: number;
  /** Permutation p-value of the split when it was found. */
  pValue: number;
  /** 1 − pValue. */
  confidence: number;
}

const DEFAULTS = { alpha: 0.01, permutations: 199, minSegment: 3, minShift: 0, maxChanges: 10 };

/**
 * Q̂(τ) of every split of x (Matteson & James, exponent 1) and the best one. Sums of pairwise
 * distances are updated incrementally, so all splits cost O(n²) together.
 */
export function bestSplit(x: readonly number[], minSegment: number): { tau: number; q: number } | undefined {
  const n = x.length;
  const lo = Math.max(2, minSegment);
  if (n < 2 * lo) return undefined;
  // a[t] = Σ_{i<t} |x_i − x_t|, b[t] = Σ_{k>t} |x_t − x_k|.
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      const d = Math.abs(x[i] - x[k]);
      a[k] += d;
      b[i] += d;
      total += d;
    }
  }
  let within = 0; // Σ over pairs inside [0, τ)
  let right = total; // Σ over pairs inside [τ, n)
  let best: { tau: number; q: number } | undefined;
  for (let tau = 1; tau <= n - lo; tau++) {
    within += a[tau - 1];
    right -= b[tau - 1];
    if (tau < lo) continue;
    const m = tau;
    const k = n - tau;
    const cross = total - within - right;
    const e = (2 * cross) / (m * k) - within / ((m * (m - 1)) / 2) - right / ((k * (k - 1)) / 2);
    const q = ((m * k) / n) * e;
    if (!best || q > best.q) best = { tau, q };
  }
  return best;
}

function shuffled(x: readonly number[], rng: Rng): number[] {
  const y = [...x];
  for (let i = y.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [y[i], y[j]] = [y[j], y[i]];
  }
  return y;
}

/** Permutation p-value of the best split of `x`: how often a shuffled segment splits as well. */
function permutationP(x: readonly number[], observed: number, minSegment: number, permutations: number, rng: Rng): number {
  let atLeast = 0;
  for (let r = 0; r < permutations; r++) {
    const q = bestSplit(shuffled(x, rng), minSegment)?.q ?? -Infinity;
    if (q >= observed) atLeast++;
  }
  return (atLeast + 1) / (permutations + 1);
}

/**
 * Change points of a series of positive values (oldest → newest), by hierarchical E-divisive:
 * the best split of each segment is tested by permutation; the most significant one is kept and
 * the segments it creates are searched again, until no split is significant at α. Returned in
 * index order, each with the relative shift between the medians of its neighbouring segments.
 */
export function detectChangePoints(values: readonly number[], options: ChangePointOptions = {}): ChangePoint[] {
  const o = { ...DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof DEFAULTS & { seed?: number | string };
  const x = values.map(v => (v > 0 && Number.isFinite(v) ? Math.log(v) : NaN));
  if (x.some(Number.isNaN)) throw new RangeError('detectChangePoints: values must be positive finite numbers');
  const rng = createRng(o.seed ?? 0xc4a9);
  const found: { index: number; pValue: number }[] = [];
  // Candidate per segment [start, end), cached until the segment is split.
  const candidates = new Map<string, { index: number; pValue: number } | null>();
  const candidate = (start: number, end: number) => {
    const key = `${start}:${end}`;
    if (!candidates.has(key)) {
      const seg = x.slice(start, end);
      const best = bestSplit(seg, o.minSegment);
      candidates.set(key, best ? { index: start + best.tau, pValue: permutationP(seg, best.q, o.minSegment, o.permutations, rng) } : null);
    }
    return candidates.get(key) ?? undefined;
  };
  while (found.length < o.maxChanges) {
    const bounds = [0, ...found.map(f => f.index).sort((p, q) => p - q), x.length];
    let pick: { index: number; pValue: number } | undefined;
    for (let i = 0; i + 1 < bounds.length; i++) {
      const c = candidate(bounds[i], bounds[i + 1]);
      if (c && (!pick || c.pValue < pick.pValue)) pick = c;
    }
    if (!pick || pick.pValue > o.alpha) break;
    found.push(pick);
  }
  found.sort((p, q) => p.index - q.index);
  const bounds = [0, ...found.map(f => f.index), x.length];
  const out: ChangePoint[] = [];
  found.forEach((f, i) => {
    const before = median(x.slice(bounds[i], f.index));
    const after = median(x.slice(f.index, bounds[i + 2]));
    const shift = Math.exp(after - before) - 1;
    if (Math.abs(shift) >= o.minShift) out.push({ index: f.index, shift, pValue: f.pValue, confidence: 1 - f.pValue });
  });
  return out;
}

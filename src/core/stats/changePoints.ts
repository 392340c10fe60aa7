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
import { mannWhitneyU } from './mannWhitney';
import { createRng, type Rng } from './random';

/** How the permutation test treats neighbouring points that move together (see splitP). */
export type Autocorrelation = 'prewhiten' | 'blocks' | 'ignore';

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
  /**
   * 'prewhiten' (default): test each split on x_t − ρ̂·x_{t−1}, ρ̂ the lag-1 autocorrelation of
   * the residuals around the split's two levels, so slow drift (a shared machine's load phases)
   * is not taken for a step. 'ignore': the plain permutation test, exact only for exchangeable noise.
   */
  autocorrelation?: Autocorrelation;
  /**
   * Also require the LOCAL_WINDOW points just before and just after a change to differ
   * (Mann–Whitney, two-sided p below this; default 0.05, 0 = off). A step moves the level at
   * once; slow drift splits a long history "significantly" while its neighbouring windows barely
   * differ. bench/change-points.ts, with prewhitening: false alarms on measured-order noise
   * 15–18% → 7–8% (two runs at load ~18), at some recall of 10% shifts.
   */
  localAlpha?: number;
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

const DEFAULTS = { alpha: 0.01, permutations: 199, minSegment: 3, minShift: 0, maxChanges: 10, localAlpha: 0.05, autocorrelation: 'prewhiten' as Autocorrelation };

/** Points on each side of a change the local check compares (fewer when a segment is shorter). */
export const LOCAL_WINDOW = 8;

/** Largest ρ̂ used: beyond it the filtered series is nearly the first differences, where a step is one spike. */
const MAX_RHO = 0.9;

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

/** Blocks of `b` neighbours kept together, the blocks shuffled (the last may be shorter). */
function blockShuffled(x: readonly number[], b: number, rng: Rng): number[] {
  const blocks: number[][] = [];
  for (let i = 0; i < x.length; i += b) blocks.push(x.slice(i, i + b));
  return shuffled(blocks.map((_, i) => i), rng).flatMap(i => blocks[i]);
}

/** Permutation p-value of the best split of `x`: how often a shuffled segment splits as well. */
function permutationP(x: readonly number[], observed: number, minSegment: number, permutations: number, rng: Rng, block = 1): number {
  let atLeast = 0;
  for (let r = 0; r < permutations; r++) {
    const q = bestSplit(block > 1 ? blockShuffled(x, block, rng) : shuffled(x, rng), minSegment)?.q ?? -Infinity;
    if (q >= observed) atLeast++;
  }
  return (atLeast + 1) / (permutations + 1);
}

/**
 * Lag-1 autocorrelation of the residuals of `x` around the medians of [0, tau) and [tau, n),
 * clipped to [0, MAX_RHO]. Residuals around the split, not around one level: a real step must
 * not look like autocorrelation and weaken its own test.
 */
export function residualRho(x: readonly number[], tau: number): number {
  const mBefore = median(x.slice(0, tau));
  const mAfter = median(x.slice(tau));
  const r = x.map((v, i) => v - (i < tau ? mBefore : mAfter));
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < r.length; i++) {
    den += (r[i] - mean) ** 2;
    if (i > 0) num += (r[i] - mean) * (r[i - 1] - mean);
  }
  return den > 0 ? Math.min(MAX_RHO, Math.max(0, num / den)) : 0;
}

/**
 * Permutation p-value of the best split of `seg` at `tau`. With prewhitening the test runs on
 * e_t = x_t − ρ̂·x_{t−1}: under AR(1)-like drift e is close to exchangeable, so the permutation
 * null holds again; a step of Δ keeps (1 − ρ̂)·Δ on every later point plus Δ at the step itself,
 * and with independent noise ρ̂ ≈ 0 leaves the test as it was.
 */
function splitP(seg: readonly number[], best: { tau: number; q: number }, o: { minSegment: number; permutations: number; autocorrelation: Autocorrelation }, rng: Rng): number {
  if (o.autocorrelation === 'blocks') return permutationP(seg, best.q, o.minSegment, o.permutations, rng, Math.max(2, Math.round(Math.cbrt(seg.length))));
  const rho = o.autocorrelation === 'prewhiten' ? residualRho(seg, best.tau) : 0;
  if (rho === 0) return permutationP(seg, best.q, o.minSegment, o.permutations, rng);
  const e = seg.slice(1).map((v, i) => v - rho * seg[i]);
  const q = bestSplit(e, o.minSegment)?.q;
  return q === undefined ? 1 : permutationP(e, q, o.minSegment, o.permutations, rng);
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
      const local = (tau: number): boolean => {
        if (!(o.localAlpha > 0)) return true;
        // Up to LOCAL_WINDOW each side, unequal near an end: 3 new points against 8 can still decide.
        return mannWhitneyU(seg.slice(Math.max(0, tau - LOCAL_WINDOW), tau), seg.slice(tau, tau + LOCAL_WINDOW)).pValue < o.localAlpha;
      };
      candidates.set(key, best && local(best.tau) ? { index: start + best.tau, pValue: splitP(seg, best, o, rng) } : null);
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

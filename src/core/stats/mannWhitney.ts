// Mann–Whitney U test (Wilcoxon rank-sum) for two independent samples. It asks whether one sample
// tends to be larger than the other and assumes nothing about the shape of the distributions,
// which suits timing data (skewed, with outliers from the scheduler and GC).
//
// Conventions follow scipy.stats.mannwhitneyu (1.10), which our tests check against:
// - U1 is the statistic of x: R1 − n1(n1+1)/2, where R1 is the rank sum of x in the pooled sample.
// - method 'auto': exact null distribution when the smaller sample has ≤ 8 values and there are
//   no ties, otherwise the normal approximation with tie-corrected variance
//   σ² = n1·n2/12 · ((n+1) − Σ(t³−t)/(n(n−1))) and a continuity correction of ½.
// - alternative 'greater': x tends to be larger than y; 'less': smaller; 'two-sided': either.
import { normalSf } from './distributions';
import { rankWithTies } from './ranks';

export type Alternative = 'two-sided' | 'less' | 'greater';

export interface MannWhitneyOptions {
  alternative?: Alternative;
  method?: 'auto' | 'exact' | 'asymptotic';
  /** Continuity correction in the normal approximation (default true). */
  continuity?: boolean;
}

export interface MannWhitneyResult {
  /** U statistic of x. */
  u1: number;
  /** U statistic of y (= n1·n2 − U1). */
  u2: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  alternative: Alternative;
  /** Standardised statistic of the normal approximation (asymptotic method only). */
  z?: number;
  /** U1 / (n1·n2): probability that a random x exceeds a random y (ties count ½). */
  probabilityOfSuperiority: number;
}

/** Exact method is used up to this smaller-sample size (as scipy's 'auto'). */
export const EXACT_MAX_SMALLER_N = 8;

export function mannWhitneyU(x: readonly number[], y: readonly number[], options: MannWhitneyOptions = {}): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU: both samples need at least one value');
  for (const v of x) if (!Number.isFinite(v)) throw new RangeError(`mannWhitneyU: non-finite value ${v} in x`);
  for (const v of y) if (!Number.isFinite(v)) throw new RangeError(`mannWhitneyU: non-finite value ${v} in y`);
  const alternative = options.alternative ?? 'two-sided';
  const continuity = options.continuity ?? true;

  const { ranks, ties } = rankWithTies([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i];
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;

  let method: 'exact' | 'asymptotic';
  if (options.method === 'exact' || options.method === 'asymptotic') method = options.method;
  else method = Math.min(n1, n2) <= EXACT_MAX_SMALLER_N && ties.length === 0 ? 'exact' : 'asymptotic';
  if (method === 'exact' && ties.length > 0) {
    throw new RangeError('mannWhitneyU: the exact method needs data without ties');
  }

  // Every alternative reduces to an upper-tail probability of one U (scipy's formulation).
  const [u, factor] = alternative === 'greater' ? [u1, 1] : alternative === 'less' ? [u2, 1] : [Math.max(u1, u2), 2];

  let p: number;
  let z: number | undefined;
  if (method === 'exact') {
    p = exactUpperTail(u, n1, n2);
  } else {
    const n = n1 + n2;
    const tieTerm = ties.reduce((acc, t) => acc + t * t * t - t, 0);
    const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    if (sigma === 0) {
      p = 1; // every value equal: no evidence either way
    } else {
      z = (u - (n1 * n2) / 2 - (continuity ? 0.5 : 0)) / sigma;
      p = normalSf(z);
    }
  }
  return {
    u1,
    u2,
    pValue: Math.min(1, p * factor),
    method,
    alternative,
    z,
    probabilityOfSuperiority: u1 / (n1 * n2),
  };
}

/** P(U ≥ u) under H0 for sample sizes n1, n2 without ties. */
function exactUpperTail(u: number, n1: number, n2: number): number {
  const pmf = exactUDistribution(n1, n2);
  let p = 0;
  for (let k = Math.ceil(u); k < pmf.length; k++) p += pmf[k];
  return p;
}

/**
 * Null distribution of U for sizes m, n (no ties): P(U = u), u = 0 … m·n. The counts are the
 * coefficients of the Gaussian binomial [m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i);
 * we multiply the factors in one at a time so every intermediate is itself a Gaussian binomial
 * (non-negative integer coefficients), then divide by their total C(m+n, m).
 */
export function exactUDistribution(m: number, n: number): Float64Array {
  if (m > n) [m, n] = [n, m]; // symmetric; fewer factors with the smaller size
  let c = new Float64Array([1]);
  for (let i = 1; i <= m; i++) {
    const deg = i * n; // degree of [n+i choose i]_q
    const next = new Float64Array(deg + 1);
    // (c · (1 − q^(n+i))) / (1 − q^i), the division done as a running sum with stride i.
    for (let u = 0; u <= deg; u++) {
      let v = (u < c.length ? c[u] : 0) - (u - n - i >= 0 && u - n - i < c.length ? c[u - n - i] : 0);
      if (u >= i) v += next[u - i];
      next[u] = v;
    }
    c = next;
  }
  let total = 0;
  for (const v of c) total += v;
  for (let u = 0; u < c.length; u++) c[u] /= total;
  return c;
}

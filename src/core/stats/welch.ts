// Welch's t-test from summary statistics (mean, standard deviation, n) — for tools that report
// only summaries. Unlike Student's t it does not assume equal variances.
//   t = (m1 − m2) / √(s1²/n1 + s2²/n2),
//   df = (s1²/n1 + s2²/n2)² / ((s1²/n1)²/(n1−1) + (s2²/n2)²/(n2−1))   (Welch–Satterthwaite).
// Same results as scipy.stats.ttest_ind_from_stats(..., equal_var=False).
import { tPpf, tSf } from './distributions';
import type { Alternative } from './mannWhitney';

export interface SummaryStats {
  mean: number;
  /** Sample standard deviation (n − 1). */
  stddev: number;
  n: number;
}

export interface WelchResult {
  t: number;
  df: number;
  pValue: number;
  alternative: Alternative;
  /** m1 − m2. */
  difference: number;
  /** Standard error of the difference. */
  se: number;
}

/** 'greater': mean of a is larger than mean of b. */
export function welchTest(a: SummaryStats, b: SummaryStats, alternative: Alternative = 'two-sided'): WelchResult {
  for (const [name, s] of [
    ['a', a],
    ['b', b],
  ] as const) {
    if (!(s.n >= 2)) throw new RangeError(`welchTest: ${name}.n must be ≥ 2, got ${s.n}`);
    if (!(s.stddev >= 0) || !Number.isFinite(s.mean)) throw new RangeError(`welchTest: ${name} needs a finite mean and stddev ≥ 0`);
  }
  const va = (a.stddev * a.stddev) / a.n;
  const vb = (b.stddev * b.stddev) / b.n;
  const se = Math.sqrt(va + vb);
  const difference = a.mean - b.mean;
  if (se === 0) {
    // No spread on either side: any difference is certain, none is no evidence.
    const p = difference === 0 ? 1 : 0;
    return { t: difference === 0 ? 0 : Math.sign(difference) * Infinity, df: a.n + b.n - 2, pValue: p, alternative, difference, se };
  }
  const t = difference / se;
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const pValue =
    alternative === 'greater' ? tSf(t, df) : alternative === 'less' ? tSf(-t, df) : Math.min(1, 2 * tSf(Math.abs(t), df));
  return { t, df, pValue, alternative, difference, se };
}

/**
 * Approximate CI of the ratio of means m1/m2 by the delta method on the log scale:
 * Var(ln m1/m2) ≈ s1²/(n1·m1²) + s2²/(n2·m2²), with the Welch df for the t quantile.
 * Approximate (assumes positive means well away from zero); labelled as such by callers.
 */
export function welchRatioInterval(a: SummaryStats, b: SummaryStats, confidence = 0.95): { ratio: number; lo: number; hi: number; df: number } {
  if (!(a.mean > 0 && b.mean > 0)) throw new RangeError('welchRatioInterval: means must be positive');
  const va = (a.stddev * a.stddev) / a.n;
  const vb = (b.stddev * b.stddev) / b.n;
  const ratio = a.mean / b.mean;
  const seLog = Math.sqrt(va / (a.mean * a.mean) + vb / (b.mean * b.mean));
  if (seLog === 0) return { ratio, lo: ratio, hi: ratio, df: a.n + b.n - 2 };
  const df = (va + vb) ** 2 / ((va * va) / (a.n - 1) + (vb * vb) / (b.n - 1));
  const q = tPpf(1 - (1 - confidence) / 2, df);
  return { ratio, lo: ratio * Math.exp(-q * seLog), hi: ratio * Math.exp(q * seLog), df };
}

// Mann–Kendall trend test: does y tend to rise (or fall) with time? Rank-based, so it tolerates
// skew and outliers, and it pairs with the Theil–Sen slope (same pairwise comparisons).
//
// S = Σ_{i<j} sign(y_j − y_i) over points in time order;
// Var(S) = [n(n−1)(2n+5) − Σ_ties t(t−1)(2t+5)] / 18   (Kendall 1975; tie groups of equal y);
// Z = (S − 1)/√Var if S > 0, (S + 1)/√Var if S < 0, else 0   (continuity correction);
// p from the standard normal. This is the formulation of Hirsch, Slack & Smith (1982) and of the
// pymannkendall package's original_test.
import { normalSf } from './distributions';
import type { Alternative } from './mannWhitney';
import { tieGroups } from './ranks';

export interface MannKendallResult {
  s: number;
  varS: number;
  z: number;
  pValue: number;
  alternative: Alternative;
  /** Kendall's tau-a = S / (n(n−1)/2). */
  tau: number;
  trend: 'increasing' | 'decreasing' | 'none';
}

/**
 * @param y values in time order (sort by time first).
 * @param alternative 'greater' tests for an increasing trend, 'less' decreasing, 'two-sided' either.
 * @param alpha level used only to fill `trend`.
 */
export function mannKendall(y: readonly number[], alternative: Alternative = 'two-sided', alpha = 0.05): MannKendallResult {
  const n = y.length;
  if (n < 3) throw new RangeError('mannKendall: need at least three points');
  let s = 0;
  for (let i = 0; i < n - 1; i++) {
    const yi = y[i];
    for (let j = i + 1; j < n; j++) s += Math.sign(y[j] - yi);
  }
  const tieSum = tieGroups(y).reduce((acc, t) => acc + t * (t - 1) * (2 * t + 5), 0);
  const varS = (n * (n - 1) * (2 * n + 5) - tieSum) / 18;
  let z = 0;
  if (varS > 0) {
    if (s > 0) z = (s - 1) / Math.sqrt(varS);
    else if (s < 0) z = (s + 1) / Math.sqrt(varS);
  }
  const pValue =
    alternative === 'greater' ? normalSf(z) : alternative === 'less' ? normalSf(-z) : Math.min(1, 2 * normalSf(Math.abs(z)));
  const significant = pValue < alpha;
  const trend: MannKendallResult['trend'] = !significant || z === 0 ? 'none' : z > 0 ? 'increasing' : 'decreasing';
  return { s, varS, z, pValue, alternative, tau: s / ((n * (n - 1)) / 2), trend };
}

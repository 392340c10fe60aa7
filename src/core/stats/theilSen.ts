// Theil–Sen slope: the median of all pairwise slopes. Up to ~29% of the points can be outliers
// (a GC pause, a sampler hiccup) without moving it, unlike least squares.
//
// Matches scipy.stats.theilslopes(y, x, alpha, method='separate') (1.10), which our tests check:
// - slopes over pairs with x_j > x_i; intercept = median(y) − slope·median(x);
// - confidence interval from Sen (1968) eq. 2.6: with N slopes and
//   σ² = [n(n−1)(2n+5) − Σ_x-ties k(k−1)(2k+5) − Σ_y-ties k(k−1)(2k+5)] / 18,
//   the bounds are the sorted slopes at ranks round((N ∓ z·σ)/2), z = Φ⁻¹(α/2) (round half to even).
// Cost is O(n²) time and memory in the number of points; callers thin long series first.
import { median } from './descriptive';
import { normalPpf } from './distributions';
import { tieGroups } from './ranks';

export interface TheilSenResult {
  slope: number;
  intercept: number;
  /** Confidence interval of the slope; NaN bounds when there are too few pairs. */
  lo: number;
  hi: number;
  confidence: number;
  /** Number of pairwise slopes used. */
  pairs: number;
}

export function theilSen(x: readonly number[], y: readonly number[], confidence = 0.95): TheilSenResult {
  const n = y.length;
  if (x.length !== n) throw new RangeError(`theilSen: x and y differ in length (${x.length} vs ${n})`);
  if (n < 2) throw new RangeError('theilSen: need at least two points');
  let count = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (x[j] - x[i] > 0) count++;
  if (count === 0) throw new RangeError('theilSen: all x values are identical');
  const slopes = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const dx = x[j] - x[i];
      if (dx > 0) slopes[k++] = (y[j] - y[i]) / dx;
    }
  }
  slopes.sort();
  const mid = (count - 1) / 2;
  const slope = (slopes[Math.floor(mid)] + slopes[Math.ceil(mid)]) / 2; // median of the sorted slopes
  const intercept = median(y) - slope * median(x);

  const alpha = confidence > 0.5 ? 1 - confidence : confidence;
  const z = normalPpf(alpha / 2);
  const tieSum = (ks: number[]): number => ks.reduce((acc, t) => acc + t * (t - 1) * (2 * t + 5), 0);
  const sigsq = (n * (n - 1) * (2 * n + 5) - tieSum(tieGroups(x)) - tieSum(tieGroups(y))) / 18;
  let lo = NaN;
  let hi = NaN;
  if (sigsq >= 0) {
    const sigma = Math.sqrt(sigsq);
    const ru = Math.min(roundHalfEven((count - z * sigma) / 2), count - 1);
    const rl = Math.max(roundHalfEven((count + z * sigma) / 2) - 1, 0);
    if (rl >= 0 && rl < count && ru >= 0) {
      lo = slopes[rl];
      hi = slopes[ru];
    }
  }
  return { slope, intercept, lo, hi, confidence: 1 - alpha, pairs: count };
}

/** numpy.round semantics: halves go to the even neighbour. */
export function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const diff = v - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

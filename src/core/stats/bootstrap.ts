// Bootstrap confidence interval of the ratio of medians (current / baseline), seeded.
//
// Method: PERCENTILE bootstrap — resample each side independently with replacement, take the
// ratio of the two medians, and read the α/2 and 1−α/2 quantiles of those ratios. We do not use
// BCa: its acceleration comes from a jackknife, and the jackknife is inconsistent for the median
// (leave-one-out medians take only two values), so BCa's correction would be noise at n ≈ 30.
// Ratios are scale-free, so one rule serves nanoseconds and seconds alike.
import { quantile } from './descriptive';
import { createRng, DEFAULT_SEED } from './random';

export interface BootstrapOptions {
  /** Number of resamples (default 2000). */
  resamples?: number;
  /** Two-sided confidence level (default 0.95). */
  confidence?: number;
  /** PRNG seed (default DEFAULT_SEED): same data and seed → same interval. */
  seed?: number | string;
  /** Which quantile to take the ratio of (default 0.5, the median; type-7 interpolation). */
  quantile?: number;
}

export interface BootstrapInterval {
  /** The statistic on the original data. */
  estimate: number;
  lo: number;
  hi: number;
  confidence: number;
  resamples: number;
  method: 'percentile';
}

export const DEFAULT_RESAMPLES = 2000;

/** Percentile-bootstrap CI of median(current) / median(baseline) (or of another quantile, see options). */
export function bootstrapRatioOfMedians(
  current: readonly number[],
  baseline: readonly number[],
  options: BootstrapOptions = {},
): BootstrapInterval {
  if (current.length === 0 || baseline.length === 0) {
    throw new RangeError('bootstrapRatioOfMedians: both samples need at least one value');
  }
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${confidence}`);
  if (!(resamples >= 1)) throw new RangeError(`bootstrap: resamples must be ≥ 1, got ${resamples}`);
  const rng = createRng(options.seed ?? DEFAULT_SEED);
  const q = options.quantile ?? 0.5;
  if (!(q >= 0 && q <= 1)) throw new RangeError(`bootstrap: quantile must be in [0, 1], got ${q}`);

  const a = Float64Array.from(current);
  const b = Float64Array.from(baseline);
  const bufA = new Float64Array(a.length);
  const bufB = new Float64Array(b.length);
  const ratios = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) bufA[i] = a[rng.int(a.length)];
    for (let i = 0; i < b.length; i++) bufB[i] = b[rng.int(b.length)];
    ratios[r] = selectQuantile(bufA, q) / selectQuantile(bufB, q);
  }
  ratios.sort();
  const sortedRatios = Array.from(ratios);
  const tail = (1 - confidence) / 2;
  return {
    estimate: quantile(current, q) / quantile(baseline, q),
    lo: quantile(sortedRatios, tail, true),
    hi: quantile(sortedRatios, 1 - tail, true),
    confidence,
    resamples,
    method: 'percentile',
  };
}

/** Type-7 quantile by selection (O(n) on average, reorders `a`); same value as sorting first. */
function selectQuantile(a: Float64Array, q: number): number {
  const h = (a.length - 1) * q;
  const k = Math.floor(h);
  const lower = select(a, k);
  if (h === k) return lower;
  // The next order statistic is the smallest value right of k after selection.
  let upper = Infinity;
  for (let i = k + 1; i < a.length; i++) if (a[i] < upper) upper = a[i];
  return lower === upper ? lower : lower + (h - k) * (upper - lower);
}

/** Hoare's quickselect: puts the k-th smallest at a[k], smaller ones left of it, larger right. */
function select(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}

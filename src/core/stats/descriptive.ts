// Descriptive statistics. Pure functions over plain number arrays; inputs are never mutated.
// Empty input is a programming error here (callers decide what "no data" means), so we throw.

function requireData(xs: readonly number[], what: string): void {
  if (xs.length === 0) throw new RangeError(`${what}: empty input`);
}

/** Ascending copy. */
export function sorted(xs: readonly number[]): number[] {
  return [...xs].sort((a, b) => a - b);
}

export function sum(xs: readonly number[]): number {
  // Neumaier summation: long sample arrays of similar magnitudes lose digits with a naive loop.
  let s = 0;
  let c = 0;
  for (const x of xs) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}

export function mean(xs: readonly number[]): number {
  requireData(xs, 'mean');
  return sum(xs) / xs.length;
}

/** Sample variance (denominator n − 1); 0 for a single value. */
export function variance(xs: readonly number[]): number {
  requireData(xs, 'variance');
  if (xs.length < 2) return 0;
  const m = mean(xs);
  let ss = 0;
  for (const x of xs) ss += (x - m) * (x - m);
  return ss / (xs.length - 1);
}

/** Sample standard deviation (n − 1), as numpy.std(ddof=1) and Python's statistics.stdev. */
export function stddev(xs: readonly number[]): number {
  return Math.sqrt(variance(xs));
}

/**
 * Quantile by linear interpolation between order statistics — Hyndman & Fan type 7, the default
 * of numpy.quantile, R quantile() and Excel PERCENTILE.INC: h = (n − 1)·q, interpolate between
 * x[floor h] and x[ceil h]. Pass already-sorted data with `isSorted` to skip the copy.
 */
export function quantile(xs: readonly number[], q: number, isSorted = false): number {
  requireData(xs, 'quantile');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`);
  const s = isSorted ? xs : sorted(xs);
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  // Equal neighbours return as is, so infinite order statistics do not turn into NaN.
  if (lo === hi || s[lo] === s[hi]) return s[lo];
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

export function median(xs: readonly number[], isSorted = false): number {
  return quantile(xs, 0.5, isSorted);
}

/** Interquartile range Q3 − Q1, both type-7 quantiles. */
export function iqr(xs: readonly number[]): number {
  const s = sorted(xs);
  return quantile(s, 0.75, true) - quantile(s, 0.25, true);
}

/**
 * Median absolute deviation from the median. `scaled` multiplies by 1.4826 (= 1/Φ⁻¹(3/4)) so it
 * estimates σ for normal data — scipy.stats.median_abs_deviation(scale='normal').
 */
export function mad(xs: readonly number[], scaled = false): number {
  const m = median(xs);
  const raw = median(xs.map((x) => Math.abs(x - m)));
  return scaled ? raw * MAD_NORMAL_SCALE : raw;
}

/** 1 / Φ⁻¹(0.75). */
export const MAD_NORMAL_SCALE = 1.482602218505602;

export function min(xs: readonly number[]): number {
  requireData(xs, 'min');
  let m = Infinity;
  for (const x of xs) if (x < m) m = x;
  return m;
}

export function max(xs: readonly number[]): number {
  requireData(xs, 'max');
  let m = -Infinity;
  for (const x of xs) if (x > m) m = x;
  return m;
}

// Paired comparison of base and head measured on the same machine, interleaved (A/B mode).
//
// Each pair (base_i, head_i) holds one round's central value of each side (e.g. the median of one
// invocation of the benchmark). Pairs taken close together in time share the machine's slow and
// fast phases, so we judge the per-pair log-ratios d_i = ln(head_i / base_i), which cancel them:
//   test      Wilcoxon signed-rank on d (H0: d symmetric about 0). Exact null distribution up to
//             50 pairs without zeros or ties, otherwise the normal approximation with the
//             tie-corrected variance, zeros dropped (Wilcox) — scipy.stats.wilcoxon's conventions
//             (1.10, correction=False), which the tests check against.
//   estimate  Hodges–Lehmann: the median of the Walsh averages (d_i + d_j)/2, i ≤ j, the estimator
//             that goes with the signed-rank test; ratio = exp(estimate).
//   interval  The distribution-free CI from the same null distribution (Walsh averages of ranks
//             k and M+1−k); its true level is ≥ the one asked for, and reported exactly when
//             exact. With too few pairs for the level asked, the widest interval (min…max) is given.
// Why log-ratios: a slowdown is multiplicative (5% of whatever the round took), and the median of
// ln(head/base) maps back to a ratio without the bias of averaging ratios.
import { lowerIsBetter, type Metric } from '../model';
import { pct, type Confidence, type Verdict, type VerdictStatus } from '../verdict';
import { normalPpf, normalSf } from './distributions';
import { rankWithTies } from './ranks';

export type PairedAlternative = 'two-sided' | 'less' | 'greater';

export interface WilcoxonResult {
  /** Sum of the ranks of the positive differences (R+). */
  rPlus: number;
  /** Differences used (zeros dropped). */
  n: number;
  zeros: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
  /** Standardised statistic of the normal approximation (asymptotic only). */
  z?: number;
}

/** Largest pair count for the exact null distribution (as scipy's 'auto'). */
export const EXACT_MAX_PAIRS = 50;

const pmfCache = new Map<number, Float64Array>();

/**
 * Null distribution of R+ for n differences without ties: P(R+ = k), k = 0 … n(n+1)/2.
 * Each rank j joins R+ with probability ½ independently (the sign of a symmetric difference).
 */
export function wilcoxonExactPmf(n: number): Float64Array {
  const cached = pmfCache.get(n);
  if (cached) return cached;
  const max = (n * (n + 1)) / 2;
  let p = new Float64Array(max + 1);
  p[0] = 1;
  for (let j = 1; j <= n; j++) {
    const next = new Float64Array(max + 1);
    for (let k = 0; k <= max; k++) {
      if (p[k] === 0) continue;
      next[k] += p[k] / 2;
      next[k + j] += p[k] / 2;
    }
    p = next;
  }
  pmfCache.set(n, p);
  return p;
}

/** Wilcoxon signed-rank test of differences `d` (alternative 'greater': d tends to be > 0). */
export function wilcoxonSignedRank(
  d: readonly number[],
  options: { alternative?: PairedAlternative; method?: 'auto' | 'exact' | 'asymptotic' } = {},
): WilcoxonResult {
  for (const [i, v] of d.entries()) if (!Number.isFinite(v)) throw new RangeError(`wilcoxonSignedRank: non-finite difference ${v} at index ${i}`);
  const alternative = options.alternative ?? 'two-sided';
  const nonzero = d.filter((v) => v !== 0);
  const zeros = d.length - nonzero.length;
  const n = nonzero.length;
  if (n === 0) return { rPlus: 0, n: 0, zeros, pValue: 1, method: 'asymptotic' };
  const { ranks, ties } = rankWithTies(nonzero.map(Math.abs));
  let rPlus = 0;
  for (let i = 0; i < n; i++) if (nonzero[i] > 0) rPlus += ranks[i];

  let method: 'exact' | 'asymptotic';
  if (options.method === 'exact' || options.method === 'asymptotic') method = options.method;
  else method = n <= EXACT_MAX_PAIRS && zeros === 0 && ties.length === 0 ? 'exact' : 'asymptotic';
  if (method === 'exact' && (ties.length > 0 || zeros > 0)) throw new RangeError('wilcoxonSignedRank: the exact method needs differences without zeros or ties');

  if (method === 'exact') {
    const pmf = wilcoxonExactPmf(n);
    const r = Math.round(rPlus);
    let lower = 0; // P(R+ ≤ r)
    for (let k = 0; k <= r; k++) lower += pmf[k];
    let upper = 0; // P(R+ ≥ r)
    for (let k = r; k < pmf.length; k++) upper += pmf[k];
    const p = alternative === 'greater' ? upper : alternative === 'less' ? lower : Math.min(1, 2 * Math.min(lower, upper));
    return { rPlus, n, zeros, pValue: Math.min(1, p), method };
  }
  const mean = (n * (n + 1)) / 4;
  const tieTerm = ties.reduce((acc, t) => acc + t * (t * t - 1), 0);
  const se = Math.sqrt((n * (n + 1) * (2 * n + 1) - tieTerm / 2) / 24);
  if (se === 0) return { rPlus, n, zeros, pValue: 1, method };
  const z = (rPlus - mean) / se;
  const p = alternative === 'greater' ? normalSf(z) : alternative === 'less' ? normalSf(-z) : Math.min(1, 2 * normalSf(Math.abs(z)));
  return { rPlus, n, zeros, pValue: p, method, z };
}

export interface HodgesLehmann {
  estimate: number;
  lo: number;
  hi: number;
  /** Coverage the interval actually has (≥ the level asked when enough pairs; exact for n ≤ 50). */
  level: number;
}

/** Hodges–Lehmann estimate of the centre of `d` with its distribution-free CI at `confidence`. */
export function hodgesLehmann(d: readonly number[], confidence = 0.95): HodgesLehmann {
  const n = d.length;
  if (n === 0) throw new RangeError('hodgesLehmann: no differences');
  const walsh: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) walsh.push((d[i] + d[j]) / 2);
  walsh.sort((a, b) => a - b);
  const m = walsh.length;
  const estimate = m % 2 ? walsh[(m - 1) / 2] : (walsh[m / 2 - 1] + walsh[m / 2]) / 2;
  const tail = (1 - confidence) / 2;
  // k = number of Walsh averages cut from each end: the largest k with P(R+ ≤ k−1) ≤ tail.
  let k: number;
  let level: number;
  if (n <= EXACT_MAX_PAIRS) {
    const pmf = wilcoxonExactPmf(n);
    let cum = 0;
    k = 0;
    while (k < pmf.length && cum + pmf[k] <= tail) cum += pmf[k++];
    level = 1 - 2 * cum;
  } else {
    const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24);
    k = Math.max(0, Math.floor(m / 2 - normalPpf(1 - tail) * sd));
    level = confidence; // approximate
  }
  if (k === 0) return { estimate, lo: walsh[0], hi: walsh[m - 1], level: n <= EXACT_MAX_PAIRS ? 1 : confidence };
  return { estimate, lo: walsh[k - 1], hi: walsh[m - k], level };
}

export interface Pair {
  base: number;
  head: number;
}

export interface PairedOptions {
  /**
   * Practical threshold as a fraction. Default 0.02: pairs cancel the machine's drift, so a
   * paired interval is a few times narrower than a stored-baseline one and a 2% bar still
   * ignores shifts too small to matter while letting a 5% slowdown (the change users ask us to
   * catch) clear it almost always — with a 5% bar, half the true 5% slowdowns would land below
   * it. False alarms are bounded by α, not by the bar. bench/ab-verdicts.ts measures both.
   */
  threshold?: number;
  /** Significance level of the signed-rank test (default 0.01; divide it over sequential looks). */
  alpha?: number;
  /** Level of the reported CI (default 0.95). */
  ciLevel?: number;
  /** Below this many pairs a CI reaching beyond the threshold is 'inconclusive' (default 8). */
  minPairs?: number;
  /** Appended to `reason`, e.g. "look 1 of 2, Bonferroni". */
  note?: string;
}

export const DEFAULT_PAIRED_OPTIONS = { threshold: 0.02, alpha: 0.01, ciLevel: 0.95, minPairs: 8 } as const;

/**
 * A Verdict (same statuses, ratio, CI, confidence, reason) whose test is the signed-rank test.
 * `test` is re-typed here rather than widened in verdict.ts, whose switch over tests is another's.
 */
export type PairedVerdict = Omit<Verdict, 'test'> & {
  test: 'wilcoxon-signed-rank';
  pairs: number;
  dropped?: number;
  /** Inconclusive only: about how many more pairs would decide (a 1/√n estimate). */
  moreRounds?: number;
};

/** Verdict from interleaved pairs, in the same shape as compare()'s (`ratio` = head / base). */
export function pairedVerdict(pairs: readonly Pair[], metric: Metric, options: PairedOptions = {}): PairedVerdict {
  const o = { ...DEFAULT_PAIRED_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<Omit<PairedOptions, 'note'>> & { note?: string };
  if (!(o.threshold >= 0 && o.threshold < 1)) throw new RangeError(`pairedVerdict: threshold must be in [0, 1), got ${o.threshold}`);
  if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`pairedVerdict: alpha must be in (0, 1), got ${o.alpha}`);
  // A ratio needs positive values on both sides; anything else (a failed round) is left out.
  const usable = pairs.filter((p) => p.base > 0 && p.head > 0 && Number.isFinite(p.base) && Number.isFinite(p.head));
  const dropped = pairs.length - usable.length;
  const n = usable.length;
  const droppedNote = dropped ? `; ${dropped} pair(s) without positive values left out` : '';
  const extra = `${droppedNote}${o.note ? `; ${o.note}` : ''}`;
  const common = { test: 'wilcoxon-signed-rank' as const, method: 'samples' as const, statistic: 'median', pairs: n, n: { current: n, baseline: n }, ...(dropped ? { dropped } : {}) };
  if (n < 2) {
    return { ...common, status: 'inconclusive', ratio: null, confidence: 'low', reason: `Inconclusive: ${n} usable pair(s); A/B needs at least ${o.minPairs}${extra}` };
  }
  const d = usable.map((p) => Math.log(p.head / p.base));
  const w = wilcoxonSignedRank(d);
  const hl = hodgesLehmann(d, o.ciLevel);
  const ratio = Math.exp(hl.estimate);
  const ci: [number, number] = [Math.exp(hl.lo), Math.exp(hl.hi)];
  const sortedBase = usable.map((p) => p.base).sort((a, b) => a - b);
  const sortedHead = usable.map((p) => p.head).sort((a, b) => a - b);
  const mid = (xs: number[]): number => (xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2);
  const effect = mid(sortedHead) - mid(sortedBase);
  const asked = `${+(o.ciLevel * 100).toFixed(1)}%`;
  const levelText = hl.level > o.ciLevel + 1e-9 && n < 6 ? `${(hl.level * 100).toFixed(0)}%, too few pairs for ${asked}` : asked;
  const detail = `${pct(ratio)} paired (${levelText} CI ${pct(ci[0])}…${pct(ci[1])}, ${fmtP(w.pValue)}, Wilcoxon signed-rank, ${n} pairs)`;
  const decided = decide(metric, ratio, ci, w.pValue, n, o);
  const more = decided.more !== undefined ? { moreRounds: decided.more } : {};
  return { ...common, ...more, status: decided.status, confidence: decided.confidence, ratio, ci, ciLevel: o.ciLevel, pValue: w.pValue, effect, reason: `${decided.label}: ${detail}${decided.note}${extra}` };
}

/** Same decision structure as verdict.ts, on the paired estimate and interval. */
function decide(
  metric: Metric,
  ratio: number,
  ci: [number, number],
  p: number,
  n: number,
  o: { threshold: number; alpha: number; minPairs: number },
): { status: VerdictStatus; confidence: Confidence; label: string; note: string; more?: number } {
  const lower = lowerIsBetter(metric);
  const up = (r: number): boolean => r > 1 + o.threshold;
  const down = (r: number): boolean => r < 1 - o.threshold;
  const worse = lower ? up : down;
  const better = lower ? down : up;
  const significant = p < o.alpha;
  const thr = `±${+(o.threshold * 100).toFixed(1)}%`;
  for (const [beyond, status, label] of [[worse, 'regression', 'Regression'], [better, 'improvement', 'Improvement']] as const) {
    // The interval wholly on this side of 1 (no change excluded) and the estimate beyond the bar.
    const side = beyond === up ? ci[0] > 1 : ci[1] < 1;
    if (significant && beyond(ratio) && side) {
      return { status, confidence: p < o.alpha / 10 && beyond(ci[0]) && beyond(ci[1]) ? 'high' : 'medium', label, note: '' };
    }
  }
  if (ci[0] >= 1 - o.threshold && ci[1] <= 1 + o.threshold && n >= 2) return { status: 'unchanged', confidence: 'high', label: 'Unchanged', note: ` — CI within ${thr}` };
  if (worse(ratio) || better(ratio)) {
    const why = significant ? 'the interval still includes no change' : `not significant at α=${+o.alpha.toPrecision(3)}`;
    const more = moreRounds(ci, ratio, n, o.threshold);
    return { status: 'inconclusive', confidence: 'low', label: 'Inconclusive', note: ` — beyond ${thr} but ${why}; ${more.text}`, more: more.rounds };
  }
  if (n < o.minPairs) {
    const more = moreRounds(ci, ratio, n, o.threshold);
    return { status: 'inconclusive', confidence: 'low', label: 'Inconclusive', note: ` — CI reaches beyond ${thr} with only ${n} pairs; ${more.text}`, more: more.rounds };
  }
  return { status: 'unchanged', confidence: 'medium', label: 'Unchanged', note: ` — within ${thr}${significant ? ' (a real but small shift)' : ''}` };
}

/**
 * Rough count of further pairs for the interval to clear the threshold (or no change) around
 * the current estimate, from the 1/√n narrowing of the interval. An estimate, said as one.
 */
function moreRounds(ci: [number, number], ratio: number, n: number, threshold: number): { text: string; rounds?: number } {
  const est = Math.log(ratio);
  const half = (Math.log(ci[1]) - Math.log(ci[0])) / 2;
  // Needed half-width: the distance from the estimate to the nearer decision boundary (0 or ±thr).
  const bounds = [0, Math.log(1 + threshold), Math.log(1 - threshold)];
  const need = Math.min(...bounds.map((b) => Math.abs(est - b)).filter((x) => x > 1e-9));
  if (!(half > 0) || !(need > 0) || !Number.isFinite(need)) return { text: 'collect more rounds' };
  const more = Math.max(1, Math.ceil(n * (half / need) ** 2) - n);
  if (more > 200) return { text: 'too noisy (or too close to the threshold) to decide in a practical number of rounds' };
  return { text: `about ${more} more rounds would likely decide`, rounds: more };
}

function fmtP(p: number): string {
  if (p < 0.001) return 'p<0.001';
  return `p=${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

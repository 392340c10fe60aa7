// Verdicts: is the current measurement worse, better or the same as its baseline — and how sure?
//
// Decision rule with samples on both sides (method 'samples'):
//   regression  ⇔ Mann–Whitney two-sided p < α (default 0.01)
//                 AND the ratio of medians is beyond the practical threshold (default 5%)
//                 AND the bootstrap CI of that ratio lies wholly on the worse side of 1.
//   improvement ⇔ the mirror image.
// Why: for an A/A comparison of exchangeable samples P(p < α) ≤ α, so false regressions are
// ≤ α/2 = 0.5% whatever the sample count; the practical threshold additionally ignores real
// but tiny drifts (a noisy 2-core box shifts whole sample sets by a few percent), and the CI
// check makes the two methods agree (rank test and median ratio answer slightly different
// questions). We do not require the whole CI beyond the threshold: that would miss half of the
// changes that sit exactly at it. bench/verdicts.ts measures both error rates on real timings.
//   unchanged   ⇔ not the above and the CI lies within ±threshold (confident), or the point
//                 estimate is within ±threshold with enough samples (less confident).
//   inconclusive⇔ the point estimate is beyond the threshold without significance, or the CI
//                 reaches beyond the threshold with fewer than `minSamples` per side.
// Summaries only (method 'summary'): Welch's t on means when both sides give mean, stddev and
// n ≥ 2 (CI of the ratio of means by the delta method, approximate); otherwise the threshold
// alone on the best common central value, with low confidence, and `reason` says so.
// An optional hard limit (the old "1.5× is a failure" rule) turns any ratio beyond it into a
// regression and is reported as such.
import { lowerIsBetter, type Series, type Summary } from './model';
import { bootstrapRatioOfMedians } from './stats/bootstrap';
import { mad, mean, median, quantile, stddev, variance } from './stats/descriptive';
import { normalPpf, tPpf, tSf } from './stats/distributions';
import { centralValue } from './store/central';
import { mannWhitneyU } from './stats/mannWhitney';
import { welchRatioInterval, welchTest } from './stats/welch';

/** One accepted run behind a stored baseline (store/baselines.ts `BaselineEntry.runs`). */
export interface BaselineRunValues {
  samples?: readonly number[];
  summary: Summary;
}

/**
 * What is compared. A stored baseline also carries its accepted `runs`: their centres give the
 * run-to-run spread, so the verdict can treat the run, not the sample, as the unit.
 */
export type Measurement = Pick<Series, 'metric' | 'unit' | 'samples' | 'summary'> & { runs?: readonly BaselineRunValues[] };

/** Run-to-run spread of a benchmark's log central value, e.g. calibrated A/A noise (store/noise.ts). */
export interface RunSpread {
  /** Standard deviation of ln(central value) between runs of the same code. */
  sd: number;
  /** Degrees of freedom behind `sd` (runs − 1). */
  df: number;
}

/** The run-level half of a verdict: the current run's centre against the baseline runs' centres. */
export interface RunLevel {
  /** exp(ln centre of the current run − mean ln centre of the baseline runs). */
  ratio: number;
  ci: [number, number];
  pValue: number;
  /** Run-to-run standard deviation of ln(centre) used, and its degrees of freedom. */
  sd: number;
  df: number;
  /** Baseline runs whose centres were averaged. */
  baselineRuns: number;
  source: 'baseline runs' | 'calibrated' | 'baseline runs + calibrated';
}

export type VerdictStatus = 'regression' | 'improvement' | 'unchanged' | 'inconclusive' | 'new' | 'missing';
export type Confidence = 'high' | 'medium' | 'low';

export interface Verdict {
  status: VerdictStatus;
  /** current / baseline of the central value; null when undefined (no baseline, baseline 0). */
  ratio: number | null;
  /** Confidence interval of the ratio at `ciLevel`; absent for threshold-only decisions. */
  ci?: [number, number];
  ciLevel?: number;
  pValue?: number;
  confidence: Confidence;
  /** current − baseline of the central value, in the metric's unit. */
  effect?: number;
  /** How the data were compared; absent for 'new' / 'missing'. */
  method?: 'samples' | 'summary';
  /** Which central value the ratio is of. */
  statistic?: string;
  test?: 'mann-whitney' | 'welch' | 'threshold';
  /** Present when a hard limit was configured. */
  hardLimit?: { limit: number; exceeded: boolean };
  n?: { current: number; baseline: number };
  /**
   * Present when the run was the unit too (a stored baseline of ≥ 2 runs, or a calibrated
   * run-to-run spread): then `ci` is the hull of the within-run and run-level intervals and
   * `pValue` the larger of the two tests' (both must be significant).
   */
  runs?: RunLevel;
  /**
   * Inconclusive only: about how many more rounds of the current measurement (the baseline
   * stays as it is) would decide, estimated by `roundsToDecide`. Absent when no number of
   * current rounds can decide (the baseline's own spread dominates) or there is no spread.
   */
  moreRounds?: number;
  /** One line for humans, e.g. "+18.2% median (95% CI +12.0…+24.5%, p=0.003, Mann–Whitney)". */
  reason: string;
}

export interface VerdictOptions {
  /** Practical threshold as a fraction (default 0.05 = 5%). */
  threshold?: number;
  /** Significance level of the test (default 0.01). */
  alpha?: number;
  /** Level of the reported CI (default 0.95). */
  ciLevel?: number;
  /** Below this many samples per side a CI that reaches the threshold is 'inconclusive' (default 10). */
  minSamples?: number;
  /** Ratio in the worse direction that is always a regression, e.g. 1.5 (off by default). */
  hardLimit?: number;
  /**
   * Quantile whose ratio is judged with samples (default 0.5, the median). A low quantile (0.1)
   * estimates the code's own cost on a machine where other processes preempt us, because
   * interference only ever adds time; it is an opt-in, reported as e.g. "p10" in `reason`.
   */
  quantile?: number;
  /** Bootstrap resamples (default 2000, 1000 above 1000 samples per side) and seed. */
  resamples?: number;
  seed?: number | string;
  /**
   * Run-to-run spread measured apart from the baseline (this machine's calibrated A/A noise,
   * store/noise.ts `runSpreadOf`); pooled with the spread of the baseline's own runs.
   */
  runSpread?: RunSpread;
  /**
   * Judge the samples as if independent across runs (Mann–Whitney + bootstrap only), the rule
   * before runs became the unit. Right for sets measured side by side; for a stored baseline
   * it raises false regressions to the machine's drift rate (bench/verdicts.ts measures it).
   */
  samplesOnly?: boolean;
}

/** The per-side sample count bench/verdicts.ts measures our error rates at. */
export const DEFAULT_SAMPLE_COUNT = 30;

export const DEFAULT_VERDICT_OPTIONS = { threshold: 0.05, alpha: 0.01, ciLevel: 0.95, minSamples: 10 } as const;

/** Compare one measurement with its baseline. `baseline` undefined → 'new'. */
export function compare(current: Measurement, baseline: Measurement | undefined, options: VerdictOptions = {}): Verdict {
  if (!baseline) return { status: 'new', ratio: null, confidence: 'high', reason: 'New: no baseline yet' };
  if (current.unit !== baseline.unit || current.metric !== baseline.metric) {
    return {
      status: 'inconclusive',
      ratio: null,
      confidence: 'low',
      reason: `Not comparable: ${current.metric} in ${current.unit} vs baseline ${baseline.metric} in ${baseline.unit}`,
    };
  }
  const cur = finite(current.samples);
  const base = finite(baseline.samples);
  const verdict = cur.length >= 2 && base.length >= 2 ? compareSamples(current, baseline, cur, base, options) : compareSummaries(current, baseline, options);
  return applyHardLimit(verdict, current, options);
}

export type IdVerdict = Verdict & { id: string };

/**
 * Compare a whole run with its baselines by series id: every current id (→ 'new' when it has no
 * baseline), then every baseline id the run lacks (→ 'missing').
 */
export function compareAll(
  current: ReadonlyMap<string, Measurement> | Record<string, Measurement>,
  baselines: ReadonlyMap<string, Measurement> | Record<string, Measurement>,
  options: VerdictOptions = {},
): IdVerdict[] {
  const cur = toMap(current);
  const base = toMap(baselines);
  const out: IdVerdict[] = [];
  for (const [id, m] of cur) out.push({ id, ...compare(m, base.get(id), options) });
  for (const id of base.keys()) {
    if (!cur.has(id)) out.push({ id, status: 'missing', ratio: null, confidence: 'high', reason: 'Missing: in the baseline but not in this run' });
  }
  return out;
}

/** Series of a run keyed by id (later duplicates win, as a re-run of the same test would). */
export function seriesById(series: readonly Series[]): Map<string, Series> {
  return new Map(series.map((s) => [s.id, s]));
}

// ---------------------------------------------------------------------------------------------

interface Resolved {
  threshold: number;
  alpha: number;
  ciLevel: number;
  minSamples: number;
}

function resolve(o: VerdictOptions): Resolved {
  const r = { ...DEFAULT_VERDICT_OPTIONS, ...definedOnly(o) };
  if (!(r.threshold >= 0 && r.threshold < 1)) throw new RangeError(`verdict: threshold must be in [0, 1), got ${r.threshold}`);
  if (!(r.alpha > 0 && r.alpha < 1)) throw new RangeError(`verdict: alpha must be in (0, 1), got ${r.alpha}`);
  return r;
}

/** Direction helpers: `worse(r)` is true when ratio r is beyond the threshold in the bad direction. */
function directions(metric: Measurement['metric'], threshold: number): {
  worse: (r: number) => boolean;
  better: (r: number) => boolean;
  worseSideOfOne: (lo: number, hi: number) => boolean;
  betterSideOfOne: (lo: number, hi: number) => boolean;
} {
  const lower = lowerIsBetter(metric);
  const up = (r: number): boolean => r > 1 + threshold;
  const down = (r: number): boolean => r < 1 - threshold;
  return {
    worse: lower ? up : down,
    better: lower ? down : up,
    worseSideOfOne: lower ? (lo) => lo > 1 : (_lo, hi) => hi < 1,
    betterSideOfOne: lower ? (_lo, hi) => hi < 1 : (lo) => lo > 1,
  };
}

function compareSamples(current: Measurement, baseline: Measurement, cur: number[], base: number[], options: VerdictOptions): Verdict {
  const o = resolve(options);
  const q = options.quantile ?? 0.5;
  const statistic = q === 0.5 ? 'median' : `p${+(q * 100).toFixed(1)}`;
  const mc = quantile(cur, q);
  const mb = quantile(base, q);
  const n = { current: cur.length, baseline: base.length };
  const common = { method: 'samples' as const, statistic, test: 'mann-whitney' as const, n, effect: mc - mb };
  const mw = mannWhitneyU(cur, base);
  if (!(mb > 0)) return zeroBaseline(current, mc, mb, mw.pValue, o, common);

  const maxN = Math.max(cur.length, base.length);
  const boot = bootstrapRatioOfMedians(cur, base, {
    confidence: o.ciLevel,
    resamples: options.resamples ?? (maxN > 1000 ? 1000 : 2000),
    seed: options.seed,
    quantile: q,
  });
  const ratio = mc / mb;
  const rl = options.samplesOnly ? undefined : runLevelTest(current, baseline, o.ciLevel, { quantile: q, runSpread: options.runSpread });
  const { ci, p } = combined([boot.lo, boot.hi], mw.pValue, rl);
  const detail = `${pct(ratio)} ${statistic} (${Math.round(o.ciLevel * 100)}% CI ${pct(ci[0])}…${pct(ci[1])}, ${fmtP(p)}, Mann–Whitney${runLevelText(rl)}, n=${n.current}/${n.baseline})`;
  const decided = capUnknownSpread(decide(current.metric, ratio, ci, p, Math.min(n.current, n.baseline), o), baseline, rl, options);
  const more = decided.status === 'inconclusive' ? moreRoundsFor(decided, ratio, ci, n, relativeVariance(cur), relativeVariance(base), o, rl, p) : undefined;
  return { ...common, ratio, ci, ciLevel: o.ciLevel, pValue: p, status: decided.status, confidence: decided.confidence, ...(rl ? { runs: rl } : {}), ...(more?.rounds !== undefined ? { moreRounds: more.rounds } : {}), reason: `${decided.label}: ${detail}${more?.note ?? decided.note}` };
}

// ---- the run as the unit ---------------------------------------------------------------------
//
// Samples of one run share that run's conditions (process, code placement, CPU frequency, what
// else the machine did), so whole sample sets shift between runs by more than their within-run
// spread suggests: a rank test over samples then calls run-to-run drift significant. The
// run-level test treats each run's centre as one observation: with baseline run centres
// c₁…c_k (log scale, mean c̄, sd s on k−1 df, pooled with a calibrated spread when given) and the
// current run's centre c₀, (c₀ − c̄) / (s·√(1 + 1/k)) is t-distributed on the pooled df when the
// code did not change (a prediction interval; read as a CI of the shift it needs no more). Both
// tests must be significant: p is the larger, the CI the hull of both intervals.

/** Centre of a run on the judged statistic: its samples' quantile, else the summary's central value. */
function runCentre(r: { samples?: readonly number[]; summary: Summary }, q: number): number | undefined {
  const xs = finite(r.samples);
  if (xs.length > 0) return quantile(xs, q);
  return centralValue(r)?.value;
}

/**
 * The run-level test of `current` against a baseline's accepted runs (and/or a calibrated
 * run-to-run spread); undefined when neither gives a spread (a baseline of one run, uncalibrated).
 */
export function runLevelTest(
  current: Measurement,
  baseline: Measurement,
  ciLevel: number = DEFAULT_VERDICT_OPTIONS.ciLevel,
  opts: { quantile?: number; runSpread?: RunSpread } = {},
): RunLevel | undefined {
  const q = opts.quantile ?? 0.5;
  const c0 = runCentre(current, q);
  if (c0 === undefined || !(c0 > 0)) return undefined;
  const fromRuns = (baseline.runs ?? []).map((r) => runCentre(r, q)).filter((v): v is number => v !== undefined && v > 0).map(Math.log);
  const own = runCentre(baseline, q);
  const logs = fromRuns.length > 0 ? fromRuns : own !== undefined && own > 0 ? [Math.log(own)] : [];
  const k = logs.length;
  if (k === 0) return undefined;
  let ss = 0;
  let df = 0;
  if (k >= 2) {
    ss += variance(logs) * (k - 1);
    df += k - 1;
  }
  const ext = opts.runSpread;
  if (ext && ext.sd >= 0 && ext.df >= 1) {
    ss += ext.sd * ext.sd * ext.df;
    df += ext.df;
  }
  if (df === 0) return undefined;
  // A run's centre is never surer than its own sampling error (identical centres are luck).
  const xs = finite(current.samples);
  const floor = xs.length >= 2 ? (Math.PI / 2) * relativeVariance(xs) / xs.length : 0;
  const sd = Math.sqrt(Math.max(ss / df, floor));
  const se = sd * Math.sqrt(1 + 1 / k);
  if (!(se > 0)) return undefined;
  const d = Math.log(c0) - mean(logs);
  const h = tPpf(1 - (1 - ciLevel) / 2, df) * se;
  const source = k >= 2 && ext ? 'baseline runs + calibrated' : k >= 2 ? 'baseline runs' : 'calibrated';
  return { ratio: Math.exp(d), ci: [Math.exp(d - h), Math.exp(d + h)], pValue: Math.min(1, 2 * tSf(Math.abs(d / se), df)), sd, df, baselineRuns: k, source };
}

/** Intersection–union: both tests significant ⇔ the larger p below α; CI = hull of both. */
function combined(ci: [number, number], p: number, rl: RunLevel | undefined): { ci: [number, number]; p: number } {
  if (!rl) return { ci, p };
  return { ci: [Math.min(ci[0], rl.ci[0]), Math.max(ci[1], rl.ci[1])], p: Math.max(p, rl.pValue) };
}

/** ", runs: t on 5 baseline runs (sd 2.1%)" — how the run-level half was judged. */
function runLevelText(rl: RunLevel | undefined): string {
  if (!rl) return '';
  const on = rl.source === 'calibrated' ? `calibrated run-to-run sd ${(rl.sd * 100).toFixed(1)}%` : `${rl.baselineRuns} baseline runs${rl.source === 'baseline runs + calibrated' ? ' + calibration' : ''}, sd ${(rl.sd * 100).toFixed(1)}%`;
  return ` and run-to-run t (${on})`;
}

/**
 * A stored baseline of one run with no calibrated spread: nothing says how far a whole run moves,
 * so a decision from samples alone is at most 'medium' and the note says why.
 */
function capUnknownSpread(d: Decided, baseline: Measurement, rl: RunLevel | undefined, options: VerdictOptions): Decided {
  if (rl || options.samplesOnly || baseline.runs === undefined) return d;
  const note = `${d.note} — run-to-run spread unknown (one baseline run, no calibration): within-run test only`;
  return { ...d, confidence: d.confidence === 'high' ? 'medium' : d.confidence, note };
}

function compareSummaries(current: Measurement, baseline: Measurement, options: VerdictOptions): Verdict {
  const o = resolve(options);
  const c = withSampleSummary(current);
  const b = withSampleSummary(baseline);
  const n = c.n !== undefined && b.n !== undefined ? { current: c.n, baseline: b.n } : undefined;

  if (c.mean !== undefined && b.mean !== undefined && c.stddev !== undefined && b.stddev !== undefined && (c.n ?? 0) >= 2 && (b.n ?? 0) >= 2 && b.mean > 0 && c.mean > 0) {
    const sa = { mean: c.mean, stddev: c.stddev, n: c.n as number };
    const sb = { mean: b.mean, stddev: b.stddev, n: b.n as number };
    const w = welchTest(sa, sb);
    const ri = welchRatioInterval(sa, sb, o.ciLevel);
    const rl = options.samplesOnly ? undefined : runLevelTest(current, baseline, o.ciLevel, { runSpread: options.runSpread });
    const { ci, p } = combined([ri.lo, ri.hi], w.pValue, rl);
    const decided = capUnknownSpread(decide(current.metric, ri.ratio, ci, p, Math.min(sa.n, sb.n), o), baseline, rl, options);
    // Summaries never reach 'high': the samples' shape is unknown and Welch assumes near-normal means.
    const confidence: Confidence = decided.confidence === 'high' ? 'medium' : decided.confidence;
    const more = decided.status === 'inconclusive' ? moreRoundsFor(decided, ri.ratio, ci, { current: sa.n, baseline: sb.n }, (sa.stddev / sa.mean) ** 2, (sb.stddev / sb.mean) ** 2, o, rl) : undefined;
    return {
      ...(more?.rounds !== undefined ? { moreRounds: more.rounds } : {}),
      ...(rl ? { runs: rl } : {}),
      status: decided.status,
      ratio: ri.ratio,
      ci,
      ciLevel: o.ciLevel,
      pValue: p,
      confidence,
      effect: c.mean - b.mean,
      method: 'summary',
      statistic: 'mean',
      test: 'welch',
      n,
      reason: `${decided.label}: ${pct(ri.ratio)} mean (approx. ${Math.round(o.ciLevel * 100)}% CI ${pct(ci[0])}…${pct(ci[1])}, ${fmtP(p)}, Welch t from summaries${runLevelText(rl)})${more?.note ?? decided.note}`,
    };
  }

  const central = commonCentral(c, b);
  if (!central) {
    return { status: 'inconclusive', ratio: null, confidence: 'low', method: 'summary', n, reason: 'Inconclusive: no common statistic to compare (summaries give no shared median, mean or percentile)' };
  }
  const effect = central.current - central.baseline;
  const common = { method: 'summary' as const, statistic: central.key, test: 'threshold' as const, n, effect };
  if (!(central.baseline > 0)) return zeroBaseline(current, central.current, central.baseline, undefined, o, common);
  const ratio = central.current / central.baseline;
  const d = directions(current.metric, o.threshold);
  const status: VerdictStatus = d.worse(ratio) ? 'regression' : d.better(ratio) ? 'improvement' : 'unchanged';
  const label = status === 'regression' ? 'Regression' : status === 'improvement' ? 'Improvement' : 'Unchanged';
  return {
    ...common,
    status,
    ratio,
    confidence: 'low',
    reason: `${label}: ${pct(ratio)} ${central.key} (summary only, no spread reported: threshold ±${(o.threshold * 100).toFixed(0)}% without a significance test)`,
  };
}

interface Decided {
  status: VerdictStatus;
  confidence: Confidence;
  label: string;
  note: string;
  /** Inconclusive for too few samples: the per-side count the rule wants at least. */
  minRounds?: number;
}

function decide(
  metric: Measurement['metric'],
  ratio: number,
  ci: [number, number],
  p: number,
  minN: number,
  o: Resolved,
): Decided {
  const d = directions(metric, o.threshold);
  const significant = p < o.alpha;
  const ciBeyond = (beyond: (r: number) => boolean): boolean => beyond(ci[0]) && beyond(ci[1]);
  if (significant && d.worse(ratio) && d.worseSideOfOne(ci[0], ci[1])) {
    return { status: 'regression', confidence: p < o.alpha / 10 && ciBeyond(d.worse) ? 'high' : 'medium', label: 'Regression', note: '' };
  }
  if (significant && d.better(ratio) && d.betterSideOfOne(ci[0], ci[1])) {
    return { status: 'improvement', confidence: p < o.alpha / 10 && ciBeyond(d.better) ? 'high' : 'medium', label: 'Improvement', note: '' };
  }
  const thr = `±${(o.threshold * 100).toFixed(0)}%`;
  const ciInside = ci[0] >= 1 - o.threshold && ci[1] <= 1 + o.threshold;
  if (ciInside) return { status: 'unchanged', confidence: 'high', label: 'Unchanged', note: ` — CI within ${thr}` };
  if (d.worse(ratio) || d.better(ratio)) {
    const why = significant ? 'the interval still includes no change' : `not significant at α=${+o.alpha.toPrecision(2)}`;
    return { status: 'inconclusive', confidence: 'low', label: 'Inconclusive', note: ` — beyond ${thr} but ${why}` };
  }
  if (minN < o.minSamples) {
    return { status: 'inconclusive', confidence: 'low', label: 'Inconclusive', note: ` — CI reaches beyond ${thr} with only ${minN} samples`, minRounds: o.minSamples };
  }
  return { status: 'unchanged', confidence: 'medium', label: 'Unchanged', note: ` — within ${thr}${significant ? ' (a real but small shift)' : ''}` };
}

// ---- how many more rounds would decide ----------------------------------------------------
//
// Model: on the log scale the interval of the ratio is ln(ratio) ± z·S·√(vc/nc + vb/nb), where
// vc, vb are the two sides' relative variances per round (robust: (scaled MAD / median)²) and S
// is one common factor. S is calibrated from the interval we actually observed (the bootstrap
// or Welch CI at nc0, nb), so the estimate inherits its width; only the 1/√n scaling is assumed.
// Keep sampling adds rounds to the CURRENT side only (the baseline is what it is), so the width
// floors at the baseline's share z·S·√(vb/nb): when even nc → ∞ cannot reach the target, no
// number is given and the note says the baseline is what limits.
// The target half-width: with the point estimate beyond the threshold, the interval at the
// test's level (1 − α) must exclude 1 (|ln ratio|); within the threshold, the reported interval
// must fit inside ±threshold (ln(1 ± t) − ln ratio). An estimate, not a promise: the next
// rounds move the point estimate too.

export interface RoundsToDecideInput {
  ratio: number;
  ci: [number, number];
  ciLevel: number;
  alpha: number;
  threshold: number;
  nCurrent: number;
  nBaseline: number;
  /** Relative variance per round of each side (only their proportion matters); equal when absent. */
  varCurrent?: number;
  varBaseline?: number;
}

/** Extra current-side rounds that would make the interval decide, or undefined when none can (or > 100,000). */
export function roundsToDecide(x: RoundsToDecideInput): number | undefined {
  const { ratio, ci, nCurrent: nc0, nBaseline: nb } = x;
  if (!(ratio > 0 && ci[0] > 0 && ci[1] > ci[0] && nc0 >= 1 && nb >= 1)) return undefined;
  const vc = x.varCurrent !== undefined && x.varCurrent > 0 ? x.varCurrent : 1;
  const vb = x.varBaseline !== undefined && x.varBaseline > 0 ? x.varBaseline : 1;
  const c = Math.log(ratio);
  const h0 = (Math.log(ci[1]) - Math.log(ci[0])) / 2;
  const zCi = normalPpf(1 - (1 - x.ciLevel) / 2);
  const scale = h0 / zCi / Math.sqrt(vc / nc0 + vb / nb);
  const up = Math.log(1 + x.threshold);
  const down = Math.log(1 - x.threshold);
  const beyond = c > up || c < down;
  const z = beyond ? normalPpf(1 - x.alpha / 2) : zCi;
  const target = beyond ? Math.abs(c) : Math.min(up - c, c - down);
  if (!(target > 0)) return undefined;
  const room = (target / (z * scale)) ** 2 - vb / nb; // = vc / nc needed
  if (!(room > 0)) return undefined;
  const more = Math.max(1, Math.ceil(vc / room - nc0));
  return more > 100_000 ? undefined : more;
}

function moreRoundsFor(
  decided: Decided,
  ratio: number,
  ci: [number, number],
  n: { current: number; baseline: number },
  varCurrent: number,
  varBaseline: number,
  o: Resolved,
  rl?: RunLevel,
  /** The rank test's p, when the verdict rests on one (samples on both sides). */
  rankP?: number,
): { rounds?: number; note: string } {
  // The run-level interval sets an edge of the hull: its width is the run-to-run spread, which
  // more rounds of this run do not shrink.
  if (rl && (rl.ci[0] <= ci[0] || rl.ci[1] >= ci[1])) {
    return { note: `${decided.note}; the run-to-run spread limits the interval: more rounds of this run cannot narrow it, another run (or more accepted baseline runs) can, and an interleaved A/B run (\`perf-lens ab\`, the lens's A/B) takes machine drift out` };
  }
  const fromCi = roundsToDecide({ ratio, ci, ciLevel: o.ciLevel, alpha: o.alpha, threshold: o.threshold, nCurrent: n.current, nBaseline: n.baseline, varCurrent, varBaseline });
  // The interval alone can promise too much: when the two sides overlap in shape (a bimodal
  // baseline whose median sits in the other mode), a −29% median can come with p=0.81. The test
  // must reach α too; its z grows as 1/√(1/nc + 1/nb) (normal approximation: from 8 a side).
  const fromP = rankP !== undefined && rankP >= o.alpha && Math.min(n.current, n.baseline) >= 8 ? roundsForP(rankP, o.alpha, n.current, n.baseline) : 0;
  const est = fromCi === undefined || fromP === undefined ? undefined : Math.max(fromCi, fromP);
  const floor = decided.minRounds !== undefined ? Math.max(0, decided.minRounds - n.current) : 0;
  if (est === undefined) {
    const atLeast = decided.minRounds !== undefined ? ` (and the rule wants ${decided.minRounds} per side)` : '';
    const limit = fromCi === undefined
      ? `the baseline's ${n.baseline} rounds limit the interval`
      : `at ${fmtP(rankP!)} the two sides overlap too much for the baseline's ${n.baseline} rounds (often a distribution with two modes); another accepted baseline run or an interleaved A/B run (\`perf-lens ab\`) can`;
    return { note: `${decided.note}; more rounds of this run alone are unlikely to decide: ${limit}${atLeast}` };
  }
  // The interval's estimate ignores that a rank test on few samples has a smallest possible p:
  // 3 against 3 never goes below 0.10, so "1 more round" would be a promise it cannot keep.
  const rank = rankP !== undefined ? rankTestRounds(n.baseline, o.alpha) : undefined;
  const rankMore = rank === undefined ? 0 : Math.max(0, rank - n.current);
  const rounds = Math.max(est, floor, rankMore);
  const why = rankMore > Math.max(est, floor) && rank !== undefined
    ? ` (with ${n.baseline} baseline rounds, Mann–Whitney needs ${rank} current ones to reach p<${+o.alpha.toPrecision(2)}: its smallest p at n=${n.current}/${n.baseline} is ${fmtNum(minRankP(n.current, n.baseline))})`
    : '';
  return { rounds, note: `${decided.note}; about ${rounds} more round${rounds === 1 ? '' : 's'} would decide${why}` };
}

/** Extra current rounds for a two-sided test at p to reach alpha, the baseline fixed; undefined when none can (or > 100,000). */
function roundsForP(p: number, alpha: number, nc: number, nb: number): number | undefined {
  const zNow = normalPpf(1 - Math.min(p, 1 - 1e-12) / 2);
  const zNeed = normalPpf(1 - alpha / 2);
  if (!(zNow > 0)) return undefined;
  const inv = (zNow / zNeed) ** 2 * (1 / nc + 1 / nb) - 1 / nb; // 1/nc needed
  if (!(inv > 0)) return undefined;
  const more = Math.max(1, Math.ceil(1 / inv - nc));
  return more > 100_000 ? undefined : more;
}

/** The smallest two-sided exact Mann–Whitney p of m against n samples without ties: 2 / C(m+n, n). */
export function minRankP(m: number, n: number): number {
  let c = 1; // C(m+n, n), built up as a product (floats: only its size matters)
  for (let i = 1; i <= n; i++) c = (c * (m + i)) / i;
  return Math.min(1, 2 / c);
}

/** Fewest current samples that can reach p < alpha against `n` baseline samples; undefined past 100,000. */
function rankTestRounds(n: number, alpha: number): number | undefined {
  if (!(n >= 1 && alpha > 0)) return undefined;
  for (let m = 1; m <= 100_000; m = m < 64 ? m + 1 : Math.ceil(m * 1.1)) if (minRankP(m, n) < alpha) return m;
  return undefined;
}

/** Per-round relative variance: (scaled MAD / median)², else (stddev / mean)²; 0 when unknown. */
function relativeVariance(xs: readonly number[]): number {
  const m = median(xs);
  const robust = m > 0 ? (mad(xs, true) / m) ** 2 : 0;
  if (robust > 0) return robust;
  const mu = mean(xs);
  return mu > 0 && xs.length >= 2 ? (stddev(xs) / mu) ** 2 : 0;
}

/** Ratios are undefined when the baseline's central value is 0 (e.g. an error rate of 0). */
function zeroBaseline(
  current: Measurement,
  cur: number,
  base: number,
  p: number | undefined,
  o: Resolved,
  common: Pick<Verdict, 'method' | 'statistic' | 'test' | 'n' | 'effect'>,
): Verdict {
  const diff = cur - base;
  if (diff === 0) return { ...common, status: 'unchanged', ratio: cur === 0 ? 1 : null, pValue: p, confidence: 'medium', reason: `Unchanged: ${common.statistic} ${cur} on both sides` };
  const worse = lowerIsBetter(current.metric) ? diff > 0 : diff < 0;
  const significant = p === undefined || p < o.alpha;
  const status: VerdictStatus = !significant ? 'inconclusive' : worse ? 'regression' : 'improvement';
  const label = status[0].toUpperCase() + status.slice(1);
  return {
    ...common,
    status,
    ratio: null,
    pValue: p,
    confidence: p === undefined ? 'low' : status === 'inconclusive' ? 'low' : 'medium',
    reason: `${label}: ${common.statistic} ${fmtNum(base)} → ${fmtNum(cur)} ${current.unit} (baseline ${base}, ratio undefined${p !== undefined ? `, ${fmtP(p)}, Mann–Whitney` : ', no significance test'})`,
  };
}

function applyHardLimit(v: Verdict, current: Measurement, options: VerdictOptions): Verdict {
  const limit = options.hardLimit;
  if (limit === undefined) return v;
  if (!(limit > 1)) throw new RangeError(`verdict: hardLimit must be > 1 (a ratio such as 1.5), got ${limit}`);
  const r = v.ratio;
  const exceeded = r !== null && (lowerIsBetter(current.metric) ? r >= limit : r <= 1 / limit);
  if (!exceeded) return { ...v, hardLimit: { limit, exceeded: false } };
  return {
    ...v,
    status: 'regression',
    confidence: v.status === 'regression' ? v.confidence : 'medium',
    hardLimit: { limit, exceeded: true },
    reason: `Hard limit ${limit}× exceeded: ${v.reason.replace(/^[A-Z][a-z]+: /, '')}`,
  };
}

/** Summary filled in from samples where the tool left fields out. */
function withSampleSummary(m: Measurement): Summary {
  const s = finite(m.samples);
  const base: Summary = { ...m.summary };
  if (s.length >= 1) {
    base.n ??= s.length;
    base.mean ??= mean(s);
    base.median ??= median(s);
    if (s.length >= 2) base.stddev ??= stddev(s);
  }
  return base;
}

/** The best statistic both summaries report: median (or p50), then mean, then a shared percentile. */
function commonCentral(c: Summary, b: Summary): { key: string; current: number; baseline: number } | undefined {
  const med = (s: Summary): number | undefined => s.median ?? s.percentiles?.p50;
  const cm = med(c);
  const bm = med(b);
  if (cm !== undefined && bm !== undefined) return { key: 'median', current: cm, baseline: bm };
  if (c.mean !== undefined && b.mean !== undefined) return { key: 'mean', current: c.mean, baseline: b.mean };
  for (const key of Object.keys(c.percentiles ?? {})) {
    const bv = b.percentiles?.[key];
    const cv = c.percentiles?.[key];
    if (bv !== undefined && cv !== undefined) return { key, current: cv, baseline: bv };
  }
  return undefined;
}

function finite(xs: readonly number[] | undefined): number[] {
  return (xs ?? []).filter((v) => Number.isFinite(v));
}

function toMap(m: ReadonlyMap<string, Measurement> | Record<string, Measurement>): ReadonlyMap<string, Measurement> {
  return m instanceof Map ? m : new Map(Object.entries(m as Record<string, Measurement>));
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Signed percentage change of a ratio: 1.182 → "+18.2%". */
export function pct(ratio: number): string {
  const v = (ratio - 1) * 100;
  const s = Math.abs(v) < 0.05 ? '0.0' : v.toFixed(1);
  return `${v > 0 && s !== '0.0' ? '+' : ''}${s}%`;
}

function fmtP(p: number): string {
  if (p < 0.001) return 'p<0.001';
  return `p=${p < 0.01 ? p.toFixed(3) : p.toFixed(2)}`;
}

function fmtNum(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(3);
}

// ---- how sure, in words: shared by lenses, hovers, Problems, the panel and the CLI ----------

/** 1.182 → "+18%", 1.052 → "+5.2%", 0.88 → "−12%": short signed change for one-line surfaces. */
export function shortPct(ratio: number): string {
  const v = (ratio - 1) * 100;
  const a = Math.abs(v);
  const text = a >= 10 ? a.toFixed(0) : a.toFixed(1);
  if (text === '0.0') return '0.0%';
  return `${v > 0 ? '+' : '−'}${text}%`;
}

/** "p<0.01", "p=0.04": the p-value as compactly as it matters against α = 0.01. */
export function shortP(p: number): string {
  if (p < 0.001) return 'p<0.001';
  if (p < 0.01) return 'p<0.01';
  return `p=${p >= 0.995 ? '1.0' : p.toFixed(2)}`;
}

/** "95% CI +28…+41%" (approx. when it comes from summaries); empty without an interval. */
export function ciText(v: Pick<Verdict, 'ci' | 'ciLevel' | 'method'>): string {
  if (!v.ci) return '';
  const level = `${Math.round((v.ciLevel ?? 0.95) * 100)}% CI`;
  return `${v.method === 'summary' ? 'approx. ' : ''}${level} ${shortPct(v.ci[0]).replace('%', '')}…${shortPct(v.ci[1])}`;
}

/** "inconclusive — 6 more rounds would decide" or just "inconclusive". */
export function inconclusiveText(v: Pick<Verdict, 'moreRounds'>): string {
  return v.moreRounds !== undefined ? `inconclusive — ${v.moreRounds} more round${v.moreRounds === 1 ? '' : 's'} would decide` : 'inconclusive';
}

/**
 * The comparison on one short line, with its interval and test:
 * "+35% regression (95% CI +28…+41%, p<0.01)", "+8.0% inconclusive — 6 more rounds would decide (95% CI −2.0…+19%, p=0.04)",
 * "+1.0% unchanged (threshold only, from summaries)".
 */
export function verdictCompact(v: Verdict): string {
  if (v.status === 'new') return 'new · no baseline';
  if (v.status === 'missing') return 'missing from this run';
  const status = v.status === 'inconclusive' ? inconclusiveText(v) : v.status;
  if (v.ratio === null) return v.test === undefined ? status : `${status} (ratio undefined${v.pValue !== undefined ? `, ${shortP(v.pValue)}` : ''})`;
  const parts: string[] = [];
  if (v.ci) parts.push(ciText(v));
  if (v.pValue !== undefined) parts.push(shortP(v.pValue));
  if (v.test === 'threshold') parts.push('threshold only');
  if (v.method === 'summary') parts.push('from summaries');
  if (v.hardLimit?.exceeded) parts.push(`over the ${v.hardLimit.limit}× limit`);
  return `${shortPct(v.ratio)} ${status}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** The test behind a verdict, for hovers and reports: "Mann–Whitney on 30/30 rounds, bootstrap CI of the median ratio". */
export function verdictMethod(v: Verdict): string {
  const n = v.n ? `${v.n.current}/${v.n.baseline}` : undefined;
  // As a string: other comparisons (A/B pairs) share the Verdict shape with tests of their own.
  switch (v.test as string | undefined) {
    case 'wilcoxon-signed-rank':
      return `Wilcoxon signed-rank on ${v.n?.current ?? '?'} interleaved pairs (same machine), Hodges–Lehmann ${Math.round((v.ciLevel ?? 0.95) * 100)}% CI`;
    case 'mann-whitney':
      return v.ratio === null
        ? `Mann–Whitney on ${n} rounds (baseline ${v.statistic ?? 'value'} is 0: no ratio)`
        : `Mann–Whitney on ${n} rounds, ${v.statistic ?? 'median'} ratio with a bootstrap ${Math.round((v.ciLevel ?? 0.95) * 100)}% CI${runsMethod(v.runs)}`;
    case 'welch':
      return `Welch t from summaries${n ? ` (n=${n})` : ''}${runsMethod(v.runs)} — approximate: per-round samples were not reported`;
    case 'threshold':
      return `threshold only — the tool reports no spread, so no test or interval (${v.statistic ?? 'value'} from summaries)`;
    default:
      return v.method === 'summary' ? 'summaries only — nothing comparable' : '';
  }
}

/** "; both must hold: a t-test of this run's centre against 5 baseline runs (run-to-run sd 2.1%), CI widened to match". */
function runsMethod(rl: RunLevel | undefined): string {
  if (!rl) return '';
  const against = rl.source === 'calibrated' ? 'the calibrated run-to-run spread' : `${rl.baselineRuns} baseline runs${rl.source === 'baseline runs + calibrated' ? ' and the calibration' : ''}`;
  return `; and a t-test of this run's centre against ${against} (run-to-run sd ${(rl.sd * 100).toFixed(1)}%, ${+rl.df.toFixed(0)} df): both must be significant, the CI covers both`;
}

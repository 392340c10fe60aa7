// Keep sampling: an inconclusive comparison is re-measured (runOnce) and re-judged against the
// same baseline on the pooled samples, look after look, until the verdict is decided or a bound
// on looks or time is reached. Pure: the caller injects how one more run is made (a VS Code task,
// a CLI child process, a simulation in the tests).
//
// Look k is judged by the ordinary verdict rule (src/core/verdict.ts) at the sequential levels of
// src/core/stats/sequential.ts: the significance test at α_k (so false regressions plus false
// improvements stay ≤ α over all looks), and the interval at 1 − 2·β_k, where β spends the 2.5%
// per tail of a single 95% interval — with one look this is exactly the fixed-sample rule.
// "Decided" means the interval clears the practical threshold either way: a regression or an
// improvement, or unchanged with the whole interval within ±threshold.
import { compare, DEFAULT_VERDICT_OPTIONS, type Measurement, type Verdict } from '../verdict';
import { lookAlpha, SPENDING_LABEL, type Spending } from '../stats/sequential';

export interface KeepSamplingOptions {
  /** What we compare with; it does not change while sampling. */
  baseline: Measurement;
  /** The measurement so far (its samples are look 1). */
  initial: Measurement;
  /** One more run of the benchmark: its new per-round samples (empty when it produced none). */
  runOnce: () => Promise<number[]>;
  /** Planned maximum number of looks K, the initial data included (default 5). */
  maxLooks?: number;
  /** Start no new run after this long (ms). */
  maxTimeMs?: number;
  /** Total false regression + improvement rate over all looks (default 0.01, as a single verdict). */
  alpha?: number;
  /** Practical threshold (default 0.05). */
  threshold?: number;
  spending?: Spending;
  quantile?: number;
  resamples?: number;
  seed?: number | string;
  signal?: AbortSignal;
  /** Called after each look (progress UI). */
  onLook?: (look: Look) => void;
  now?: () => number;
}

export interface Look {
  look: number;
  maxLooks: number;
  /** Current-side samples pooled so far. */
  n: number;
  alpha: number;
  ciLevel: number;
  verdict: Verdict;
  decided: boolean;
}

export type StopReason = 'decided' | 'max-looks' | 'time' | 'cancelled' | 'no-samples';

export interface KeepSamplingResult {
  verdict: Verdict;
  looks: Look[];
  decided: boolean;
  stopped: StopReason;
  /** Every current-side sample pooled, the initial ones first. */
  samples: number[];
  /** The levels the looks used (stored with a persisted verdict so it can be recomputed). */
  design: LookDesign;
}

/** The interval clears the threshold either way. */
export function isDecided(v: Verdict, threshold: number): boolean {
  if (v.status === 'regression' || v.status === 'improvement') return true;
  return v.status === 'unchanged' && !!v.ci && v.ci[0] >= 1 - threshold && v.ci[1] <= 1 + threshold;
}

export const DEFAULT_MAX_LOOKS = 5;
/** Per-tail error of the single 95% interval the fixed rule uses; spent over the looks like α. */
const CI_TAIL = (1 - DEFAULT_VERDICT_OPTIONS.ciLevel) / 2;

/** What fixes the levels of every look: they must be the same when a stored verdict is recomputed. */
export interface LookDesign {
  maxLooks: number;
  alpha: number;
  threshold: number;
  spending: Spending;
  quantile?: number;
  resamples?: number;
  seed?: number | string;
}

/** Look `look` of the design on the pooled `samples` (the initial measurement's, then the new runs'). */
export function judgeLook(initial: Measurement, samples: readonly number[], baseline: Measurement, look: number, d: LookDesign): Look {
  const a = lookAlpha({ alpha: d.alpha, maxLooks: d.maxLooks, spending: d.spending }, look);
  const tail = lookAlpha({ alpha: 2 * CI_TAIL, maxLooks: d.maxLooks, spending: d.spending }, look) / 2;
  const ciLevel = 1 - 2 * tail;
  const v = compare({ ...initial, samples: [...samples] }, baseline, { alpha: a, ciLevel, threshold: d.threshold, quantile: d.quantile, resamples: d.resamples, seed: d.seed });
  const note = `look ${look} of ${d.maxLooks}, α=${a.toPrecision(2)} at this look (${SPENDING_LABEL[d.spending]} of ${d.alpha} over ${d.maxLooks} looks)`;
  return { look, maxLooks: d.maxLooks, n: samples.length, alpha: a, ciLevel, verdict: { ...v, reason: `${v.reason} [${note}]` }, decided: isDecided(v, d.threshold) };
}

export async function keepSampling(o: KeepSamplingOptions): Promise<KeepSamplingResult> {
  const K = o.maxLooks ?? DEFAULT_MAX_LOOKS;
  const alpha = o.alpha ?? DEFAULT_VERDICT_OPTIONS.alpha;
  const threshold = o.threshold ?? DEFAULT_VERDICT_OPTIONS.threshold;
  const spending = o.spending ?? 'obrien-fleming';
  const now = o.now ?? Date.now;
  const started = now();
  const samples = (o.initial.samples ?? []).filter(Number.isFinite);
  const looks: Look[] = [];
  let emptyRuns = 0;

  const optional = { quantile: o.quantile, resamples: o.resamples, seed: o.seed };
  const design: LookDesign = { maxLooks: K, alpha, threshold, spending, ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) };
  const judge = (look: number): Look => {
    const l = judgeLook(o.initial, samples, o.baseline, look, design);
    looks.push(l);
    o.onLook?.(l);
    return l;
  };
  const done = (stopped: StopReason): KeepSamplingResult => {
    const last = looks[looks.length - 1];
    const verdict = last?.verdict ?? compare(o.initial, o.baseline, { threshold, quantile: o.quantile, resamples: o.resamples, seed: o.seed });
    return { verdict, looks, decided: !!last?.decided, stopped: last?.decided ? 'decided' : stopped, samples, design };
  };

  // Look 1 is the data we already have (when there are enough to judge).
  if (samples.length >= 2 && judge(1).decided) return done('decided');
  for (let look = looks.length ? 2 : 1; look <= K; look++) {
    if (o.signal?.aborted) return done('cancelled');
    if (o.maxTimeMs !== undefined && now() - started >= o.maxTimeMs) return done('time');
    const fresh = (await o.runOnce()).filter(Number.isFinite);
    if (o.signal?.aborted) return done('cancelled');
    if (!fresh.length) {
      // A failed run spends no α (nothing is judged); twice in a row means it will not get better.
      if (++emptyRuns >= 2) return done('no-samples');
      continue;
    }
    emptyRuns = 0;
    samples.push(...fresh);
    if (samples.length >= 2 && judge(look).decided) return done('decided');
  }
  return done('max-looks');
}

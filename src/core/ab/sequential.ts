// When may an A/B run stop early? Only at planned looks, each judged at α/K with a CI at level
// 1 − (1 − level)/K (Bonferroni over K looks). Whatever happens at the looks, the chance of any
// false regression over the whole run stays ≤ α and the interval we stop on covers with ≥ the
// level claimed: peeking after every pair at the full α would inflate the false-alarm rate
// several-fold. Bonferroni is conservative (a group-sequential boundary such as Pocock's would
// spend α a little better) but needs no tables and holds for any look schedule; with four looks
// it costs little power against the rounds it saves. bench/ab-verdicts.ts measures it beside the fixed-N rule.
import type { PairedOptions, PairedVerdict } from '../stats/paired';

export interface LookPlan {
  /** Pair counts after which the verdicts are judged; the last is the full run. */
  at: number[];
  /** Options for every look (α and CI level already divided). */
  options: PairedOptions;
}

/**
 * Smallest pair count at which the exact signed-rank test can reach p < 0.005 (2/2⁹ ≈ 0.0039);
 * an earlier look could never stop for a regression, so it would only spend α.
 */
export const MIN_LOOK_PAIRS = 9;

/**
 * Largest gap between looks. Long runs look every LOOK_EVERY pairs (60 → 15, 30, 45, 60): clear
 * cases stop at the first look, and only the noisy ones pay for the extra rounds.
 */
export const LOOK_EVERY = 15;

/**
 * Looks at every `every` pairs (default: half the run, at most LOOK_EVERY) and at the end, each
 * at α/K with a CI at 1 − (1 − level)/K. A run shorter than 2 × MIN_LOOK_PAIRS has one look.
 */
export function lookPlan(rounds: number, base: PairedOptions = {}, earlyStop = true, every?: number): LookPlan {
  const alpha = base.alpha ?? 0.01;
  const ciLevel = base.ciLevel ?? 0.95;
  const half = Math.ceil(rounds / 2);
  const step = Math.max(MIN_LOOK_PAIRS, every ?? Math.min(LOOK_EVERY, half));
  const at: number[] = [];
  if (earlyStop && half >= MIN_LOOK_PAIRS) for (let n = step; rounds - n >= step / 2; n += step) at.push(n); // no look just before the last
  at.push(rounds);
  const k = at.length;
  const note = k > 1 ? `α=${+(alpha / k).toPrecision(3)} per look, ${k} looks (Bonferroni)` : undefined;
  return { at, options: { ...base, alpha: alpha / k, ciLevel: 1 - (1 - ciLevel) / k, note } };
}

/** A verdict that lets the run stop: a change, or no change with the interval inside the threshold. */
export function decided(v: Pick<PairedVerdict, 'status' | 'confidence'>): boolean {
  return v.status === 'regression' || v.status === 'improvement' || (v.status === 'unchanged' && v.confidence === 'high');
}

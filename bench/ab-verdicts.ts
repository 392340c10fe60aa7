// A/B against the merge base vs a stored baseline vs a plain 5% rule — false alarms and caught
// slowdowns on THIS machine, in one run, on the same measurements.
//
// Run:  cd /work/main && npx tsc -p . && flock /tmp/perf-lens-bench.lock node out/bench/ab-verdicts.js [--trials 250]
//         [--samples 20] [--max-minutes 18]
//
// Workload (as bench/verdicts.ts): JSON.stringify of a fixed ~2 KB object plus an optional
// calibrated busy loop, timed with process.hrtime.bigint. One "round" stands for one invocation of
// a benchmark tool: --samples samples of ROUNDS calls each, reduced to their median (the central
// value a tool reports per run; its p10, min and median are all kept). Per trial, up to the
// longest plan's rounds of base (code A) and of head (A, or A plus the extra loop calibrated to
// +3/5/10%) run interleaved A B B A A B …, as `perf-lens ab` does. Trial kinds are interleaved so
// slow phases of the machine hit all of them alike. Judged on the same rounds:
//   (a) A/B        pairedVerdict() (Wilcoxon signed-rank + Hodges–Lehmann) with the product's
//                  default plan (DEFAULT_AB_ROUNDS, lookPlan: Bonferroni looks, early stop) — the
//                  headline — and, below it, other plans and per-round statistics (the levers).
//                  A plan that stops at pair n only ever sees the first n pairs.
//   (b) stored     compare() (verdict.ts, whatever its current default is) of this trial's first
//                  PEER_PAIRS head rounds against base rounds measured LAG trials earlier.
//   (c) plain 5%   median(head rounds) > 1.05 × median(stored base rounds), the common CI rule;
//                  also shown on the pairs (median of head/base ratios > 1.05).
// Limits, said plainly: rounds here are in one process (no per-process JIT/layout variance; the
// A/A check of `perf-lens ab` on a real suite covers that), and the machine is shared, so the
// noise is whatever the other processes made it during the run. Rates carry Wilson 95% intervals.
import * as os from 'os';
import { DEFAULT_AB_ROUNDS } from '../src/core/ab/runner';
import { decided, lookPlan, type LookPlan } from '../src/core/ab/sequential';
import type { RoundStatistic } from '../src/core/ab/types';
import { median, quantile } from '../src/core/stats/descriptive';
import { pairedVerdict, type Pair } from '../src/core/stats/paired';
import { compare, type Measurement } from '../src/core/verdict';
import { sinkBit, timeRounds } from './microWorkload';

const args = process.argv.slice(2);
const argNum = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TRIALS = argNum('trials', 250);
const SAMPLES = argNum('samples', 20);
const ROUNDS = argNum('rounds', 20);
const LAG = argNum('lag', 8);
const MAX_MS = argNum('max-minutes', 18) * 60_000;
/** Head rounds the stored-baseline and plain-rule peers judge (and stored base rounds). */
const PEER_PAIRS = 30;
const SLOWDOWNS = [0.03, 0.05, 0.1];
const STAT_Q: Record<RoundStatistic, number> = { p10: 0.1, min: 0, median: 0.5 };

interface Variant {
  label: string;
  stat: RoundStatistic;
  plan: LookPlan;
}
const DEFAULT_VARIANT: Variant = { label: `product default: ${DEFAULT_AB_ROUNDS} pairs, looks ${lookPlan(DEFAULT_AB_ROUNDS).at.join('·')}, p10`, stat: 'p10', plan: lookPlan(DEFAULT_AB_ROUNDS) };
const VARIANTS: Variant[] = [
  DEFAULT_VARIANT,
  { label: '30 pairs, looks 15·30, p10 (default before)', stat: 'p10', plan: lookPlan(30) },
  { label: '30 pairs fixed, p10', stat: 'p10', plan: lookPlan(30, {}, false) },
  { label: '45 pairs, looks 15·30·45, p10', stat: 'p10', plan: lookPlan(45) },
  { label: '60 pairs fixed, p10', stat: 'p10', plan: lookPlan(60, {}, false) },
  { label: '60 pairs, looks every 10, p10', stat: 'p10', plan: lookPlan(60, {}, true, 10) },
  { label: '60 pairs, looks every 15, min', stat: 'min', plan: lookPlan(60) },
  { label: '60 pairs, looks every 15, median', stat: 'median', plan: lookPlan(60) },
  { label: '60 pairs, looks every 15, p10, threshold 1%', stat: 'p10', plan: lookPlan(60, { threshold: 0.01 }) },
];
const MAX_PAIRS = Math.max(PEER_PAIRS, ...VARIANTS.map((v) => v.plan.at[v.plan.at.length - 1]));

/** Seconds for ROUNDS calls of the workload plus `extra` loop iterations per call. */
const sample = (extra: number): number => timeRounds(ROUNDS, extra);

type Round = Record<RoundStatistic, number>;

/** One round: SAMPLES samples reduced to each per-round statistic, as a tool's per-run value. */
function round(extra: number): Round {
  const xs = Array.from({ length: SAMPLES }, () => sample(extra));
  return { p10: quantile(xs, STAT_Q.p10), min: quantile(xs, STAT_Q.min), median: quantile(xs, STAT_Q.median) };
}

function calibrate(): { perCall: number; perIter: number } {
  for (let i = 0; i < 600; i++) sample(0);
  for (let i = 0; i < 200; i++) sample(2000);
  const probeIters = 5000;
  const base: number[] = [];
  const probe: number[] = [];
  for (let i = 0; i < 600; i++) {
    base.push(sample(0));
    probe.push(sample(probeIters));
  }
  const b = quantile(base, 0.1);
  return { perCall: b / ROUNDS, perIter: (quantile(probe, 0.1) - b) / ROUNDS / probeIters };
}

/** MAX_PAIRS rounds per side in A B B A order; pair i is the i-th base and the i-th head round. */
function abTrial(extra: number): { base: Round; head: Round }[] {
  const base: Round[] = [];
  const head: Round[] = [];
  for (let i = 0; i < 2 * MAX_PAIRS; i++) {
    if ([true, false, false, true][i % 4]) base.push(round(0));
    else head.push(round(extra));
  }
  return base.map((b, i) => ({ base: b, head: head[i] }));
}

/** What a plan decides on a trial: the verdict at the first decided look (or the last). */
function runPlan(rounds: { base: Round; head: Round }[], v: Variant): { regression: boolean; inconclusive: boolean; pairs: number } {
  const pairs: Pair[] = rounds.map((r) => ({ base: r.base[v.stat], head: r.head[v.stat] }));
  for (const at of v.plan.at) {
    const verdict = pairedVerdict(pairs.slice(0, at), 'duration', v.plan.options);
    if (decided(verdict) || at === v.plan.at[v.plan.at.length - 1]) return { regression: verdict.status === 'regression', inconclusive: verdict.status === 'inconclusive', pairs: at };
  }
  throw new Error('unreachable: a plan has at least one look');
}

const m = (samples: number[]): Measurement => ({ metric: 'duration', unit: 's', samples, summary: {} });

interface Tally {
  trials: number;
  ab: number[];
  abInconclusive: number[];
  abPairs: number[][];
  stored: number;
  plainStored: number;
  plainPairs: number;
  ratios: number[];
}

function wilson(k: number, n: number): string {
  if (n === 0) return '—';
  const z = 1.959964;
  const p = k / n;
  const den = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / den;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / den;
  const f = (x: number): string => (x * 100).toFixed(1);
  return `${f(p)}% [${f(Math.max(0, centre - half))}–${f(Math.min(1, centre + half))}]`;
}

const load = (): string => os.loadavg().map((l) => l.toFixed(1)).join(' ');

function main(): void {
  const started = Date.now();
  const loadAtStart = load();
  const cal = calibrate();
  const kinds = [0, ...SLOWDOWNS];
  const extraFor = new Map(kinds.map((k) => [k, k === 0 ? 0 : Math.round((k * cal.perCall) / cal.perIter)]));
  const tallies = new Map<number, Tally>(
    kinds.map((k) => [k, { trials: 0, ab: VARIANTS.map(() => 0), abInconclusive: VARIANTS.map(() => 0), abPairs: VARIANTS.map(() => []), stored: 0, plainStored: 0, plainPairs: 0, ratios: [] }]),
  );
  // Base rounds of earlier trials: the "stored baseline" of a later one. Warm the ring up first.
  const ring: number[][] = [];
  for (let i = 0; i < LAG; i++) ring.push(abTrial(0).slice(0, PEER_PAIRS).map((p) => p.base.p10));

  let done = 0;
  outer: for (let t = 0; t < TRIALS; t++) {
    for (const kind of kinds) {
      if (Date.now() - started > MAX_MS) break outer;
      const rounds = abTrial(extraFor.get(kind) as number);
      const peer = rounds.slice(0, PEER_PAIRS).map((r) => ({ base: r.base.p10, head: r.head.p10 }));
      const heads = peer.map((p) => p.head);
      const stored = ring[ring.length - LAG];
      ring.push(peer.map((p) => p.base));
      if (ring.length > LAG + 1) ring.shift();
      const ty = tallies.get(kind) as Tally;
      ty.trials++;
      VARIANTS.forEach((v, i) => {
        const r = runPlan(rounds, v);
        if (r.regression) ty.ab[i]++;
        if (r.inconclusive) ty.abInconclusive[i]++;
        ty.abPairs[i].push(r.pairs);
      });
      if (compare(m(heads), m(stored), { seed: t }).status === 'regression') ty.stored++;
      if (median(heads) > 1.05 * median(stored)) ty.plainStored++;
      const ratios = peer.map((p) => p.head / p.base);
      if (median(ratios) > 1.05) ty.plainPairs++;
      ty.ratios.push(Math.exp(median(ratios.map(Math.log))));
    }
    done = t + 1;
  }

  const signed = (r: number): string => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const secPerPair = (2 * SAMPLES * ROUNDS * cal.perCall).toFixed(4);
  console.log(`Perf Lens A/B verdict bench — node ${process.version}, ${os.cpus().length} cores, load average ${loadAtStart} at the start, ${load()} at the end`);
  console.log(`${done} trials per kind; a round = ${SAMPLES} samples × ${ROUNDS} calls (p10, min and median kept; ≈ ${secPerPair} s per pair of rounds when quiet); A B B A order; stored baseline = first ${PEER_PAIRS} base rounds ${LAG} trials earlier`);
  console.log(`one call ≈ ${(cal.perCall * 1e6).toFixed(1)} µs (p10); extra loop ≈ ${(cal.perIter * 1e9).toFixed(2)} ns/iteration`);
  console.log('rates are "regression" verdicts with Wilson 95% intervals; for A/A every one is a false alarm\n');
  const w = [18, 22, 22, 11, 22, 22, 22];
  const row = (cells: string[], widths = w): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' ');
  console.log(`(a) = ${DEFAULT_VARIANT.label}; peers judge the first ${PEER_PAIRS} rounds of each side`);
  console.log(row(['kind', 'achieved Δ (5…95%)', '(a) A/B', 'mean pairs', '(b) stored baseline', '(c) plain 5% stored', 'plain 5% on pairs']));
  for (const kind of kinds) {
    const ty = tallies.get(kind) as Tally;
    console.log(
      row([
        kind === 0 ? 'A/A (false alarm)' : `+${kind * 100}% (caught)`,
        `${signed(median(ty.ratios))} (${signed(quantile(ty.ratios, 0.05))}…${signed(quantile(ty.ratios, 0.95))})`,
        wilson(ty.ab[0], ty.trials),
        mean(ty.abPairs[0]).toFixed(1),
        wilson(ty.stored, ty.trials),
        wilson(ty.plainStored, ty.trials),
        wilson(ty.plainPairs, ty.trials),
      ]),
    );
  }

  console.log('\nA/B plans and per-round statistics on the same rounds (regression rate; pairs used: mean / p95 over all kinds)');
  const vw = [50, 22, 22, 22, 22, 14];
  console.log(row(['plan', 'A/A false', '+3% caught', '+5% caught', '+10% caught', 'pairs mean/p95'], vw));
  VARIANTS.forEach((v, i) => {
    const all = kinds.flatMap((k) => (tallies.get(k) as Tally).abPairs[i]);
    console.log(row([v.label, ...kinds.map((k) => wilson((tallies.get(k) as Tally).ab[i], (tallies.get(k) as Tally).trials)), `${mean(all).toFixed(1)} / ${Math.round(quantile(all, 0.95))}`], vw));
  });

  const aa = tallies.get(0) as Tally;
  const five = tallies.get(0.05) as Tally;
  console.log(
    `\ntargets (A/B, product default): A/A false regressions ≤ 1% → ${wilson(aa.ab[0], aa.trials)}; +5% caught ≥ 95% → ${wilson(five.ab[0], five.trials)}` +
      ` (inconclusive at +5%: ${wilson(five.abInconclusive[0], five.trials)})`,
  );
  console.log(`runtime ${((Date.now() - started) / 1000).toFixed(1)} s (sink ${sinkBit()})`);
}

main();

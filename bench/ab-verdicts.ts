// A/B against the merge base vs a stored baseline vs a plain 5% rule — false alarms and caught
// slowdowns on THIS machine, in one run, on the same measurements.
//
// Run:  cd /work/main && npx tsc -p . && node out/bench/ab-verdicts.js [--trials 250] [--pairs 30] [--samples 20]
//         [--statistic p10|median|min] [--max-minutes 14]
//
// Workload (as bench/verdicts.ts): JSON.stringify of a fixed ~2 KB object plus an optional
// calibrated busy loop, timed with process.hrtime.bigint. One "round" stands for one invocation of
// a benchmark tool: --samples samples of ROUNDS calls each, reduced to their median (the central
// value a tool reports per run). Per trial, --pairs rounds of base (code A) and of head (A, or A
// plus the extra loop calibrated to +3/5/10%) run interleaved A B B A A B …, as `perf-lens ab` does.
// Trial kinds are interleaved so slow phases of the machine hit all of them alike.
// Judged three ways on the same rounds:
//   (a) A/B        pairedVerdict() on the interleaved pairs (Wilcoxon signed-rank + Hodges–Lehmann),
//                  fixed N, and with early stopping at two Bonferroni looks (core/ab/sequential).
//   (b) stored     compare() (Mann–Whitney + bootstrap, verdict.ts defaults) of this trial's head
//                  rounds against base rounds measured LAG trials earlier (a baseline stored before).
//   (c) plain 5%   median(head rounds) > 1.05 × median(stored base rounds), the common CI rule;
//                  also shown on the pairs (median of head/base ratios > 1.05).
// Limits, said plainly: rounds here are in one process (no per-process JIT/layout variance; the
// A/A check of `perf-lens ab` on a real suite covers that), and the machine is shared, so the
// noise is whatever the other processes made it during the run. Rates carry Wilson 95% intervals.
import * as os from 'os';
import { decided, lookPlan } from '../src/core/ab/sequential';
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
const PAIRS = argNum('pairs', 30);
const SAMPLES = argNum('samples', 20);
const ROUNDS = argNum('rounds', 20);
const LAG = argNum('lag', 8);
const MAX_MS = argNum('max-minutes', 14) * 60_000;
const SLOWDOWNS = [0.03, 0.05, 0.1];
/** Per-round central value: the median, or a low quantile (p10 / min) of the round's samples. */
const STAT = args.includes('--statistic') ? args[args.indexOf('--statistic') + 1] : 'p10';
const STAT_Q = STAT === 'median' ? 0.5 : STAT === 'min' ? 0 : Number(STAT.replace(/^p/, '')) / 100;

/** Seconds for ROUNDS calls of the workload plus `extra` loop iterations per call. */
const sample = (extra: number): number => timeRounds(ROUNDS, extra);

/** One round: the median (or --statistic) of SAMPLES samples, as a tool's per-run central value. */
function round(extra: number): number {
  return quantile(Array.from({ length: SAMPLES }, () => sample(extra)), STAT_Q);
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

/** PAIRS rounds per side in A B B A order; pair i is the i-th base and the i-th head round. */
function abTrial(extra: number): Pair[] {
  const base: number[] = [];
  const head: number[] = [];
  for (let i = 0; i < 2 * PAIRS; i++) {
    const a = [true, false, false, true][i % 4];
    if (a) base.push(round(0));
    else head.push(round(extra));
  }
  return base.map((b, i) => ({ base: b, head: head[i] }));
}

const m = (samples: number[]): Measurement => ({ metric: 'duration', unit: 's', samples, summary: {} });

interface Tally {
  trials: number;
  abFixed: number;
  abSeq: number;
  abSeqPairs: number[];
  abInconclusive: number;
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

function main(): void {
  const started = Date.now();
  const cal = calibrate();
  const kinds = [0, ...SLOWDOWNS];
  const extraFor = new Map(kinds.map((k) => [k, k === 0 ? 0 : Math.round((k * cal.perCall) / cal.perIter)]));
  const tallies = new Map<number, Tally>(kinds.map((k) => [k, { trials: 0, abFixed: 0, abSeq: 0, abSeqPairs: [], abInconclusive: 0, stored: 0, plainStored: 0, plainPairs: 0, ratios: [] }]));
  const plan = lookPlan(PAIRS, {}, true);
  // Base rounds of earlier trials: the "stored baseline" of a later one. Warm the ring up first.
  const ring: number[][] = [];
  for (let i = 0; i < LAG; i++) ring.push(abTrial(0).map((p) => p.base));

  let done = 0;
  outer: for (let t = 0; t < TRIALS; t++) {
    for (const kind of kinds) {
      if (Date.now() - started > MAX_MS) break outer;
      const pairs = abTrial(extraFor.get(kind) as number);
      const heads = pairs.map((p) => p.head);
      const stored = ring[ring.length - LAG];
      ring.push(pairs.map((p) => p.base));
      if (ring.length > LAG + 1) ring.shift();
      const ty = tallies.get(kind) as Tally;
      ty.trials++;
      const fixed = pairedVerdict(pairs, 'duration');
      if (fixed.status === 'regression') ty.abFixed++;
      if (fixed.status === 'inconclusive') ty.abInconclusive++;
      for (const at of plan.at) {
        const v = pairedVerdict(pairs.slice(0, at), 'duration', plan.options);
        if (decided(v) || at === plan.at[plan.at.length - 1]) {
          if (v.status === 'regression') ty.abSeq++;
          ty.abSeqPairs.push(at);
          break;
        }
      }
      if (compare(m(heads), m(stored), { seed: t }).status === 'regression') ty.stored++;
      if (median(heads) > 1.05 * median(stored)) ty.plainStored++;
      const ratios = pairs.map((p) => p.head / p.base);
      if (median(ratios) > 1.05) ty.plainPairs++;
      ty.ratios.push(Math.exp(median(ratios.map(Math.log))));
    }
    done = t + 1;
  }

  const signed = (r: number): string => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
  console.log(`Perf Lens A/B verdict bench — node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} at the end`);
  console.log(`${done} trials per kind; ${PAIRS} pairs per A/B trial (A B B A order); a round = ${STAT} of ${SAMPLES} samples × ${ROUNDS} calls; stored baseline = base rounds ${LAG} trials earlier`);
  console.log(`one call ≈ ${(cal.perCall * 1e6).toFixed(1)} µs (p10); extra loop ≈ ${(cal.perIter * 1e9).toFixed(2)} ns/iteration; early stop looks at ${plan.at.join(', ')} pairs`);
  console.log('rates are "regression" verdicts with Wilson 95% intervals; for A/A every one is a false alarm\n');
  const cols = ['kind', 'achieved Δ (5…95%)', '(a) A/B fixed N', '(a) A/B early stop', 'mean pairs', '(b) stored baseline', '(c) plain 5% stored', 'plain 5% on pairs'];
  const w = [18, 22, 22, 22, 11, 22, 22, 22];
  const row = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join(' ');
  console.log(row(cols));
  for (const kind of kinds) {
    const ty = tallies.get(kind) as Tally;
    console.log(
      row([
        kind === 0 ? 'A/A (false alarm)' : `+${kind * 100}% (caught)`,
        `${signed(median(ty.ratios))} (${signed(quantile(ty.ratios, 0.05))}…${signed(quantile(ty.ratios, 0.95))})`,
        wilson(ty.abFixed, ty.trials),
        wilson(ty.abSeq, ty.trials),
        (ty.abSeqPairs.reduce((a, b) => a + b, 0) / Math.max(1, ty.abSeqPairs.length)).toFixed(1),
        wilson(ty.stored, ty.trials),
        wilson(ty.plainStored, ty.trials),
        wilson(ty.plainPairs, ty.trials),
      ]),
    );
  }
  const aa = tallies.get(0) as Tally;
  const five = tallies.get(0.05) as Tally;
  console.log(
    `\ntargets (A/B, fixed N): A/A false regressions ≤ 1% → ${wilson(aa.abFixed, aa.trials)}; +5% caught ≥ 95% → ${wilson(five.abFixed, five.trials)}` +
      ` (inconclusive at +5%: ${wilson(five.abInconclusive, five.trials)})`,
  );
  console.log(`targets (A/B, early stop): A/A ${wilson(aa.abSeq, aa.trials)}; +5% ${wilson(five.abSeq, five.trials)}`);
  console.log(`runtime ${((Date.now() - started) / 1000).toFixed(1)} s (sink ${sinkBit()})`);
}

main();

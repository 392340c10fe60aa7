// How often do our verdicts cry wolf, and how often do they catch real slowdowns — on THIS machine?
//
// Run:  cd /work/main && npx tsc -p . && node out/bench/verdicts.js [--trials 200] [--samples 30]
//
// A real micro-benchmark (JSON.stringify of a fixed object, plus an optional calibrated busy loop)
// is timed with process.hrtime.bigint. One "sample" is the time of ROUNDS calls; a "set" is
// --samples samples. Each trial measures a baseline set and then a current set, one after the
// other, as a stored baseline and a later run would be:
//   A/A       both sets run the same code (no extra work): any 'regression' is a false alarm.
//   +5/10/20% the current set adds extra loop iterations, calibrated to that slowdown first.
// Trial kinds are interleaved so slow phases of the machine hit all of them alike.
// Two protocols run in the same invocation: 'sequential' (baseline set, then current set — a
// stored baseline vs a later run) and 'alternating' (baseline and current samples alternate —
// what an engine can do when it runs both versions itself); drift between sets hits only the
// first. For each
// trial we record our verdict (compare(), default options), the same verdict judged on the 10th
// percentile instead of the median (option quantile: 0.1), and two peers in the same data:
//   plain 5%   median(current) > 1.05 · median(baseline)
//   seed 1.5×  mean(current) > 1.5 · mean(baseline)  (the hand-kept rule our users have today)
import * as os from 'os';
import { compare, DEFAULT_SAMPLE_COUNT, type Measurement } from '../src/core/verdict';
import { mean, median, quantile } from '../src/core/stats/descriptive';
import { sinkBit, timeRounds } from './microWorkload';

const args = process.argv.slice(2);
const argNum = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const TRIALS = argNum('trials', 200);
const SAMPLES = argNum('samples', DEFAULT_SAMPLE_COUNT);
const ROUNDS = argNum('rounds', 20);
const SLOWDOWNS = [0.05, 0.1, 0.2];

/** Seconds for ROUNDS calls of the workload plus `extra` loop iterations per call. */
const sample = (extra: number): number => timeRounds(ROUNDS, extra);

function set(extra: number, n = SAMPLES): number[] {
  return Array.from({ length: n }, () => sample(extra));
}

/**
 * Extra iterations per call that add `slowdown` (fraction) to a sample. Costs are taken from the
 * 10th percentile of alternating samples: the code's own cost, with little of the time other
 * processes steal from us (the slowdown actually achieved is re-measured from the trials).
 */
function calibrate(): { perCall: number; perIter: number } {
  for (let i = 0; i < 3; i++) set(0, 200); // warm up the JIT for both paths
  set(2000, 200);
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

function pair(extra: number, alternating: boolean): [number[], number[]] {
  if (!alternating) return [set(0), set(extra)];
  const base: number[] = [];
  const cur: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    base.push(sample(0));
    cur.push(sample(extra));
  }
  return [base, cur];
}

const m = (samples: number[]): Measurement => ({ metric: 'duration', unit: 's', samples, summary: {} });

interface Tally {
  trials: number;
  ours: Record<string, number>;
  oursP10: number;
  plain: number;
  seed: number;
  ratios: number[];
}

function main(): void {
  const started = Date.now();
  const cal = calibrate();
  const kinds = [0, ...SLOWDOWNS];
  const extraFor = new Map(kinds.map((k) => [k, k === 0 ? 0 : Math.round((k * cal.perCall) / cal.perIter)]));
  const protocols = ['sequential', 'alternating'] as const;
  const tallies = new Map<string, Tally>();
  for (const p of protocols) for (const k of kinds) tallies.set(`${p}:${k}`, { trials: 0, ours: {}, oursP10: 0, plain: 0, seed: 0, ratios: [] });

  for (let t = 0; t < TRIALS; t++) {
    for (const p of protocols) {
      for (const kind of kinds) {
        const [baseline, current] = pair(extraFor.get(kind) as number, p === 'alternating');
        const v = compare(m(current), m(baseline), { seed: t });
        const tally = tallies.get(`${p}:${kind}`) as Tally;
        tally.trials++;
        tally.ours[v.status] = (tally.ours[v.status] ?? 0) + 1;
        if (compare(m(current), m(baseline), { seed: t, quantile: 0.1 }).status === 'regression') tally.oursP10++;
        tally.ratios.push(median(current) / median(baseline));
        if (median(current) > 1.05 * median(baseline)) tally.plain++;
        if (mean(current) > 1.5 * mean(baseline)) tally.seed++;
      }
    }
  }

  const pctOf = (k: number, n: number): string => `${((100 * k) / n).toFixed(1)}%`;
  const signed = (r: number): string => `${r >= 1 ? '+' : ''}${((r - 1) * 100).toFixed(1)}%`;
  const row = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(22) : c.padStart(i === 3 ? 17 : 13))).join('');
  console.log(`Perf Lens verdict bench — node ${process.version}, ${TRIALS} trials per cell, ${SAMPLES} samples per set, ${ROUNDS} calls per sample`);
  console.log(`one call ≈ ${(cal.perCall * 1e6).toFixed(1)} µs (p10); extra loop ≈ ${(cal.perIter * 1e9).toFixed(2)} ns/iteration; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log('"median Δ" = median over trials of median(current)/median(baseline); "spread" = its 5th…95th percentile over trials');
  for (const p of protocols) {
    console.log(`\n${p}`);
    console.log(row(['kind', 'extra iters', 'median Δ', 'spread', 'ours: regr.', 'ours p10', 'plain 5%', 'seed 1.5×', 'inconclusive', 'unchanged', 'improvement']));
    for (const kind of kinds) {
      const ty = tallies.get(`${p}:${kind}`) as Tally;
      console.log(
        row([
          kind === 0 ? 'A/A  (false alarms)' : `+${kind * 100}% (caught)`,
          String(extraFor.get(kind)),
          signed(median(ty.ratios)),
          `${signed(quantile(ty.ratios, 0.05))}…${signed(quantile(ty.ratios, 0.95))}`,
          pctOf(ty.ours.regression ?? 0, ty.trials),
          pctOf(ty.oursP10, ty.trials),
          pctOf(ty.plain, ty.trials),
          pctOf(ty.seed, ty.trials),
          pctOf(ty.ours.inconclusive ?? 0, ty.trials),
          pctOf(ty.ours.unchanged ?? 0, ty.trials),
          pctOf(ty.ours.improvement ?? 0, ty.trials),
        ]),
      );
    }
    const aa = tallies.get(`${p}:0`) as Tally;
    const ten = tallies.get(`${p}:0.1`) as Tally;
    console.log(
      `targets (${p}): A/A false regressions ≤ 1% → ${pctOf(aa.ours.regression ?? 0, aa.trials)} (p10: ${pctOf(aa.oursP10, aa.trials)}); ` +
        `+10% caught ≥ 95% → ${pctOf(ten.ours.regression ?? 0, ten.trials)} (p10: ${pctOf(ten.oursP10, ten.trials)})`,
    );
  }
  console.log(`\nruntime ${((Date.now() - started) / 1000).toFixed(1)} s (sink ${sinkBit()})`);
}

main();

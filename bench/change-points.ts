// How well E-divisive (src/core/stats/changePoints.ts) finds the commit that shifted a benchmark,
// on synthetic histories with known shifts (3 %, 5 %, 10 %, 20 %) carrying REAL noise: the
// run-to-run residuals of a micro-benchmark measured on this machine right now (each "commit" is
// one run: the median of 15 timings of a 300,000-step floating-point loop, ~1 ms; an allocation-
// free workload, so the noise is the machine's, not our GC's). Residuals are taken as contiguous
// windows of the measured sequence, so real drift and autocorrelation come along.
//
// Run: npx tsc -p . && flock /tmp/perf-lens-bench.lock node out/bench/change-points.js [histories per case, default 100]
// Prints recall (exact commit, ±1 commit), precision (detections within ±1 of the true commit),
// false alarms on no-shift histories, and ms per history — for the OLD plain permutation test and
// the NEW default (prewhitened test + local step check, changePoints.ts), its two parts alone and
// a block permutation test, side by side on the same histories: independent real noise, the same
// plus a synthetic slow drift (random walk), and real noise in measured order (the machine's drift). The machine is shared: noise differs
// from run to run of this script, which is the point of measuring it live.
import * as os from 'os';
import { performance } from 'perf_hooks';
import { DEFAULT_MIN_SHIFT } from '../src/core/history/shifts';
import { detectChangePoints, type ChangePointOptions } from '../src/core/stats/changePoints';
import { median, quantile } from '../src/core/stats/descriptive';
import { createRng } from '../src/core/stats/random';

const HISTORY = 40;
const RUNS = 320;

let sink = 0;

function work(): void {
  let s = 0;
  for (let i = 1; i < 300_000; i++) s += Math.sqrt(i) * 1.0000001;
  sink += s;
}

/** One "run" of the micro-benchmark: median of 15 timings (ms). */
function oneRun(): number {
  const t: number[] = [];
  for (let i = 0; i < 15; i++) {
    const t0 = performance.now();
    work();
    t.push(performance.now() - t0);
  }
  return median(t);
}

function lag1(x: number[]): number {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  let num = 0;
  let den = 0;
  x.forEach((v, i) => {
    den += (v - m) ** 2;
    if (i) num += (v - m) * (x[i - 1] - m);
  });
  return num / den;
}

function measureResiduals(): number[] {
  for (let i = 0; i < 50; i++) oneRun(); // warm-up (JIT)
  const runs = Array.from({ length: RUNS }, () => oneRun());
  const m = median(runs);
  return runs.map(v => Math.log(v / m));
}

interface Score {
  exact: number;
  near: number;
  detections: number;
  correct: number;
  histories: number;
  falseAlarmHistories: number;
  ms: number;
}

type Noise = 'measured' | 'iid' | 'iid+drift';

/** Slow drift added to independent residuals: a random walk whose steps are DRIFT_STEP × σ. */
const DRIFT_STEP = 0.25;

function evaluate(residuals: number[], shift: number, count: number, opts: ChangePointOptions, noise: Noise): Score {
  const rng = createRng(`cp-${shift}-${noise}`);
  const sigma = 1.4826 * median(residuals.map(Math.abs));
  const s: Score = { exact: 0, near: 0, detections: 0, correct: 0, histories: count, falseAlarmHistories: 0, ms: 0 };
  for (let h = 0; h < count; h++) {
    const start = rng.int(residuals.length - HISTORY);
    const at = 8 + rng.int(HISTORY - 16); // the shift lands somewhere in 8…31
    let walk = 0;
    const r = (i: number) => {
      if (noise === 'measured') return residuals[start + i];
      walk += noise === 'iid+drift' ? DRIFT_STEP * sigma * rng.normal() : 0;
      return residuals[rng.int(residuals.length)] + walk;
    };
    const values = Array.from({ length: HISTORY }, (_, i) => 0.001 * Math.exp(r(i)) * (shift && i >= at ? 1 + shift : 1));
    const t0 = performance.now();
    const cps = detectChangePoints(values, { seed: h, ...opts });
    s.ms += performance.now() - t0;
    s.detections += cps.length;
    if (shift === 0) {
      if (cps.length) s.falseAlarmHistories++;
      continue;
    }
    if (cps.some(c => c.index === at)) s.exact++;
    if (cps.some(c => Math.abs(c.index - at) <= 1)) s.near++;
    s.correct += cps.filter(c => Math.abs(c.index - at) <= 1).length;
  }
  return s;
}

function main(): void {
  const count = Number(process.argv[2] ?? 100);
  const t0 = performance.now();
  const residuals = measureResiduals();
  const abs = residuals.map(Math.abs);
  console.log(`Real noise: ${RUNS} runs of a 300,000-step float loop (median of 15 timings each; checksum ${sink > 0 ? 'ok' : '?'}) in ${((performance.now() - t0) / 1000).toFixed(1)} s.`);
  console.log(`  run-to-run |ln ratio to median|: p50 ${(quantile(abs, 0.5) * 100).toFixed(1)}%, p95 ${(quantile(abs, 0.95) * 100).toFixed(1)}%, max ${(Math.max(...abs) * 100).toFixed(1)}%`);
  console.log(`  lag-1 autocorrelation of the measured residuals: ${lag1(residuals).toFixed(2)} (0 for independent noise); load average ${os.loadavg().map(l => l.toFixed(1)).join(' ')}`);
  console.log(`Histories of ${HISTORY} commits, ${count} per case; E-divisive, 199 permutations, α = 0.01, min segment 3, shift floor ${DEFAULT_MIN_SHIFT * 100}%; every detector sees the same histories.`);
  const methods: [string, ChangePointOptions][] = [
    ['OLD plain permutation', { autocorrelation: 'ignore', localAlpha: 0 }],
    ['NEW default (prewhit.+local)', {}],
    ['prewhitened only', { autocorrelation: 'prewhiten', localAlpha: 0 }],
    ['local check only', { autocorrelation: 'ignore' }],
    ['block permutation', { autocorrelation: 'blocks', localAlpha: 0 }],
  ];
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(0)}%` : '—');
  for (const [noise, label] of [
    ['iid', 'real residuals drawn independently (no drift)'],
    ['iid+drift', `the same plus slow drift (random walk, steps ${DRIFT_STEP}σ: ~${(DRIFT_STEP * Math.sqrt(HISTORY)).toFixed(1)}σ over a history)`],
    ['measured', 'real residuals in measured order (the machine\'s own drift and load phases)'],
  ] as const) {
    console.log(`\n${label}: recall exact / recall ±1 / precision ±1 for shifts, histories with a false alarm for 0%; ms per history`);
    console.log(`shift  ${methods.map(([m]) => m.padStart(30)).join('  ')}`);
    for (const shift of [0, 0.03, 0.05, 0.1, 0.2]) {
      const cells = methods.map(([, opts]) => {
        const s = evaluate(residuals, shift, count, { minShift: DEFAULT_MIN_SHIFT, ...opts }, noise);
        const ms = `${(s.ms / s.histories).toFixed(0)} ms`;
        return (shift === 0 ? `FA ${pct(s.falseAlarmHistories, s.histories)} · ${ms}` : `${pct(s.exact, s.histories)} / ${pct(s.near, s.histories)} / ${pct(s.correct, s.detections)} · ${ms}`).padStart(30);
      });
      console.log(`${`${(shift * 100).toFixed(0)}%`.padEnd(5)}  ${cells.join('  ')}`);
    }
  }
}

main();
